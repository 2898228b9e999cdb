"""SQLite: a restore's one transaction uses a rollback journal when it has the database
to itself (a transaction larger than the page cache through the WAL costs more for
every page, the square of the archive in all), and the database is in WAL mode again
afterwards either way."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection

from fanfold.backup.restore import _rollback_journal

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's journal"),
]


def journal_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        return cursor.fetchone()[0].lower()


def test_the_restore_has_a_rollback_journal_and_wal_comes_back():
    assert journal_mode() == "wal"
    with _rollback_journal() as switched:
        assert switched is True
        assert journal_mode() == "delete"
    assert journal_mode() == "wal"


def test_with_the_database_open_elsewhere_the_restore_stays_in_wal():
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    try:
        other.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        with _rollback_journal() as switched:
            assert switched is False  # at once, without waiting for the other to close
            assert journal_mode() == "wal"
    finally:
        other.close()
    assert journal_mode() == "wal"
