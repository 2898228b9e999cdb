"""What every step of the eFiction import shares: the options, the state the steps pass
on to each other (declared here, so each step module is typed against it), and the
helpers for reporting and writing rows."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.pool import Pool
from pathlib import Path

from django.db import DatabaseError, connection, transaction

from fanfold.efiction.decode import Decoder, entities_decoded
from fanfold.efiction.importer.convert import as_bytes, stored_text
from fanfold.efiction.importer.dropped import dropped_kinds
from fanfold.efiction.importer.writes import MODELS_BY_KIND, pk_of
from fanfold.efiction.mapping import Legacy
from fanfold.efiction.models import EfictionImport
from fanfold.efiction.report import Report
from fanfold.efiction.source.base import Row, Source


@dataclass
class Options:
    stories_dir: Path | None = None
    mapping: Path | None = None
    write_mapping: Path | None = None
    batch_size: int = 500
    # Worker processes preparing chapter text; 0 = one per CPU, 1 = none (in-process).
    jobs: int = 0
    # Test hook: the process kills itself (SIGKILL) after this many second-pass
    # batches, so a test can prove that a re-run completes an interrupted import.
    crash_after_batches: int | None = None


Progress = Callable[[str, int, int | None], None]


def _quiet(stage: str, done: int, total: int | None) -> None:
    pass


class ImporterBase:
    """The importer's state, set by `Importer.__init__` and filled in step by step."""

    source: Source
    options: Options
    progress: Progress
    decoder: Decoder
    report: Report
    state: EfictionImport
    legacy: Legacy
    tables: dict[str, list[Row]]
    # Filled as the first pass is written, used by the second.
    user_pk: dict[int, int]  # uid -> user pk (only authors that exist)
    story_info: dict[int, tuple[int, dt.datetime | None, dt.datetime | None]]
    # sid -> eFiction's validated flag: 0 pending, 1 validated, 2 chapters auto-validated.
    story_validated: dict[int, int]
    story_wordcount: dict[int, int]
    settings: dict[str, object]
    store_files: bool
    file_index: dict[int, list[Path]] | None
    files_used: set[Path]
    responses: list
    max_at_start: dict[str, int]
    pool: Pool | None
    # Site-wide facts from the settings and ratings tables (site step).
    language: str
    members_only_ratings: set[int]
    rating_by_name: dict[str, int]

    def _index_text(self, work_pks: list[int]) -> None:
        # Declared here so the steps that call it type-check; the search documents step
        # (SearchDocumentsMixin) provides it. Reaching this means a step is missing.
        raise TypeError("The importer has no search documents step (SearchDocumentsMixin).")

    # -- helpers -----------------------------------------------------------------------
    def pk(self, kind: str, legacy_id: int) -> int:
        return self.state.pk_for(kind, legacy_id)

    def text(self, row: Row, column: str, table: str, legacy_id: object) -> str:
        """A column's text as its writer typed it (decoded, eFiction's escaping undone)."""
        decoded = self.decoder.text(
            as_bytes(row.values.get(column)), what=f"{table}.{column}", where=f"{table} {legacy_id}"
        )
        return stored_text(table, column, decoded)

    def plain(self, row: Row, column: str, table: str, legacy_id: object) -> str:
        """text(), then HTML entities decoded: for titles and names shown as plain text."""
        return entities_decoded(self.text(row, column, table, legacy_id))

    def _note_dropped(self, row: Row) -> None:
        for what, row_id in dropped_kinds(row.table, row.values):
            self.report.drop(what, row_id)

    @contextmanager
    def _phase(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.report.phases[name] = time.monotonic() - started

    def _bytes_progress(self, stage: str) -> Callable[[int], None]:
        total = self.source.total

        def report(done: int) -> None:
            self.progress(stage, done, total)

        return report

    def _guarded(self, table: str, row: Row, id_column: str, convert, *args):
        """convert(*args), or None with the row reported by table and id when it fails in
        a way nobody foresaw: one strange row must not stop the import of the rest."""
        try:
            return convert(*args)
        except Exception as error:  # reported below; the import goes on
            raw = row.values.get(id_column)
            legacy_id = raw.decode("ascii", "replace") if isinstance(raw, bytes) else raw
            self.report.skip(table, legacy_id, f"could not be converted ({error!r}; {row.where})")
            return None

    def _claim(self, kind: str, objs: list) -> list:
        """The rows this run may write. An eFiction id above what earlier runs imported
        whose Fanfold id is already taken belongs to something made in Fanfold since
        (a member who signed up, a new work or comment): it is kept, and the eFiction
        row is reported instead of overwriting it."""
        offset = int(self.state.offsets.get(kind, 0))
        low = offset + int(self.state.high_water.get(kind, 0))
        high = self.max_at_start[kind]
        suspects = [pk_of(o) for o in objs if low < pk_of(o) <= high]
        taken: set[int] = set()
        if suspects:
            model = MODELS_BY_KIND[kind]
            taken = set(model._default_manager.filter(pk__in=suspects).values_list("pk", flat=True))
        kept = []
        for obj in objs:
            legacy = pk_of(obj) - offset
            if pk_of(obj) in taken:
                self.report.skip(
                    kind,
                    legacy,
                    "its id is used by something made in Fanfold since the last import",
                )
                continue
            kept.append(obj)
        return kept

    def _count_kept_hits(self, what: str, model, efiction_hits: dict[int, int]) -> None:
        """Count the rows whose Fanfold hits outnumber eFiction's (the upsert keeps the
        larger; the report says how often Fanfold's won)."""
        stored = model._default_manager.filter(pk__in=list(efiction_hits))
        kept = sum(1 for pk, hits in stored.values_list("pk", "hits") if hits > efiction_hits[pk])
        self.report.kept_hits[what] += kept

    def _written(self, kind: str, objs: list) -> None:
        """Record, in the transaction that wrote them, the highest eFiction id written,
        so a run killed after this commit still knows these rows are its own."""
        if not objs:
            return
        offset = int(self.state.offsets.get(kind, 0))
        top = max(pk_of(obj) for obj in objs) - offset
        if top > int(self.state.high_water.get(kind, 0)):
            self.state.high_water[kind] = top
            EfictionImport.objects.filter(pk=1).update(high_water=self.state.high_water)

    def _jobs(self) -> int:
        if connection.in_atomic_block:
            # Called inside a transaction (tests, or a caller's atomic block): forking
            # needs the connection closed, which would end that transaction.
            return 1
        return self.options.jobs or os.cpu_count() or 1


def tune_session() -> None:
    """PostgreSQL settings for this connection only, for a bulk load of text: lz4 (PG 14+)
    compresses the chapters' TOASTed text several times faster than the default pglz,
    and commits need not wait for the WAL to reach disk (a server crash can lose the
    last batches, never corrupt anything, and the import is re-run anyway)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        try:
            with transaction.atomic():
                cursor.execute("SET default_toast_compression = 'lz4'")
        except DatabaseError:
            pass  # a server built without lz4 keeps its default
