"""`archive_export`: the whole archive into one file, table by table, in flat memory."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import django
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import F
from django.db.models.functions import Collate
from django.utils import timezone

from fanfold.backup.format import LEVEL, MAGIC, MEDIA_CHUNK, VERSION, ArchiveError, Writer
from fanfold.backup.plan import NATURAL, Table, encode, related_label, tables

CHUNK = 500  # rows fetched per round trip: what one table holds in memory at a time
Progress = Callable[[str, int, int], None]


def fanfold_version() -> str:
    try:
        return version("fanfold")
    except PackageNotFoundError:
        return "unknown"


def migration_state() -> dict[str, list[str]]:
    """Applied migrations per app, as the django_migrations table records them."""
    state: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name"):
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


@contextlib.contextmanager
def snapshot() -> Iterator[None]:
    """One consistent view of the database for the whole export, while the site goes on
    writing: a read-only REPEATABLE READ transaction on PostgreSQL; on SQLite (WAL) a
    deferred transaction, which takes no write lock (Django's IMMEDIATE mode would stop
    every writer until the export ends)."""
    if connection.in_atomic_block:
        yield  # the caller's transaction is the snapshot
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
        return
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("BEGIN DEFERRED")
    try:
        # The snapshot starts with the first read, not with BEGIN.
        raw.execute("SELECT COUNT(*) FROM django_migrations").fetchone()
        yield
    finally:
        raw.execute("COMMIT")


def _natural_key(table: Table, row: dict) -> list:
    """A content type or permission by what it names rather than its id."""
    if table.label == "contenttypes.contenttype":
        return [row["app_label"], row["model"]]
    return [row["codename"], *row["content_type"]]


def _natural_rows(table: Table, types: dict[int, list]) -> Iterator[list]:
    """Small tables (one row per model or permission): sorted in Python so that both
    databases, whatever their collation, list them in the same order."""
    if table.label == "contenttypes.contenttype":
        rows = [[a, m] for a, m in table.model._base_manager.values_list("app_label", "model")]
    else:
        rows = [
            [codename, *types[ct], name]
            for codename, ct, name in table.model._base_manager.values_list(
                "codename", "content_type_id", "name"
            )
        ]
    yield from sorted(rows)


def _natural_columns(table: Table) -> list[str]:
    if table.label == "contenttypes.contenttype":
        return ["app_label", "model"]
    return ["codename", "app_label", "model", "name"]


def _rows(table: Table, refs: dict[str, dict[int, list]]) -> Iterator[list]:
    """Rows in primary-key order, references to natural-key tables as natural keys."""
    columns = table.columns
    mapped = [
        (i, refs[label])
        for i, f in enumerate(table.fields)
        if (label := related_label(f)) in NATURAL and label is not None
    ]
    query = table.model._base_manager.order_by(_pk_order(table)).values_list(*columns)
    for values in query.iterator(chunk_size=CHUNK):
        row = [encode(v) for v in values]
        for i, keys in mapped:
            if values[i] is not None:
                row[i] = keys[values[i]]
        yield row


def _pk_order(table: Table) -> str | Collate:
    """Primary-key order; text keys by code point, which both databases agree on (their
    default collations do not)."""
    if table.model._meta.pk.get_internal_type() not in {"CharField", "TextField", "SlugField"}:
        return "pk"
    return Collate(F("pk"), "C" if connection.vendor == "postgresql" else "BINARY")


def _media_files() -> Iterator[Path]:
    root = Path(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else None
    if root is None or not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            yield Path(folder) / name


def archive_export(
    *, path: Path, level: int = LEVEL, progress: Progress | None = None
) -> dict[str, int]:
    """Write the whole archive to `path` (gzip'd JSON lines, docs/backup-format.md).

    Reads one consistent snapshot, one table at a time in chunks, so memory stays flat
    however big the archive; `level` is gzip's (1-9). Returns the row count per table.
    """
    progress = progress or (lambda label, done, total: None)
    _check_migrated()
    writer = Writer(path, level)
    counts: dict[str, int] = {}
    ok = False
    try:
        with snapshot():
            writer.line(
                {
                    "format": MAGIC,
                    "version": VERSION,
                    "fanfold": fanfold_version(),
                    "django": django.get_version(),
                    "database": connection.vendor,
                    "created_at": timezone.now().astimezone(dt.UTC).isoformat(),
                    "migrations": migration_state(),
                }
            )
            refs = _natural_refs()
            for table in tables():
                counts[table.label] = _export_table(writer, table, refs, progress)
            files = _export_media(writer, progress)
        writer.line(
            {
                "end-archive": True,
                "tables": len(counts),
                "rows": sum(counts.values()),
                "files": files,
            }
        )
        ok = True
    finally:
        writer.close(ok)
    return counts


def _check_migrated() -> None:
    """Every table must be in the shape the code expects before it is read."""
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in pending[:5])
        raise ArchiveError(
            f"This database has migrations to apply ({names}"
            f"{' …' if len(pending) > 5 else ''}): run `manage.py migrate` first."
        )


def _natural_refs() -> dict[str, dict[int, list]]:
    types = {pk: [a, m] for pk, a, m in ContentType.objects.values_list("pk", "app_label", "model")}
    refs: dict[str, dict[int, list]] = {"contenttypes.contenttype": types}
    if "auth.permission" in NATURAL:
        refs["auth.permission"] = {
            pk: [codename, *types[ct]]
            for pk, codename, ct in Permission.objects.values_list(
                "pk", "codename", "content_type_id"
            )
        }
    return refs


def _export_table(writer: Writer, table: Table, refs: dict, progress: Progress) -> int:
    total = table.model._base_manager.count()
    natural = table.natural is not None
    columns = _natural_columns(table) if natural else table.columns
    head: dict = {"table": table.label, "columns": columns, "rows": total}
    if natural:
        head["key"] = "natural"
    writer.line(head)
    rows = _natural_rows(table, refs["contenttypes.contenttype"]) if natural else _rows(table, refs)
    done = 0
    for row in rows:
        writer.line(row)
        done += 1
        if done % CHUNK == 0:
            progress(table.label, done, total)
    writer.line({"end": table.label, "rows": done})
    progress(table.label, done, total)
    return done


def _export_media(writer: Writer, progress: Progress) -> int:
    root = Path(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else Path()
    count = 0
    for file in _media_files():
        size = file.stat().st_size
        chunks = (size + MEDIA_CHUNK - 1) // MEDIA_CHUNK
        writer.line({"file": file.relative_to(root).as_posix(), "size": size, "chunks": chunks})
        with open(file, "rb") as stream:
            for _ in range(chunks):
                writer.line(base64.b64encode(stream.read(MEDIA_CHUNK)).decode("ascii"))
        count += 1
        progress("media files", count, 0)
    return count
