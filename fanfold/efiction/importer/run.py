"""Bring an eFiction 3.5 archive into Fanfold.

Two passes over the source (a dump file or a live database):

1. every table except chapters and reviews (authors, stories, series, the tag tables, …;
   a few MB even for a large archive) is read and written: site texts, tags (through the
   mapping), users and pen names, challenges, works with their creators and tags,
   series, favourites;
2. chapters and reviews stream through in batches (they are the bulk of the dump), each
   batch one transaction.

Then the works' derived values (chapters, words, counters) are recomputed in SQL, the
search documents are written and every filter index is told to rebuild.

Every row gets a fixed primary key (eFiction id + a per-kind offset chosen on the first
run, see `models.EfictionImport`) and is written with an upsert, so re-running the
import updates rows instead of duplicating them, and a run killed at any point is
finished by running it again: each batch is atomic and the next run rewrites everything."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from fanfold.efiction.decode import Decoder, entities_decoded
from fanfold.efiction.importer.convert import stored_text
from fanfold.efiction.importer.dropped import BY_TABLE, dropped_kinds
from fanfold.efiction.importer.finish import FinishMixin
from fanfold.efiction.importer.people import PeopleMixin
from fanfold.efiction.importer.run_constants import FIRST_PASS, MACHINERY, SECOND_PASS
from fanfold.efiction.importer.search_documents import SearchDocumentsMixin
from fanfold.efiction.importer.site import SiteMixin
from fanfold.efiction.importer.staff_roles import import_staff_roles
from fanfold.efiction.importer.stories import StoriesMixin
from fanfold.efiction.importer.text import TextMixin
from fanfold.efiction.importer.writes import (
    MODELS_BY_KIND,
    pk_of,
)
from fanfold.efiction.mapping import (
    Legacy,
    default_mapping,
    read_mapping,
    write_mapping,
)
from fanfold.efiction.models import OFFSET_KINDS, EfictionImport
from fanfold.efiction.report import Report
from fanfold.efiction.source import Row, Source


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


class Importer(SiteMixin, PeopleMixin, StoriesMixin, TextMixin, SearchDocumentsMixin, FinishMixin):
    def __init__(
        self,
        source: Source,
        options: Options | None = None,
        progress: Progress = _quiet,
        decoder: Decoder | None = None,
    ):
        self.source = source
        self.options = options or Options()
        self.progress = progress
        self.decoder = decoder or Decoder()
        self.report = Report()
        self.state: EfictionImport
        self.legacy = Legacy()
        self.tables: dict[str, list[Row]] = defaultdict(list)
        # Filled as the first pass is written, used by the second.
        self.user_pk: dict[int, int] = {}  # uid -> user pk (only authors that exist)
        self.story_info: dict[int, tuple[int, dt.datetime | None, dt.datetime | None]] = {}
        # sid -> eFiction's validated flag: 0 pending, 1 validated, 2 chapters auto-validated.
        self.story_validated: dict[int, int] = {}
        self.story_wordcount: dict[int, int] = {}
        self.settings: dict[str, object] = {}
        self.store_files = False
        self.file_index: dict[int, list[Path]] | None = None
        self.responses: list = []
        self.max_at_start: dict[str, int] = {}
        self.pool = None

    # -- helpers -----------------------------------------------------------------------
    def pk(self, kind: str, legacy_id: int) -> int:
        return self.state.pk_for(kind, legacy_id)

    def text(self, row: Row, column: str, table: str, legacy_id: object) -> str:
        """A column's text as its writer typed it (decoded, eFiction's escaping undone)."""
        decoded = self.decoder.text(
            row.values.get(column), what=f"{table}.{column}", where=f"{table} {legacy_id}"
        )
        return stored_text(table, column, decoded)

    def plain(self, row: Row, column: str, table: str, legacy_id: object) -> str:
        """text(), then HTML entities decoded: for titles and names shown as plain text."""
        return entities_decoded(self.text(row, column, table, legacy_id))

    # -- entry point -----------------------------------------------------------------------
    def run(self) -> Report:
        # The worker pool is forked first, while this process is small: workers forked
        # later would each carry a copy of the first pass's rows.
        self.pool = self._start_pool()
        try:
            return self._run()
        finally:
            if self.pool is not None:
                self.pool.terminate()
                self.pool.join()
                self.pool = None

    def _start_pool(self):
        jobs = self._jobs()
        if jobs <= 1:
            return None
        # Forked workers must not share this process's database connections; each
        # opens its own when it first needs one.
        connections.close_all()
        return multiprocessing.get_context("fork").Pool(jobs)

    def _run(self) -> Report:
        started = time.monotonic()
        with self._phase("first pass (all but chapters and reviews)"):
            self._read_first_pass()
        self.legacy = self._legacy_vocabulary()
        entries = default_mapping(self.legacy)
        if self.options.mapping:
            entries = read_mapping(self.options.mapping, entries)
        if self.options.write_mapping:
            write_mapping(entries, self.options.write_mapping)
            self.report.note(f"tag mapping written to {self.options.write_mapping}")
            self.report.seconds = time.monotonic() - started
            return self.report
        self.state = self._start()
        with self._phase("site texts, tags, authors, stories, series, favourites"):
            self._import_site_texts()
            tag_ids = self._import_tags(entries)
            self._import_authors()
            import_staff_roles(
                prefs=self.tables["authorprefs"],
                user_pk=self.user_pk,
                category_tag={key[1]: pk for key, pk in tag_ids.items() if key[0] == "category"},
                report=self.report,
            )
            self._import_challenges(tag_ids)
            self._import_stories(tag_ids)
            self._import_series()
            self._import_favourites()
            self.tables.clear()  # the first pass's rows are written; free them
        with self._phase("chapters and reviews"):
            self._second_pass()
            # Replies take fresh ids: move the id sequences past every imported id first.
            self._reset_sequences()
            for start in range(0, len(self.responses), self.options.batch_size):
                with transaction.atomic():
                    self._write_responses(self.responses[start : start + self.options.batch_size])
        self._finish()
        self.report.seconds = time.monotonic() - started
        self.report.source_problems = list(self.source.problems)
        self.report.encodings = [
            (what, enc, n, self.decoder.examples.get((what, enc), ""))
            for (what, enc), n in sorted(self.decoder.guesses.items())
        ]
        EfictionImport.objects.filter(pk=1).update(
            finished_at=timezone.now(), report=self.report.as_dict()
        )
        return self.report

    @contextmanager
    def _phase(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.report.phases[name] = time.monotonic() - started

    # -- first pass ---------------------------------------------------------------------
    def _read_first_pass(self) -> None:
        machinery = sorted(MACHINERY & self.source.tables())
        if machinery:
            self.report.note(
                "eFiction's own site machinery has no counterpart here and was not read: "
                + ", ".join(machinery)
            )
        # Tables read only to name what they held in the report.
        counted = set(BY_TABLE) - set(FIRST_PASS) - set(SECOND_PASS)
        tables = (*FIRST_PASS, *sorted(counted))
        for row in self.source.rows(tables, progress=self._bytes_progress("reading")):
            self.report.read[row.table] += 1
            self._note_dropped(row)
            if row.table not in counted:
                self.tables[row.table].append(row)

    def _note_dropped(self, row: Row) -> None:
        for what, row_id in dropped_kinds(row.table, row.values):
            self.report.drop(what, row_id)

    def _bytes_progress(self, stage: str) -> Callable[[int], None]:
        total = self.source.total

        def report(done: int) -> None:
            self.progress(stage, done, total)

        return report

    def _start(self) -> EfictionImport:
        """The import record, with the id offsets fixed on the first run."""
        tune_session()
        with transaction.atomic():
            state = EfictionImport.objects.select_for_update().filter(pk=1).first()
            if state is None:
                offsets = {}
                for kind in OFFSET_KINDS:
                    model = MODELS_BY_KIND[kind]
                    top = model._default_manager.order_by("-pk").values_list("pk", flat=True)
                    offsets[kind] = int(top.first() or 0)
                state = EfictionImport.objects.create(
                    pk=1,
                    source=self.source.description[:500],
                    prefix=self.source.prefix,
                    offsets=offsets,
                    started_at=timezone.now(),
                )
                moved = {k: v for k, v in offsets.items() if v}
                if moved:
                    self.report.note(
                        "the archive already had content, so imported ids are shifted: "
                        + ", ".join(f"{k} +{v}" for k, v in moved.items())
                        + " (old eFiction links still work)"
                    )
            for kind in OFFSET_KINDS:
                top = MODELS_BY_KIND[kind]._default_manager.order_by("-pk")
                self.max_at_start[kind] = int(top.values_list("pk", flat=True).first() or 0)
            state.runs += 1
            state.source = self.source.description[:500]
            state.save(update_fields=["runs", "source"])
        return state

    def _guarded(self, table: str, row: Row, id_column: str, convert, *args):
        """convert(*args), or None with the row reported by table and id when it fails in
        a way nobody foresaw: one strange row must not stop the import of the rest."""
        try:
            return convert(*args)
        except Exception as error:  # reported below; the import goes on
            legacy_id = row.values.get(id_column)
            if isinstance(legacy_id, bytes):
                legacy_id = legacy_id.decode("ascii", "replace")
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
