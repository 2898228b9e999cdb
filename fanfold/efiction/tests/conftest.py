"""Fixtures shared by the eFiction tests: the `full` archive loaded into a real MariaDB."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import fanficfare
import pytest
from bs4 import BeautifulSoup
from fanficfare import adapters
from fanficfare.configurable import Configuration

from fanfold.efiction.source.dump import DumpSource

FIXTURES = Path(__file__).parent / "fixtures"

MARIADB = ("127.0.0.1", 3306)


def mariadb_or_skip() -> None:
    try:
        socket.create_connection(MARIADB, timeout=2).close()
    except OSError as e:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"MariaDB is not reachable on {MARIADB[0]}:{MARIADB[1]} ({e})")


@pytest.fixture
def loaded_database() -> Iterator[str]:
    """A fresh database holding the `full` fixture, loaded byte for byte."""
    mariadb_or_skip()
    import pymysql

    name = f"fanfold_efparse_{uuid.uuid4().hex[:10]}"
    conn = pymysql.connect(host=MARIADB[0], port=MARIADB[1], user="root", charset="latin1")
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}`")
            cur.execute(f"USE `{name}`")
            # Binary connection: the server stores the dump's bytes as they are, and
            # eFiction's zero dates load as they did on the old server.
            cur.execute("SET NAMES binary")
            cur.execute("SET SESSION sql_mode = ''")
            for _line, statement in DumpSource(str(FIXTURES / "full" / "dump.sql")).statements():
                cur.execute(statement)
        conn.commit()
        yield f"mysql://root@{MARIADB[0]}:{MARIADB[1]}/{name}"
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        conn.close()


# -- FanFicFare against a live server --------------------------------------------------

SITE = "gluttonyfiction.com"


@pytest.fixture
def download(live_server, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, SITE]

    def adapter_for(sid: int, *, is_adult: bool = False):
        url = f"http://{SITE}/viewstory.php?sid={sid}"
        config = Configuration(adapters.getConfigSectionsFor(url), "epub")
        defaults = Path(fanficfare.__file__).with_name("defaults.ini")
        config.read_file(StringIO(defaults.read_text(encoding="utf-8")))
        config.read_file(
            StringIO(
                f"[{SITE}]\n"
                f"http_proxy:{live_server.url}\n"
                f"is_adult:{'true' if is_adult else 'false'}\n"
                "slow_down_sleep_time:0\n"
                "use_basic_cache:false\n"
            )
        )
        return adapters.getAdapter(config, url)

    return adapter_for


def text_of(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def assert_chapters_hold_only_their_text(downloaded: list[dict], work) -> None:
    """Each chapter of a downloaded book is the chapter's text alone: its notes and end
    notes (printed beside div.chapter) never end up in it."""
    chapters = list(work.chapters.filter(posted=True).order_by("position"))
    assert len(downloaded) == len(chapters)
    for book_chapter, chapter in zip(downloaded, chapters, strict=True):
        text = text_of(book_chapter["html"])
        assert text == text_of(chapter.body_html)
        for notes in (chapter.notes_html, chapter.endnotes_html):
            if text_of(notes):
                assert text_of(notes) not in text
