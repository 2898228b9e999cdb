"""`archive_restore`: an archive file into this database, all of it or nothing.

Everything happens in one transaction: clearing the tables, every row, the id
sequences and the search documents. A restore that fails, or is killed, leaves the
database as it was. Both backends create Django's foreign keys DEFERRABLE INITIALLY
DEFERRED (SQLite with `PRAGMA foreign_keys=ON`), so they are checked at commit: rows can
arrive before the rows they point to (self-references, cycles), and a file whose rows do
not hold together fails as a whole.
"""

from __future__ import annotations

import base64
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from fanfold.backup.format import ArchiveError, check_header, read_lines
from fanfold.backup.plan import (
    NATURAL,
    TEXT_ENCODED,
    Excluded,
    Table,
    excluded_models,
    related_label,
    tables,
)
from fanfold.backup.search_documents import start_workers, write_search_documents
from fanfold.filters.search import TABLE as SEARCH_TABLE
from fanfold.filters.services import filter_index_rebuild_all

Progress = Callable[[str, int, int], None]
BATCH_ROWS = 500
BATCH_CHARS = 8_000_000  # a batch of long chapters stops at about this much text

# Tables a freshly migrated database already fills (the default pages, the site
# settings row, the staff roles' groups, the report reasons, the rating and warning
# tags): rows there do not make a database "not empty". Restore replaces them with the
# archive's own.
SEEDED = {
    "tags.tag",
    "tags.tag_parents",
    "pages.page",
    "archive.sitesettings",
    "auth.group",
    "auth.group_permissions",
    "reports.reportreason",
}


@dataclass
class Restored:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    works: int = 0
    rows_seconds: float = 0.0
    search_seconds: float = 0.0
    # SQLite: whether the transaction ran with a rollback journal (False: the database
    # was open elsewhere and it went through the WAL, slower for a large archive).
    rollback_journal: bool | None = None


def content_tables() -> list[str]:
    """Labels of the tables that hold something, in a database that is not empty."""
    found = []
    for table in tables():
        seeded = table.natural is not None or table.label in SEEDED
        if not seeded and table.model._base_manager.exists():
            found.append(table.label)
    return found


def _check_migrations(path: Path, header: dict) -> None:
    here: set[tuple[str, str]] = set(
        MigrationRecorder(connection).migration_qs.values_list("app", "name")
    )
    missing = [
        f"{app}.{name}"
        for app, names in header.get("migrations", {}).items()
        for name in names
        if (app, name) not in here
    ]
    if missing:
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        raise ArchiveError(
            f"{path} was written by a database with migrations this one has not applied "
            f"({shown}): run `manage.py migrate` first, with a Fanfold at least as new as "
            f"{header.get('fanfold', 'the one that wrote it')}."
        )


class _Natural:
    """Content types and permissions, found (or made) by natural key on this database."""

    def __init__(self) -> None:
        self.types: dict[tuple, int] = {}
        self.perms: dict[tuple, int] = {}

    def type_id(self, app_label: str, model: str) -> int:
        key = (app_label, model)
        if key not in self.types:
            self.types[key] = ContentType.objects.get_or_create(app_label=app_label, model=model)[
                0
            ].pk
        return self.types[key]

    def perm_id(self, codename: str, app_label: str, model: str, name: str | None = None) -> int:
        key = (codename, app_label, model)
        if key not in self.perms:
            found = Permission.objects.filter(
                codename=codename, content_type_id=self.type_id(app_label, model)
            ).first()
            if found is None:
                if name is None:
                    raise ArchiveError(f"permission {app_label}.{codename} is not in the archive")
                found = Permission.objects.create(
                    codename=codename, name=name, content_type_id=self.type_id(app_label, model)
                )
            self.perms[key] = found.pk
        return self.perms[key]

    def row(self, label: str, row: list) -> None:
        if label == "contenttypes.contenttype":
            self.type_id(*row)
        else:
            self.perm_id(*row)

    def resolve(self, label: str, key: list) -> int:
        return self.type_id(*key) if label == "contenttypes.contenttype" else self.perm_id(*key)


