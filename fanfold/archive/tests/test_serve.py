"""`manage.py serve`: the granian command line it runs."""

from django.db import connection

from fanfold.archive.management.commands.serve import default_threads, granian_argv


def threads(argv: list[str]) -> str:
    return argv[argv.index("--blocking-threads") + 1]


def test_one_thread_per_worker_on_sqlite_unless_web_threads_says_otherwise(monkeypatch):
    monkeypatch.delenv("WEB_THREADS", raising=False)
    expected = "1" if connection.vendor == "sqlite" else "4"  # (the PostgreSQL pass)
    assert threads(granian_argv(host="127.0.0.1", port=8000, workers=2)) == expected
    monkeypatch.setenv("WEB_THREADS", "3")
    assert threads(granian_argv(host="127.0.0.1", port=8000, workers=2)) == "3"


def test_default_threads_by_database():
    assert default_threads("django.db.backends.sqlite3") == 1
    assert default_threads("django.db.backends.postgresql") == 4
