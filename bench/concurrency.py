"""Fanfold write-concurrency benchmark: many members leaving kudos and comments at once
against the real server (`manage.py serve`, default configuration), on SQLite and on
PostgreSQL. See bench/README.md.

    .venv/bin/python bench/concurrency.py [--writers 200] [--duration 30]
                                          [--backends sqlite,postgres] [--smoke]

For each backend it builds a throwaway database (members, sessions, works), starts the
server, runs `--writers` concurrent clients for `--duration` seconds, then checks the
database: every kudos and comment the server confirmed must be there, and the counters
on the works must equal the rows. The last line is always
`errors=<N> lost=<M>` summed over the backends. `--smoke` (10 writers, 20 works, 3 s)
exits with status 1 unless both are 0.

Fanfold's own modules are imported inside the functions that use them: the script picks
its database (environment variables) before Django is set up, and models cannot be
imported before that.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import shutil
import statistics
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from _common import RESULTS, SERVER_LOG, Server, run_child, step

PG_URL = "postgres://postgres@127.0.0.1:5432/fanfold_bench_concurrency"
WORKS = 150  # more than one writer can leave kudos on in the run, so kudos never run out
AUTHORS = 15
LOCKED = re.compile(rb"database is locked|database table is locked")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=200)
    parser.add_argument("--duration", type=int, default=30, help="seconds of load")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--works", type=int, default=WORKS, help=argparse.SUPPRESS)
    parser.add_argument(
        "--smoke", action="store_true", help="10 writers, 20 works, 3 s; fail on any error"
    )
    parser.add_argument("--prepare", help=argparse.SUPPRESS)  # internal: child process
    parser.add_argument("--verify", help=argparse.SUPPRESS)  # internal: child process
    args = parser.parse_args()
    if args.smoke:
        args.writers, args.works, args.duration = 10, 20, 3
    return args


# --- the child process: builds or checks one backend's database with Django ------------


# Fanfold modules are imported inside the child's functions, after _django(): importing
# them needs django.setup(), which runs only once the child has its database settings.
# No import cycle is involved.


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.settings")
    import django

    django.setup()


def child_prepare(writers: int, n_works: int) -> None:
    """Migrate, create members with logged-in sessions and posted works; print JSON."""
    _django()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command

    from fanfold.accounts.sessions.db import SessionStore

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    from fanfold.accounts.services import user_create
    from fanfold.tags.models import Tag
    from fanfold.works.fields import ChapterFields, WorkFields
    from fanfold.works.services import work_create

    rating = Tag.objects.named("General Audiences").get()
    warning = Tag.objects.named("No Archive Warnings Apply").get()
    authors = [
        user_create(username=f"author{i}", email=f"author{i}@example.org", password=None)
        for i in range(AUTHORS)
    ]
    works = []
    for n in range(n_works):
        work = work_create(
            creator=authors[n % AUTHORS],
            data=WorkFields(
                title=f"Busy Harbour {n}",
                rating=rating,
                warnings=[warning],
                fandoms=["Lighthouse Keepers"],
            ),
            chapter=ChapterFields(body="<p>The harbour was never quiet.</p>"),
            post=True,
        )
        works.append((work.pk, work.chapters.get().pk))
    sessions = []
    for i in range(writers):
        user = user_create(username=f"fan{i}", email=f"fan{i}@example.org", password=None)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    from fanfold.archive.forms import form_stamp

    # The comment form's time trap wants a stamp from a page shown a while ago; every
    # writer has "had the page open" for a minute.
    stamp = form_stamp(time.time() - 60)
    print(json.dumps({"works": works, "sessions": sessions, "stamp": stamp}))


def child_verify() -> None:
    """Count what the database holds; print JSON."""
    _django()
    from django.db.models import Sum

    from fanfold.comments.models import Comment
    from fanfold.kudos.models import Kudos
    from fanfold.works.models import Work

    sums = Work.objects.aggregate(k=Sum("kudos_count"), c=Sum("comment_count"))
    print(
        json.dumps(
            {
                "kudos_rows": Kudos.objects.count(),
                "kudos_counter": sums["k"] or 0,
                "comment_rows": Comment.objects.count(),
                "comment_counter": sums["c"] or 0,
            }
        )
    )


# --- the load: asyncio clients speaking plain HTTP/1.1 with keep-alive ----------------


@dataclass
class Tally:
    kudos_ok: int = 0
    comments_ok: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    connection_errors: int = 0
    latencies: list[float] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def refused(self) -> int:
        """4xx answers: none are expected (valid sessions, tokens and forms)."""
        return sum(n for status, n in self.statuses.items() if 400 <= status < 500)


async def _request(reader, writer, port: int, path: str, body: bytes, cookie: str) -> int:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
        f"Cookie: {cookie}\r\nConnection: keep-alive\r\n\r\n"
    ).encode()
    writer.write(head + body)
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def _writer_loop(
    port: int, session: str, data: dict, deadline: float, tally: Tally, seed: int
) -> None:
    works = data["works"]
    stamp = urllib.parse.quote(data["stamp"])
    rng = random.Random(seed)
    # A plain 32-character secret is a valid CSRF token for the cookie holding it.
    csrf = secrets.token_hex(16)
    cookie = f"sessionid={session}; csrftoken={csrf}"
    kudos_targets = rng.sample(works, len(works))
    reader = writer = None
    while time.monotonic() < deadline:
        if writer is None:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                tally.connection_errors += 1
                await asyncio.sleep(0.1)
                continue
        # A bool, not the list: popping its last work must not turn this kudos into a
        # comment in the tally below.
        leave_kudos = bool(kudos_targets) and rng.random() < 0.5
        if leave_kudos:
            work_id, _ = kudos_targets.pop()
            path, body = f"/works/{work_id}/kudos", f"csrfmiddlewaretoken={csrf}"
        else:
            work_id, chapter_id = rng.choice(works)
            text = f"Comment {rng.randrange(10**9)} from a busy reader."
            path = f"/works/{work_id}/comments"
            body = (
                f"csrfmiddlewaretoken={csrf}&chapter={chapter_id}&form_stamp={stamp}"
                f"&body={text.replace(' ', '+')}"
            )
        started = time.monotonic()
        try:
            status = await _request(reader, writer, port, path, body.encode(), cookie)
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError):
            tally.connection_errors += 1
            writer.close()
            reader = writer = None
            if leave_kudos:
                # The server may or may not have stored it: don't count it either way,
                # and don't try that work again.
                pass
            continue
        tally.latencies.append(time.monotonic() - started)
        tally.statuses[status] = tally.statuses.get(status, 0) + 1
        if status == 302:
            if leave_kudos:
                tally.kudos_ok += 1
            else:
                tally.comments_ok += 1
    if writer is not None:
        writer.close()


async def _load(port: int, data: dict, duration: int) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + duration
    await asyncio.gather(
        *(
            _writer_loop(port, session, data, deadline, tally, seed)
            for seed, session in enumerate(data["sessions"])
        )
    )
    return tally


# --- one backend ------------------------------------------------------------------------


def backend_env(backend: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    data_dir = RESULTS / f"concurrency-{backend}"
    env.update(
        FANFOLD_VAR_DIR=str(data_dir),
        FANFOLD_HTTPS="0",
        DJANGO_SETTINGS_MODULE="fanfold.settings",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        # The benchmark measures the database path; the per-account and per-address
        # flood limits would (rightly) turn most of one machine's 200 writers away.
        RATELIMIT_ENABLE="0",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="ERROR",
    )
    if backend == "postgres":
        env["DATABASE_URL"] = PG_URL
    return env


def reset_database(backend: str, env: dict[str, str]) -> None:
    data_dir = Path(env["FANFOLD_VAR_DIR"])
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    if backend == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS fanfold_bench_concurrency WITH (FORCE)")
            c.execute("CREATE DATABASE fanfold_bench_concurrency")


def child(env: dict[str, str], *args: str) -> dict:
    return run_child(__file__, env, [*args], timeout=1200)


@dataclass
class Outcome:
    backend: str
    errors: int
    lost: int


def run_backend(backend: str, writers: int, duration: int, works: int) -> Outcome:
    env = backend_env(backend)
    step(f"{backend}: building a throwaway database ({writers} members, {works} works)")
    started = time.monotonic()
    reset_database(backend, env)
    data = child(env, "--prepare", str(writers), "--works", str(works))
    print(f"    done in {time.monotonic() - started:.1f} s", flush=True)
    with Server(env, workers=os.cpu_count() or 2) as server:
        step(f"{backend}: {writers} writers leaving kudos and comments for {duration} s")
        tally = asyncio.run(_load(server.port, data, duration))
    log = SERVER_LOG.read_bytes() if SERVER_LOG.exists() else b""
    locked = len(LOCKED.findall(log))
    counts = child(env, "--verify", "x")
    lost_kudos = max(tally.kudos_ok - counts["kudos_rows"], 0)
    lost_comments = max(tally.comments_ok - counts["comment_rows"], 0)
    drift = abs(counts["kudos_rows"] - counts["kudos_counter"]) + abs(
        counts["comment_rows"] - counts["comment_counter"]
    )
    total = sum(tally.statuses.values())
    lat = sorted(tally.latencies) or [0.0]
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
    print(
        f"    {total / duration:.0f} writes/s ({tally.kudos_ok} kudos, {tally.comments_ok} "
        f"comments confirmed); latency p50 {statistics.median(lat) * 1000:.0f} ms, "
        f"p99 {p99:.0f} ms",
        flush=True,
    )
    print(
        f"    statuses {dict(sorted(tally.statuses.items()))}; connection errors "
        f"{tally.connection_errors}; 'database is locked' in the log: {locked}",
        flush=True,
    )
    print(
        f"    database: {counts['kudos_rows']} kudos rows (counters {counts['kudos_counter']}), "
        f"{counts['comment_rows']} comment rows (counters {counts['comment_counter']}); "
        f"lost kudos {lost_kudos}, lost comments {lost_comments}, counter drift {drift}",
        flush=True,
    )
    errors = tally.server_errors + tally.refused + tally.connection_errors + locked
    return Outcome(backend, errors=errors, lost=lost_kudos + lost_comments + drift)


def main() -> None:
    args = parse_args()
    if args.prepare:
        child_prepare(int(args.prepare), args.works)
        return
    if args.verify:
        child_verify()
        return
    outcomes = [
        run_backend(b.strip(), args.writers, args.duration, args.works)
        for b in args.backends.split(",")
    ]
    for o in outcomes:
        print(f"{o.backend}: errors={o.errors} lost={o.lost}")
    errors, lost = sum(o.errors for o in outcomes), sum(o.lost for o in outcomes)
    print(f"errors={errors} lost={lost}")
    if args.smoke and (errors or lost):
        sys.exit(1)


if __name__ == "__main__":
    main()