def _converters(table: Table, columns: list[str], natural: _Natural) -> list[Callable[[Any], Any]]:
    """One function per archive column turning its JSON value into a query parameter."""
    by_attname = {f.attname: f for f in table.fields}
    unknown = [c for c in columns if c not in by_attname]
    if unknown:
        raise ArchiveError(
            f"table {table.label}: columns {', '.join(unknown)} do not exist here "
            "(the archive comes from another schema)."
        )
    return [_converter(by_attname[c], natural) for c in columns]


def _converter(f: models.Field, natural: _Natural) -> Callable[[Any], Any]:
    label = related_label(f)
    if label is not None and label in NATURAL:
        return lambda v: None if v is None else natural.resolve(label, v)
    # prepared=True: the value is written as it was read, without the field's own
    # preparation (the sanitising HTML field would clean clean text again).
    prep = f.get_db_prep_value
    if f.get_internal_type() in TEXT_ENCODED:
        return lambda v: None if v is None else prep(f.to_python(v), connection, prepared=True)
    if type(f).get_db_prep_value is models.Field.get_db_prep_value:
        return lambda v: v  # identity for prepared values: ints, text, booleans
    return lambda v: None if v is None else prep(v, connection, prepared=True)


def _missing_columns(table: Table, columns: list[str]) -> list[tuple[str, Any]]:
    """Columns this schema has and the archive lacks (a newer migration added them):
    filled with their defaults, or refused when there is none."""
    extra = []
    for f in table.fields:
        if f.attname in columns:
            continue
        if not (f.has_default() or f.null or f.has_db_default()):
            raise ArchiveError(
                f"table {table.label}: the archive has no column {f.attname}, "
                "which has no default here."
            )
        value = f.get_default() if f.has_default() else None
        extra.append((f.column or f.attname, f.get_db_prep_save(value, connection)))
    return extra


class _Inserter:
    """Rows of one table, written in batches: on PostgreSQL with COPY (no statement to
    parse per row or per batch, the cheapest way in for many rows), on SQLite with
    executemany (one prepared statement, no network)."""

    def __init__(self, table: Table, columns: list[str], natural: _Natural) -> None:
        qn = connection.ops.quote_name
        by_attname = {f.attname: f for f in table.fields}
        self.convert = _converters(table, columns, natural)
        extra = _missing_columns(table, columns)
        names = [by_attname[c].column or c for c in columns] + [c for c, _ in extra]
        self.extra = [v for _, v in extra]
        self.row_marks = "(" + ", ".join(["%s"] * len(names)) + ")"
        into = f"{qn(table.model._meta.db_table)} ({', '.join(qn(n) for n in names)})"
        self.head = f"INSERT INTO {into} "
        self.copy = f"COPY {into} FROM STDIN" if connection.vendor == "postgresql" else None
        self.batch: list[list] = []
        self.chars = 0
        self.width = len(columns)

    def add(self, row: Any, where: str) -> None:
        if not isinstance(row, list) or len(row) != self.width:
            raise ArchiveError(f"{where}: a row of {self.width} values was expected.")
        self.batch.append([c(v) for c, v in zip(self.convert, row, strict=True)] + self.extra)
        self.chars += sum(len(v) for v in row if isinstance(v, str))
        if len(self.batch) >= BATCH_ROWS or self.chars >= BATCH_CHARS:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        if self.copy is not None:
            import psycopg

            connection.ensure_connection()
            # The values are adapted by the connection's own dumpers, as in a query.
            with psycopg.Cursor(connection.connection) as raw, raw.copy(self.copy) as out:
                for row in self.batch:
                    out.write_row(row)
        else:
            with connection.cursor() as cursor:
                cursor.executemany(self.head + "VALUES " + self.row_marks, self.batch)
        self.batch, self.chars = [], 0


