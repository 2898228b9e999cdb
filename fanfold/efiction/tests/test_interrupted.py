"""kill -9 in the middle of an import, then run it again: the same archive as one clean run.

Both imports run as real `manage.py import_efiction` processes (with the default worker
pool) against their own SQLite files; the interrupted one is killed with SIGKILL by the
command's own test hook after two chapter batches have been committed.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FULL = Path(__file__).parent / "fixtures" / "full" / "dump.sql"

# What a reader, author or admin sees, compared table by table (ids included: they are
# the eFiction ids, and old links depend on them).
SNAPSHOT = {
    "works_work": "id, title, summary_html, notes_html, approval, posted, restricted, featured, "
    "complete, expected_chapters, chapter_count, word_count, comment_count, bookmark_count, "
    "hits, published_at, updated_at, (SELECT name FROM tags_tag WHERE id = rating_id)",
    "works_chapter": "id, work_id, position, title, body_html, notes_html, endnotes_html, "
    "posted, word_count, hits",
    "comments_comment": "work_id, news_post_id, chapter_id, parent_id IS NULL, depth, "
    "body_html, user_id, guest_name, by_creator",
    "accounts_user": "id, username, password, email, is_staff, is_superuser, is_active, "
    "trusted_author, bio_html",
    "accounts_pseud": "id, user_id, name, is_default",
    "tags_tag": "name, type, canonical, adult, warning_text",
    "works_worktag": "work_id, (SELECT name FROM tags_tag WHERE id = tag_id)",
    "works_creatorship": "work_id, pseud_id, approved, position",
    "works_series": "id, title, owner_id, state",
    "works_serialwork": "series_id, work_id, position, approved",
    "bookmarks_bookmark": "user_id, work_id, series_id, notes",
    "subscriptions_subscription": "user_id, work_id, series_id, creator_id",
    "challenges_challenge": "id, title, owner_id, challenger_name",
    "archive_sitesettings": "site_name, tagline, disclaimer_html",
    "pages_page": "slug, title, body_html",
    "news_newspost": "id, title, body_html, author_id, published_at, comment_count",
}


def manage(db: Path, *args: str, crash_after: int | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DEBUG="1", DATABASE_URL=f"sqlite:///{db}", FANFOLD_VAR_DIR=str(db.parent))
    env.pop("FANFOLD_IMPORT_CRASH_AFTER", None)
    if crash_after is not None:
        env["FANFOLD_IMPORT_CRASH_AFTER"] = str(crash_after)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def snapshot(db: Path) -> dict[str, list]:
    with sqlite3.connect(db) as conn:
        return {
            table: sorted(map(repr, conn.execute(f"SELECT {columns} FROM {table}")))  # noqa: S608
            for table, columns in SNAPSHOT.items()
        }


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("efiction") / "empty.sqlite3"
    done = manage(db, "migrate", "--noinput", "-v0")
    assert done.returncode == 0, done.stderr
    return db


def test_killed_import_completes_on_the_next_run(migrated: Path, tmp_path: Path):
    clean, killed = tmp_path / "clean.sqlite3", tmp_path / "killed.sqlite3"
    shutil.copy(migrated, clean)
    shutil.copy(migrated, killed)

    done = manage(clean, "import_efiction", str(FULL), "--batch-size", "3")
    assert done.returncode == 0, done.stderr
    assert count(clean, "works_chapter") == 24

    done = manage(killed, "import_efiction", str(FULL), "--batch-size", "3", crash_after=2)
    assert done.returncode == -signal.SIGKILL
    # It died half-way: the first pass and some chapter batches are in, not the rest.
    assert count(killed, "works_work") == 10
    assert 0 < count(killed, "works_chapter") < 24

    done = manage(killed, "import_efiction", str(FULL), "--batch-size", "3")
    assert done.returncode == 0, done.stderr
    assert snapshot(killed) == snapshot(clean)
