"""`sqlite_copy`: a consistent copy of a live SQLite archive, without stopping the site."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.db import connection


class NotSQLite(Exception):
    """This archive runs on another database (use pg_dump or export_archive there)."""


def sqlite_copy(*, path: Path, check: bool = True) -> int:
    """Copy the live database to `path` with `VACUUM INTO`; returns its size in bytes.

    VACUUM INTO reads one snapshot in a single read transaction: in WAL mode writers
    carry on meanwhile (the backup API would restart on every write). The copy is
    written beside `path` and renamed when whole and checked, so a copy found at `path`
    is always complete.
    """
    if connection.vendor != "sqlite":
        raise NotSQLite(f"This archive runs on {connection.vendor}, not SQLite.")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    source = connection.settings_dict["NAME"]
    # A connection of its own: Django's runs in IMMEDIATE transaction mode and keeps
    # no statement open here, and VACUUM cannot run inside a transaction.
    with sqlite3.connect(source, timeout=60, isolation_level=None) as live:
        live.execute("VACUUM INTO ?", (str(partial),))
    live.close()
    if check:
        with sqlite3.connect(partial) as copy:
            result = copy.execute("PRAGMA quick_check").fetchone()
        copy.close()
        if result is None or result[0] != "ok":
            partial.unlink(missing_ok=True)
            raise sqlite3.DatabaseError(f"the copy failed its check: {result}")
    partial.replace(path)
    return path.stat().st_size