def _after_rows() -> None:
    """Sequences moved past the restored ids; on PostgreSQL, the tables' statistics.
    Freshly filled tables have none until autovacuum sees the commit, and without them
    the planner reads all of a large table for each chunk of search documents (a
    sequential scan of 200,000 chapters per 100 works). ANALYZE in the transaction
    samples its own uncommitted rows."""
    models = [t.model for t in tables()]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            qn = connection.ops.quote_name
            cursor.execute("ANALYZE " + ", ".join(qn(m._meta.db_table) for m in models))


@contextmanager
def _rollback_journal() -> Iterator[bool | None]:
    """SQLite: the restore's transaction with a rollback journal instead of the WAL,
    when this connection has the database to itself; back to WAL afterwards.

    A transaction larger than the page cache spills its pages into the WAL, and the
    WAL cannot be checkpointed before the commit. Every page read or spilled again then
    looks the page up in the WAL's hash tables, newest first, one table per 4,096
    frames: the cost of a page grows with everything restored before it, and the
    restore with the square of the archive (20,000 works: 10 % of the CPU in
    sqlite3WalFindFrame, 25 % by the end of the rows; the commit then copies it all into
    the database file once more). A rollback journal keeps only the pages the database
    had before, so a kill -9 still leaves it as it was (the next connection rolls the
    hot journal back). Leaving WAL needs every other connection closed; with the site
    running it fails at once and the restore goes through the WAL as before."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield None
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=DELETE")
            switched = cursor.fetchone()[0].lower() == "delete"
    except DatabaseError:
        switched = False  # "database is locked": another connection has it open
    try:
        yield switched
    finally:
        if switched:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA journal_mode=WAL")
            except DatabaseError:
                pass  # opened elsewhere meanwhile: that connection's init sets WAL


def _tune() -> None:
    """PostgreSQL, for this transaction: lz4 (PostgreSQL 14+) compresses the chapters'
    long text several times faster than the default pglz."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL default_toast_compression = 'lz4'")
    except DatabaseError:
        pass  # a server built without lz4 keeps its default


def _clear() -> None:
    """Empty every table the archive fills, and the ones whose rows would name the
    wrong members after a restore (sessions, queued tasks). Content types and
    permissions stay: other rows point at them by natural key."""
    qn = connection.ops.quote_name
    cleared = [t.model for t in reversed(tables()) if t.natural is None]
    cleared += [m for m, rule, _why in excluded_models() if rule is Excluded.CLEAR]
    with connection.cursor() as cursor:
        for model in cleared:
            cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")
        cursor.execute(f"DELETE FROM {SEARCH_TABLE}")


def archive_restore(
    *, path: Path, replace: bool = False, progress: Progress | None = None, jobs: int = 0
) -> Restored:
    """Restore the archive file at `path` into this database, in one transaction.

    Refuses a database that holds content unless `replace`; checks the file's format
    version and migrations first. Ends with the search documents (computed by `jobs`
    worker processes, default one per CPU) and a rebuild of every filter index. Raises
    ArchiveError, with nothing changed, if the file is damaged.
    """
    progress = progress or (lambda label, done, total: None)
    lines = read_lines(path)
    first = next(lines, None)
    if first is None:
        raise ArchiveError(f"{path} is empty.")
    header = check_header(path, first[1])
    _check_migrations(path, header)
    if not replace and (found := content_tables()):
        raise ArchiveError(
            f"This database is not empty ({', '.join(found[:4])}"
            f"{' …' if len(found) > 4 else ''} have rows). Restore into an empty, migrated "
            "database, or pass --replace to delete everything in it first."
        )
    media = _media_staging()
    pool = start_workers(jobs)
    try:
        with _rollback_journal() as journal, transaction.atomic():
            started = time.perf_counter()
            _tune()
            _clear()
            result = _load(path, lines, progress, media)
            result.rows_seconds = time.perf_counter() - started
            _after_rows()
            result.works = write_search_documents(pool, progress)
            result.search_seconds = time.perf_counter() - started - result.rows_seconds
            filter_index_rebuild_all()
        result.rollback_journal = journal
    except DatabaseError as error:
        # Foreign keys are checked at commit (a row pointing at one the file does not
        # hold); duplicates and values too long for a column fail on the way.
        raise ArchiveError(f"{path}: the database refused its rows ({error}).") from None
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    _media_commit(media)
    # Cached pages of whatever the database held before must not be served again (the
    # shared cache holds rate-limit counters only, which may stay).
    caches["default"].clear()
    return result


