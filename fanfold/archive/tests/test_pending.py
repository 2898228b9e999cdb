"""Page-view writes are buffered, merged and written in batches, and none is lost: not
by concurrent flushes, not when the server is stopped."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from fanfold.archive.pending import PendingWrites, view_writes
from fanfold.history.models import Reading
from fanfold.history.services import reading_record
from fanfold.history.visits import ReadingBatch
from fanfold.works.hits import HitBatch
from fanfold.works.models import Work

ROOT = Path(settings.BASE_DIR)
DAY = datetime.date(2026, 2, 1)


def hits(work) -> int:
    return Work.objects.values_list("hits", flat=True).get(pk=work.pk)


def reading(user, work) -> Reading:
    return Reading.objects.get(user=user, work=work)


@pytest.mark.django_db
def test_a_flush_merges_visits_and_hits(make_user, make_work):
    reader, other = make_user("reader"), make_user("other")
    work = make_work(chapters=3)
    for position in (2, 3, 1):
        reading_record(user=reader, work=work, chapter_position=position)
    reading_record(user=other, work=work, chapter_position=1)
    for visitor in ("a", "b", "a", "a"):
        view_writes.add("hits", (work.pk, visitor, DAY))
    assert not Reading.objects.exists() and hits(work) == 0  # nothing written yet
    # Two readings (one per member) and two distinct visitors: four merged entries.
    assert view_writes.flush() == 4
    mine = reading(reader, work)
    assert (mine.visit_count, mine.chapter_position) == (3, 3)
    assert mine.first_visit <= mine.last_visit and mine.work_updated_at == work.updated_at
    assert reading(other, work).visit_count == 1
    assert hits(work) == 2
    assert view_writes.flush() == 0


@pytest.mark.django_db
def test_a_flush_adds_to_what_earlier_flushes_wrote(make_user, make_work):
    reader = make_user("reader")
    work = make_work(chapters=4)
    reading_record(user=reader, work=work, chapter_position=4)
    view_writes.flush()
    reading_record(user=reader, work=work, chapter_position=2)
    view_writes.flush()
    # The furthest chapter stays; visits add up.
    assert (reading(reader, work).visit_count, reading(reader, work).chapter_position) == (2, 4)


@pytest.mark.django_db
def test_a_work_deleted_before_the_flush_is_skipped(make_user, make_work):
    reader = make_user("reader")
    gone, kept = make_work(title="Gone"), make_work(title="Kept")
    reading_record(user=reader, work=gone, chapter_position=1)
    reading_record(user=reader, work=kept, chapter_position=1)
    view_writes.add("hits", (gone.pk, "v", DAY))
    Work.objects.filter(pk=gone.pk).delete()
    view_writes.flush()
    assert list(Reading.objects.values_list("work__title", flat=True)) == ["Kept"]


@pytest.mark.django_db
def test_a_failed_flush_keeps_the_entries_for_the_next(make_user, make_work, monkeypatch):
    reader = make_user("reader")
    work = make_work()
    reading_record(user=reader, work=work, chapter_position=1)

    def down(self):
        raise ConnectionError("database away")

    monkeypatch.setattr(ReadingBatch, "write", down)
    assert view_writes.flush() == 0
    monkeypatch.undo()
    reading_record(user=reader, work=work, chapter_position=1)
    view_writes.flush()
    assert reading(reader, work).visit_count == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_flushes_lose_nothing(make_user, make_work):
    """Six buffers (as six worker processes would have) with overlapping visitors and
    readers flush at the same moment: every visit counts once, every hit once per
    visitor, whichever transaction commits first."""
    works = [make_work(title=f"Work {i}") for i in range(3)]
    readers = [make_user(f"reader{i}") for i in range(4)]
    buffers = []
    for b in range(6):
        buffer = PendingWrites()
        buffer.register("hits", HitBatch)
        buffer.register("readings", ReadingBatch)
        buffer._pid = os.getpid()  # as if started: no flusher thread of its own
        for work in works:
            for user in readers:
                reading_record_into(buffer, user, work, position=b + 1)
            for visitor in (f"shared-{b % 2}", f"own-{b}"):
                buffer.add("hits", (work.pk, visitor, DAY))
        buffers.append(buffer)
    start = threading.Barrier(len(buffers))
    errors: list[BaseException] = []

    def flush(buffer: PendingWrites) -> None:
        try:
            start.wait()
            assert buffer.flush() > 0
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=flush, args=(b,)) for b in buffers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for work in works:
        assert hits(work) == 2 + 6  # two shared visitors, one of each buffer's own
        for user in readers:
            assert (reading(user, work).visit_count, reading(user, work).chapter_position) == (
                6,
                6,
            )


def reading_record_into(buffer: PendingWrites, user, work, *, position: int) -> None:
    from django.utils import timezone

    from fanfold.history.visits import Visit

    now = timezone.now()
    visit = Visit(first=now, last=now, count=1, position=position, work_updated_at=now)
    buffer.add("readings", ((user.pk, work.pk), visit))


# --- the real server ------------------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status


@pytest.mark.django_db(transaction=True)
def test_sigterm_to_the_server_writes_every_buffered_view(make_user, make_work):
    """`manage.py serve` with two granian workers and a flush interval far longer than
    the test: the only flush is the one each worker makes when SIGTERM stops it."""
    work = make_work(chapters=3)
    reader = make_user("reader")
    browser = Client()
    browser.force_login(reader)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fanfold.settings_test",
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "VIEW_WRITES_FLUSH_SECONDS": "3600",
        "FANFOLD_TASK_WORKER": "0",
    }
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "serve", "--port", str(port), "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, server)
        chapters = [c.get_absolute_url() for c in work.chapters.order_by("position")]
        cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
        # Enough requests that both workers serve some (granian spreads connections).
        for round_ in range(12):
            for guest in range(5):
                _get(base + chapters[0], {"User-Agent": f"guest-{guest}"})
            _get(base + chapters[round_ % 2], cookie)
        _get(base + chapters[2], cookie)
        assert hits(work) == 0 and not Reading.objects.exists()  # all still buffered
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0, server.stderr.read().decode()[-2000:]
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert hits(work) == 6  # five guests and the member, once each
    mine = reading(reader, work)
    assert (mine.visit_count, mine.chapter_position) == (13, 3)


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120  # granian starting on a busy machine
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(server.stderr.read().decode()[-2000:])
        try:
            _get(base + "/", {})
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer within 120 s")
