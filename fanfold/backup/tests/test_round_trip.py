"""The archive survives a move between SQLite and PostgreSQL record for record, and a
restore killed with SIGKILL leaves an empty database or a complete one.

The suite's own database is the source (demo works, every eFiction fixture import, a
few things neither makes); the other backend is a scratch database restored by real
`manage.py` processes, migrated once for this module and cloned for each use.
"""

from __future__ import annotations

import gzip
import io
import itertools
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection

from fanfold.accounts.models import User
from fanfold.api.services import api_token_create
from fanfold.blocking.models import Block
from fanfold.feeds.services import feed_key_issue
from fanfold.filters.models import SavedFilter

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fanfold" / "efiction" / "tests" / "fixtures"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"

pytestmark = pytest.mark.django_db(transaction=True)


def manage(url: str, var_dir: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(DEBUG="1", DATABASE_URL=url, FANFOLD_VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run(url: str, var_dir: Path, *args: str) -> str:
    proc = manage(url, var_dir, *args)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out[-3000:]
    return out


class Scratch:
    """Empty, migrated databases of the backend the suite is not running on."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.postgres = connection.vendor != "postgresql"
        self.made: list[str] = []
        self.template = self._create("template")
        run(self.template, base, "migrate", "--noinput", "--verbosity", "0")

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def _create(self, label: str, template: str | None = None) -> str:
        if not self.postgres:
            path = self.base / f"{label}.sqlite3"
            if template:
                shutil.copyfile(template.removeprefix("sqlite:///"), path)
            return f"sqlite:///{path}"
        name = f"fanfold_backup_test_{uuid.uuid4().hex[:10]}_{label}"
        clause = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
        self._admin(f'CREATE DATABASE "{name}"{clause}')
        self.made.append(name)
        return f"{PG_SERVER}/{name}"

    def fresh(self, label: str) -> str:
        return self._create(label, template=self.template)

    def count(self, url: str, table: str) -> int:
        sql = f"SELECT COUNT(*) FROM {table}"  # noqa: S608 (table names from the tests)
        if self.postgres:
            import psycopg

            with psycopg.connect(url) as conn:
                row = conn.execute(sql).fetchone()
        else:
            with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
                row = conn.execute(sql).fetchone()
        assert row is not None
        return int(row[0])

    def drop(self) -> None:
        for name in self.made:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Iterator[Scratch]:
    if connection.vendor != "postgresql":
        try:
            import psycopg

            psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3).close()
        except Exception as error:
            if os.environ.get("CI"):
                raise
            pytest.skip(f"PostgreSQL is not reachable at {PG_SERVER} ({error})")
    made = Scratch(tmp_path_factory.mktemp("scratch"))
    yield made
    made.drop()


def records(path: Path) -> list[bytes]:
    """The file's lines after its header (which names the database and the time)."""
    with gzip.open(path, "rb") as stream:
        return stream.readlines()[1:]


def assert_same_records(first: Path, second: Path) -> None:
    for number, (a, b) in enumerate(itertools.zip_longest(records(first), records(second)), 2):
        assert a == b, f"line {number} differs:\n{a!r}\n{b!r}"


def export(path: Path) -> Path:
    call_command("export_archive", str(path), stdout=io.StringIO())
    return path


def fill_archive() -> None:
    call_command(
        "load_demo", works=6, seed=3, long_work_chapters=3, long_work_words=3000,
        stdout=io.StringIO(),
    )  # fmt: skip
    for dump, extra in [
        ("full", {}),
        ("backup", {}),
        ("string_ratings", {}),
        ("files", {"stories_dir": FIXTURES / "files" / "stories"}),
        ("broken", {}),
    ]:
        call_command(
            "import_efiction", str(FIXTURES / dump / "dump.sql"), jobs=1,
            stdout=io.StringIO(), stderr=io.StringIO(), **extra,
        )  # fmt: skip
    # What neither makes: a group and a permission of a member's own, a block, a filter,
    # an API token and a private feed key.
    member, other = User.objects.order_by("pk")[:2]
    api_token_create(user=member, name="reader app")
    feed_key_issue(user=other)
    member.groups.add(Group.objects.order_by("pk").first())
    member.user_permissions.add(Permission.objects.get(codename="change_tag"))
    Block.objects.create(blocker=member, blocked=other)
    SavedFilter.objects.create(user=member, name="Fluff", path="/works", query="tag=1")


def test_round_trip_to_the_other_database_and_back_is_lossless(scratch, tmp_path):
    fill_archive()
    here = export(tmp_path / "here.jsonl.gz")
    there_url = scratch.fresh("round_trip")
    run(there_url, tmp_path, "restore_archive", str(here))
    there = tmp_path / "there.jsonl.gz"
    run(there_url, tmp_path, "export_archive", str(there))
    assert_same_records(here, there)

    # And back: the other database's file restored over this one.
    out = io.StringIO()
    call_command("restore_archive", str(there), "--replace", stdout=out)
    assert "Committed" in out.getvalue()
    assert_same_records(there, export(tmp_path / "back.jsonl.gz"))
    assert User.objects.filter(username="Admin Anne").exists()
    # New rows get new ids (PostgreSQL's sequences were moved past the restored ones).
    newest = User.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert User.objects.create(username="joined-after-the-move").pk > newest


@pytest.mark.parametrize(
    "moment",
    [
        # Works and their chapters are in, the rest and the commit are still to come.
        "works.chapter:",
        # Every row is in; the worker processes are writing the search documents.
        "search documents:",
    ],
)
def test_a_killed_restore_leaves_an_empty_or_complete_database(scratch, tmp_path, moment):
    call_command(
        "load_demo", works=6, seed=4, long_work_chapters=3, long_work_words=3000,
        stdout=io.StringIO(),
    )  # fmt: skip
    archive = export(tmp_path / "kill.jsonl.gz")
    expected = {t: _rows_in(archive, t) for t in ("works.work", "works.chapter", "accounts.user")}
    url = scratch.fresh("killed")
    proc = manage(url, tmp_path, "restore_archive", str(archive), "--jobs", "2")
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if moment in line:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)
    found = {label: scratch.count(url, label.replace(".", "_")) for label in expected}
    assert found in ({label: 0 for label in expected}, expected), found
    if not any(found.values()):
        # Nothing was left half-done or locked: the same restore now completes.
        run(url, tmp_path, "restore_archive", str(archive))
        assert {
            label: scratch.count(url, label.replace(".", "_")) for label in expected
        } == expected


def _rows_in(path: Path, label: str) -> int:
    with gzip.open(path, "rb") as stream:
        for raw in stream:
            if raw.startswith(b"{") and f'"table":"{label}"'.encode() in raw:
                return json.loads(raw)["rows"]
    raise AssertionError(label)