def _load(
    path: Path, lines: Iterator[tuple[int, Any]], progress: Progress, media: Path | None
) -> Restored:
    plan = {t.label: t for t in tables()}
    natural = _Natural()
    result = Restored()
    for number, item in lines:
        where = f"{path}:{number}"
        if isinstance(item, dict) and "table" in item:
            table = plan.get(item["table"])
            if table is None:
                raise ArchiveError(f"{where}: table {item['table']} does not exist here.")
            result.rows[table.label] = _load_table(table, item, lines, natural, progress, path)
        elif isinstance(item, dict) and "file" in item:
            _load_file(item, lines, media, where)
            result.files += 1
        elif isinstance(item, dict) and item.get("end-archive"):
            if item.get("rows") != sum(result.rows.values()) or next(lines, None) is not None:
                raise ArchiveError(f"{where}: the archive's last line does not match its rows.")
            return result
        else:
            raise ArchiveError(f"{where}: unexpected line (neither a table nor a file).")
    raise ArchiveError(f"{path} ends before its last line: the file is incomplete.")


def _load_table(
    table: Table, head: dict, lines: Iterator, natural: _Natural, progress: Progress, path: Path
) -> int:
    columns, total = head.get("columns"), head.get("rows", 0)
    if not isinstance(columns, list):
        raise ArchiveError(f"{path}: table {table.label} names no columns.")
    inserter = None if table.natural else _Inserter(table, columns, natural)
    done = 0
    for number, item in lines:
        if isinstance(item, dict):
            if item.get("end") != table.label or item.get("rows") != done or done != total:
                raise ArchiveError(
                    f"{path}:{number}: table {table.label} ends wrongly after {done} rows."
                )
            if inserter is not None:
                inserter.flush()
            progress(table.label, done, total)
            return done
        if inserter is None:
            natural.row(table.label, item)
        else:
            inserter.add(item, f"{path}:{number}")
        done += 1  # noqa: SIM113 (rows are counted, the table's last line is not one)
        if done % 5000 == 0:
            progress(table.label, done, total)
    raise ArchiveError(f"{path} ends inside table {table.label}: the file is incomplete.")


# --- media files: written beside MEDIA_ROOT, moved in after the commit -------------------


def _media_staging() -> Path | None:
    if not settings.MEDIA_ROOT:
        return None
    staging = Path(str(settings.MEDIA_ROOT).rstrip("/") + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    return staging


def _load_file(head: dict, lines: Iterator, staging: Path | None, where: str) -> None:
    if staging is None:
        raise ArchiveError(f"{where}: the archive holds media files, but MEDIA_ROOT is not set.")
    name = Path(str(head["file"]))
    if name.is_absolute() or ".." in name.parts:
        raise ArchiveError(f"{where}: media file name {name} leaves the media folder.")
    target = staging / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        for _ in range(int(head.get("chunks", 0))):
            item = next(lines, None)
            if item is None or not isinstance(item[1], str):
                raise ArchiveError(f"{where}: media file {name} is incomplete.")
            out.write(base64.b64decode(item[1]))


def _media_commit(staging: Path | None) -> None:
    if staging is None or not staging.exists():
        return
    root = Path(settings.MEDIA_ROOT)
    for file in sorted(p for p in staging.rglob("*") if p.is_file()):
        target = root / file.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        file.replace(target)
    shutil.rmtree(staging, ignore_errors=True)
