"""The online SQLite copy: a whole, working database while another connection writes."""

from __future__ import annotations

import io
import sqlite3
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="copies SQLite databases only")
def test_copy_while_another_connection_writes(tmp_path, make_work):
    make_work(title="In the copy")
    stop = threading.Event()
    written = []

    def writer() -> None:
        # A second writer (another site process) keeps committing during the copy.
        with sqlite3.connect(connection.settings_dict["NAME"], timeout=20) as live:
            while not stop.is_set():
                live.execute("INSERT INTO filters_filterchange (created_at) VALUES ('2026-01-01')")
                live.commit()
                written.append(1)
        live.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copy = tmp_path / "copy.sqlite3"
        out = io.StringIO()
        call_command("backup_sqlite", str(copy), stdout=out)
    finally:
        stop.set()
        thread.join()
    assert "checked" in out.getvalue()
    assert written
    with sqlite3.connect(copy) as db:
        titles = [r[0] for r in db.execute("SELECT title FROM works_work")]
    db.close()
    assert titles == ["In the copy"]
    assert not (tmp_path / "copy.sqlite3.partial").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL refusal")
def test_postgresql_is_pointed_at_pg_dump(tmp_path):
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup_sqlite", str(tmp_path / "x.sqlite3"), stdout=io.StringIO())
