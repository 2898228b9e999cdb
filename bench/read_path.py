"""Fanfold read-path benchmark: query counts, whole-work render time, and a wrk load test
of the real server on a generated demo archive. See bench/README.md.

    .venv/bin/python bench/read_path.py [--duration 10] [--connections 32]
                                        [--skip-load] [--rebuild] [--profile] [--smoke]
                                        [--postgres-redis] [--in-process [--runs 200]]

A guest phase and a member phase (a logged-in reader's session cookie) run back to back;
the last line is always `chapter page: guest <N> req/s, member <M> req/s, p99 <P> ms`
(P the worse of the two; unless --skip-load). `--postgres-redis` runs on the local
PostgreSQL (database fanfold_member_pages) with the local Redis (db 1) as both caches.
`--in-process` times every page type (guest and member, chapters, listings, a muting
member) through Django's test client, in CPU time so a busy machine skews it less, and
prints milliseconds per page instead of running the server and wrk.

Fanfold's own modules are imported inside the functions that use them: the script picks
its database (environment variables) before Django is set up, and models cannot be
imported before that.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import signal
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from _common import (
    BUILT_MARKER,
    DATA_DIR,
    DEMO_ARGS,
    SMOKE_DATA_DIR,
    SMOKE_DEMO_ARGS,
    Server,
    WrkResult,
    bench_env,
    build_data,
    ensure_wrk,
    run_wrk,
    step,
)

if TYPE_CHECKING:
    from django.http import HttpResponse
    from django.test import Client

HOST = "127.0.0.1"
GZIP = {"Accept-Encoding": "gzip"}  # what every browser sends
GATE_MARKER = b'class="adult-gate"'
WHOLE_WORK_TARGET_MS = 200.0
RPS_TARGET, P99_TARGET_MS = 1500, 50.0
MEMBER_RPS_TARGET, MEMBER_FULL_RPS_TARGET, MEMBER_LONG_WORK_TARGET_MS = 1000, 300, 30.0
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "fanfold_bench_read_path"
REDIS_URL = "redis://127.0.0.1:6379/1"
LISTING_TARGETS = {"guest": 1000, "member": 300}  # req/s, issue 12


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--skip-load", action="store_true", help="no server, no wrk")
    parser.add_argument("--rebuild", action="store_true", help=f"regenerate {DATA_DIR}")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile 500 cached chapter-page requests"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"a fresh 12-work archive in {SMOKE_DATA_DIR}, 1 s wrk runs with 4 connections; "
        "exit status 1 if the query counts are not constant",
    )
    parser.add_argument(
        "--postgres-redis",
        action="store_true",
        help=f"PostgreSQL ({PG_SERVER}/{PG_DATABASE}) and Redis ({REDIS_URL}) instead of "
        "SQLite and LocMem",
    )
    parser.add_argument(
        "--pg-database",
        default=PG_DATABASE,
        help="the PostgreSQL database --postgres-redis builds and uses (dropped and created "
        "afresh on the first run or with --rebuild: name one nobody else uses)",
    )
    parser.add_argument(
        "--redis-url",
        default=REDIS_URL,
        help="the Redis database --postgres-redis uses as both caches (emptied at the start)",
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="time each page type in-process (ms per page; no server, no wrk)",
    )
    parser.add_argument("--runs", type=int, default=200, help="requests per page for --in-process")
    args = parser.parse_args()
    if args.smoke:
        args.duration, args.connections, args.rebuild = 1, 4, True
    return args


def setup_django(env: dict[str, str]) -> None:
    """Configure Django in this process with the same environment as the server."""
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()


# --- what to measure ---------------------------------------------------------------------


@dataclass
class Targets:
    """URLs of real works in the generated archive."""

    small_chapter: str  # the only chapter of a 1-chapter work (same adultness as the long one)
    small_work: int
    long_chapter: str  # a middle chapter of the long work
    long_work: int
    long_chapters: int
    plain_chapter: str  # a middle chapter of a non-adult multi-chapter work
    tag_works: str


def _middle_chapter(work_id: int) -> int:
    from fanfold.works.models import Chapter

    ids = list(
        Chapter.objects.filter(work_id=work_id, posted=True)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    return ids[len(ids) // 2]


def pick_targets() -> Targets:
    """Choose the works to read from the database load_demo filled."""
    from django.db.models import Count

    from fanfold.tags.models import Tag, TagType
    from fanfold.works.models import Work

    public = Work.objects.visible_to(None).select_related("rating")
    long = public.order_by("-chapter_count", "pk").first()
    if long is None or long.chapter_count < 2:
        sys.exit("No multi-chapter work in the demo data: did load_demo run? Try --rebuild.")
    singles = list(public.filter(chapter_count=1).order_by("pk")[:100])
    multi = public.filter(chapter_count__gte=2).order_by("chapter_count", "pk")
    plain = [w for w in multi if not w.is_adult]
    if not singles or not plain:
        sys.exit("The demo data needs 1-chapter works and non-adult multi-chapter works.")
    small = next((w for w in singles if w.is_adult == long.is_adult), singles[0])
    plain_work = plain[len(plain) // 2]
    tag = (
        Tag.objects.filter(type=TagType.FANDOM, merger__isnull=True)
        .annotate(n=Count("work_tags"))
        .order_by("-n", "pk")
        .first()
    )
    return Targets(
        small_chapter=f"/works/{small.pk}/chapters/{_middle_chapter(small.pk)}",
        small_work=small.pk,
        long_chapter=f"/works/{long.pk}/chapters/{_middle_chapter(long.pk)}",
        long_work=long.pk,
        long_chapters=long.chapter_count,
        plain_chapter=f"/works/{plain_work.pk}/chapters/{_middle_chapter(plain_work.pk)}",
        tag_works=tag.get_works_url() if tag else "/works",
    )


def adult(path: str) -> str:
    """The path with the adult-content consent a reader gives at the gate."""
    return path + ("&" if "?" in path else "?") + "view_adult=true"


# --- in-process measurements ------------------------------------------------------------


def client() -> Client:
    """A new anonymous browser (no cookies yet)."""
    from django.test import Client

    return Client(HTTP_HOST=HOST)


def checked_get(c: Client, path: str, **extra: str) -> HttpResponse:
    """GET through the test client; fail loudly on anything but a readable 200 page."""
    response = c.get(path, **extra)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    if GATE_MARKER in response.content:
        raise RuntimeError(f"GET {path} showed the adult gate")
    return response


def count_queries(path: str) -> int:
    """Queries of one uncached anonymous first visit (fresh client, cache cleared)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        checked_get(client(), path)
    return len(ctx.captured_queries)


def query_report(t: Targets) -> bool:
    """Print query counts; True when every page costs the same for small and large works."""
    small, large = f"/works/{t.small_work}", f"/works/{t.long_work}"
    pairs = [
        ("chapter page", adult(t.small_chapter), adult(t.long_chapter)),
        ("work index (/navigate)", f"{small}/navigate", f"{large}/navigate"),
        (
            "whole work",
            adult(f"{small}?view_full_work=true"),
            adult(f"{large}?view_full_work=true"),
        ),
        ("listing page 1 vs 2", "/", "/?page=2"),
    ]
    print("\nQueries per uncached anonymous page (cache cleared, fresh client)")
    print(f"  {'':<24} 1-chapter work / page 1  vs  {t.long_chapters}-chapter work / page 2")
    constant = True
    for name, first, second in pairs:
        n_first, n_second = count_queries(first), count_queries(second)
        same = n_first == n_second
        constant &= same
        flag = "same" if same else "DIFFERENT - must be constant"
        print(f"  {name:<24} {n_first:>12}  vs  {n_second:>3}   {flag}")
    for name, path in [("/works", "/works"), ("tag works page", t.tag_works),
                       ("plain chapter page", t.plain_chapter)]:  # fmt: skip
        print(f"  {name:<24} {count_queries(path):>3}   ({path})")
    print(f"  constant for small and large works: {'yes' if constant else 'NO'}")
    return constant


def median_ms(path: str, runs: int, *, clear: bool, **extra: str) -> float:
    """Median in-process time of `runs` GETs by one reader (primed once when cached)."""
    from django.core.cache import cache

    c = client()
    checked_get(c, path, **extra)
    samples = []
    for _ in range(runs):
        if clear:
            cache.clear()
        started = time.perf_counter()
        checked_get(c, path, **extra)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def whole_work_report(t: Targets) -> float:
    """Print render time and size of the long work on one page; return the uncached ms."""
    path = adult(f"/works/{t.long_work}?view_full_work=true")
    uncached = median_ms(path, 5, clear=True)
    cached = median_ms(path, 20, clear=False)
    c = client()
    raw = len(checked_get(c, path).content)
    zipped = checked_get(c, path, HTTP_ACCEPT_ENCODING="gzip")
    if zipped.get("Content-Encoding") != "gzip":
        print("  warning: the whole work was not served gzip-compressed")
    verdict = "ok" if uncached < WHOLE_WORK_TARGET_MS else "OVER TARGET"
    print(f"\nWhole work on one page ({t.long_chapters} chapters): {path}")
    print(f"  uncached render   {uncached:8.1f} ms  (median of 5; target < 200 ms: {verdict})")
    print(f"  cached            {cached:8.1f} ms  (median of 20)")
    print(
        f"  size              {raw / 1024:8.0f} KiB raw, {len(zipped.content) / 1024:.0f} KiB gzip"
    )
    plain = median_ms(t.plain_chapter, 200, clear=False, HTTP_ACCEPT_ENCODING="gzip")
    print(f"  (cached chapter page, in-process: {plain:.2f} ms median of 200)")
    return uncached


def profile_cached(path: str, runs: int = 500) -> None:
    """cProfile `runs` cached requests of `path` and print where the time goes."""
    c = client()
    checked_get(c, path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        c.get(path, HTTP_ACCEPT_ENCODING="gzip")
    profiler.disable()
    print(f"\ncProfile of {runs} cached requests of {path} (top by cumulative time)")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(35)


# --- the real server under wrk -----------------------------------------------------------


def load_report(env: dict[str, str], t: Targets, args: argparse.Namespace) -> WrkResult:
    """Run wrk against the real server for each page; return the plain chapter's result."""
    wrk = ensure_wrk()
    workers = os.cpu_count() or 2
    runs: list[tuple[str, str, dict[str, str]]] = [
        ("chapter page", t.plain_chapter, GZIP),
        ("chapter page, no gzip", t.plain_chapter, {}),
        ("long work chapter (adult)", adult(t.long_chapter), GZIP),
        ("home page", "/", GZIP),
    ]
    results: dict[str, WrkResult] = {}
    load_before = os.getloadavg()[0]  # other busy processes skew the figures
    step(f"Starting `manage.py serve --workers {workers}`")
    with Server(env, workers) as server:
        for name, path, headers in runs:
            status, body = server.get(path)
            if status != 200 or GATE_MARKER in body:
                raise RuntimeError(f"{path} answered {status} (or the gate) on the server")
            step(f"wrk {name}: {path} ({args.duration} s, {args.connections} connections)")
            options = {"connections": args.connections, "headers": headers}
            warm_up = min(2, args.duration)
            run_wrk(wrk, server.base + path, duration=warm_up, **options)  # warm every worker
            results[name] = run_wrk(wrk, server.base + path, duration=args.duration, **options)
    threads = os.environ.get("WEB_THREADS", "serve's default")
    wrk_args = f"wrk -t2 -c{args.connections} -d{args.duration}s"
    print(f"\nLoad test: {workers} worker(s), WEB_THREADS={threads}, {wrk_args} per page")
    print(f"  (1-minute load average before it: {load_before:.2f} on {workers} CPUs)")
    for name, r in results.items():
        extra = f"  non-2xx {r.non_2xx}" if r.non_2xx else ""
        extra += f"  socket errors:{r.socket_errors}" if r.socket_errors else ""
        latency = f"p50 {r.p50_ms:6.1f} ms  p99 {r.p99_ms:6.1f} ms"
        print(f"  {name:<27} {r.rps:8.0f} req/s  {latency}{extra}")
    headline = results["chapter page"]
    met = headline.rps >= RPS_TARGET and headline.p99_ms < P99_TARGET_MS
    verdict = "ok" if met else "BELOW TARGET"
    target = f">= {RPS_TARGET} req/s, p99 < {P99_TARGET_MS:.0f} ms"
    print(f"  target for the chapter page: {target}: {verdict}")
    return headline


# --- members (issue 12): a logged-in reader's pages ---------------------------------------


def postgres_redis_env(
    data_dir: Path, rebuild: bool, demo_args: list[str], name: str, redis_url: str
) -> dict[str, str]:
    """The bench environment on the local PostgreSQL (database `name`) and Redis; a fresh
    database and demo archive unless one was built before."""
    import psycopg

    # One marker directory per database, so two databases never share a "built" mark.
    data_dir = data_dir.with_name(f"{data_dir.name}-postgres-{name}")
    env = bench_env(data_dir)
    env["DATABASE_URL"], env["REDIS_URL"] = f"{PG_SERVER}/{name}", redis_url
    if rebuild or not (data_dir / BUILT_MARKER).exists():
        step(f"Creating the PostgreSQL database {name} afresh")
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        build_data(env, True, demo_args)
    return env


def flush_redis() -> None:
    """Empty the bench's Redis database: cached pages and states of an earlier build
    would carry the same ids and versions."""
    from django.core.cache import caches

    caches["default"].clear()


@dataclass
class Readers:
    """Session cookies of two bench members and the pages they read."""

    cookie: str  # a member who mutes nobody (the fast path), reading history off
    muter_cookie: str  # a member who mutes someone (the full render)
    historian_cookie: str  # like `cookie`, with reading history on
    chapter: str  # the guests' plain chapter page
    members_only_chapter: str
    ten_chapters_full: str  # the whole-work view of a work of about 10 chapters
    long_full: str  # the whole-work view of the longest work


def _member(name: str, *, history: bool = True):
    from fanfold.accounts.models import User
    from fanfold.accounts.services import user_create

    user = User.objects.filter(username=name).first()
    if user is None:
        user = user_create(
            username=name, email=f"{name}@example.org", password=secrets.token_urlsafe(16)
        )
    # The long work is adult: this reader consented once in their preferences.
    User.objects.filter(pk=user.pk).update(view_adult=True, history_enabled=history)
    user.refresh_from_db()
    return user


def _session_cookie(user) -> str:
    from django.test import Client

    c = Client(HTTP_HOST=HOST)
    c.force_login(user)
    return c.cookies["sessionid"].value


def member_setup(t: Targets) -> Readers:
    """Two members (one muting a creator) and the works they read."""
    from fanfold.accounts.models import User
    from fanfold.blocking.models import Mute
    from fanfold.blocking.services import user_mute
    from fanfold.works.models import Creatorship, Work

    # The headline reader keeps no history, so it measures the read path alone; the
    # "history on" reader measures the same page with its visit buffered in memory.
    reader, muter = _member("bench-reader", history=False), _member("bench-muter")
    historian = _member("bench-historian")
    members_only = (
        Work.objects.members_only().filter(chapter_count__gte=2).order_by("pk").first()
        or Work.objects.members_only().order_by("pk").first()
    )
    if members_only is None:
        sys.exit("The demo data has no members-only work: try --rebuild.")
    public = Work.objects.visible_to(None)
    ten = min(
        public.filter(chapter_count__gte=2).order_by("pk"),
        key=lambda w: (abs(w.chapter_count - 10), w.pk),
    )
    if not Mute.objects.filter(muter=muter).exists():
        creator = (
            Creatorship.objects.exclude(work_id=t.long_work).values_list("pseud__user", flat=True)
        ).first()
        user_mute(muter=muter, muted=User.objects.get(pk=creator))
    return Readers(
        cookie=_session_cookie(reader),
        muter_cookie=_session_cookie(muter),
        historian_cookie=_session_cookie(historian),
        chapter=t.plain_chapter,
        members_only_chapter=f"/works/{members_only.pk}/chapters/"
        f"{_middle_chapter(members_only.pk)}",
        ten_chapters_full=f"/works/{ten.pk}?view_full_work=true",
        long_full=f"/works/{t.long_work}?view_full_work=true",
    )


def member_client(cookie: str) -> Client:
    from django.test import Client

    c = Client(HTTP_HOST=HOST)
    c.cookies["sessionid"] = cookie
    return c


def member_reads(cookie: str, path: str) -> int:
    """SELECTs of a warm member page, without the reading history's own statements
    (buffered by the server once fanfold.history batches them). The fewest of three
    requests: the site settings row is read again once its per-process cache lapses
    (every SITE_SETTINGS_CACHE_SECONDS), which any one request may happen to pay."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = member_client(cookie)
    checked_get(c, path)
    counts = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as ctx:
            checked_get(c, path)
        counts.append(
            sum(
                1
                for q in ctx.captured_queries
                if q["sql"].lstrip().upper().startswith("SELECT")
                and "history_reading" not in q["sql"]
            )
        )
    return min(counts)


def member_query_report(r: Readers) -> bool:
    """Print warm member reads; True when they are at most 4 and the same for every page."""
    pages = [
        ("chapter page", r.chapter),
        ("members-only chapter", r.members_only_chapter),
        ("10-chapter whole work", r.ten_chapters_full),
        ("longest whole work", r.long_full),
    ]
    print("\nReads per warm member page (SELECTs; reading history left out)")
    counts = []
    for name, path in pages:
        n = member_reads(r.cookie, path)
        counts.append(n)
        print(f"  {name:<24} {n:>3}   ({path})")
    ok = max(counts) <= 4 and len(set(counts)) == 1
    print(f"  at most 4 and constant: {'yes' if ok else 'NO'}")
    return ok


def member_median_ms(cookie: str, path: str, runs: int) -> float:
    c = member_client(cookie)
    checked_get(c, path, HTTP_ACCEPT_ENCODING="gzip")
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        checked_get(c, path, HTTP_ACCEPT_ENCODING="gzip")
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def member_whole_work_report(r: Readers) -> None:
    long_ms = member_median_ms(r.cookie, r.long_full, 20)
    verdict = "ok" if long_ms < MEMBER_LONG_WORK_TARGET_MS else "OVER TARGET"
    print("\nMember pages in-process (cached, gzip; median)")
    print(f"  longest whole work   {long_ms:7.2f} ms  (target < 30 ms: {verdict})")
    print(f"  chapter page         {member_median_ms(r.cookie, r.chapter, 200):7.2f} ms")
    historian = member_median_ms(r.historian_cookie, r.chapter, 100)
    print(f"  chapter, history on  {historian:7.2f} ms  (the visit buffered in memory)")
    muting = member_median_ms(r.muter_cookie, r.chapter, 50)
    print(f"  chapter page, muting {muting:7.2f} ms  (a member who mutes someone: full render)")


def member_load_report(env: dict[str, str], r: Readers, args: argparse.Namespace) -> WrkResult:
    """wrk with a member's session cookie; return the public chapter page's result."""
    wrk = ensure_wrk()
    workers = os.cpu_count() or 2
    runs = [
        ("member chapter page", r.chapter, r.cookie),
        ("member members-only chapter", r.members_only_chapter, r.cookie),
        ("member 10-chapter whole work", r.ten_chapters_full, r.cookie),
        ("muting member chapter page", r.chapter, r.muter_cookie),
        ("member chapter, history on", r.chapter, r.historian_cookie),
    ]
    results: dict[str, WrkResult] = {}
    step(f"Starting `manage.py serve --workers {workers}` for the member phase")
    with Server(env, workers) as server:
        for name, path, cookie in runs:
            headers = {**GZIP, "Cookie": f"sessionid={cookie}"}
            step(f"wrk {name}: {path} ({args.duration} s, {args.connections} connections)")
            options = {"connections": args.connections, "headers": headers}
            run_wrk(wrk, server.base + path, duration=min(2, args.duration), **options)
            results[name] = run_wrk(wrk, server.base + path, duration=args.duration, **options)
    print(f"\nMember load test: {workers} worker(s), wrk -c{args.connections} -d{args.duration}s")
    for name, res in results.items():
        extra = f"  non-2xx {res.non_2xx}" if res.non_2xx else ""
        latency = f"p50 {res.p50_ms:6.1f} ms  p99 {res.p99_ms:6.1f} ms"
        print(f"  {name:<29} {res.rps:8.0f} req/s  {latency}{extra}")
    headline = results["member chapter page"]
    full = results["member 10-chapter whole work"]
    met = headline.rps >= MEMBER_RPS_TARGET and headline.p99_ms < P99_TARGET_MS
    print(f"  member chapter >= {MEMBER_RPS_TARGET} req/s, p99 < 50 ms: {'ok' if met else 'BELOW'}")
    verdict = "ok" if full.rps >= MEMBER_FULL_RPS_TARGET else "BELOW"
    print(f"  10-chapter whole work >= {MEMBER_FULL_RPS_TARGET} req/s: {verdict}")
    return headline


# --- listings, for guests and members ----------------------------------------------------


def member_cookie() -> dict[str, str]:
    """A signed-in demo member's session cookie (a member with no mutes, blocks or
    standing exclusions: the common case), created in this process's database."""
    from django.conf import settings

    from fanfold.accounts.models import User
    from fanfold.blocking.models import Mute
    from fanfold.filters.models import StandingExclusion

    member = (
        User.objects.filter(is_active=True, is_staff=False)
        .exclude(pk__in=Mute.objects.values("muter"))
        .exclude(pk__in=StandingExclusion.objects.values("user"))
        .order_by("pk")
        .first()
    )
    if member is None:
        sys.exit("The demo data has no plain member to read as.")
    browser = client()
    browser.force_login(member)
    name = settings.SESSION_COOKIE_NAME
    return {"Cookie": f"{name}={browser.cookies[name].value}"}


def listing_pages(t: Targets) -> list[tuple[str, str]]:
    """The home page and /works with three filters (a fandom, a word count, a sort)."""
    fandom = t.tag_works.split("/tags/", 1)[-1].split("/", 1)[0] if "/tags/" in t.tag_works else ""
    filtered = f"/works?tag={fandom}&words_min=1000&sort=kudos" if fandom else "/works?sort=kudos"
    return [("home page", "/"), ("works, 3 filters", filtered)]


def listing_report(env: dict[str, str], t: Targets, args: argparse.Namespace) -> dict:
    """wrk on the listings as a guest and as a member; returns {phase: WrkResult}."""
    wrk = ensure_wrk()
    workers = 2
    cookie = member_cookie()
    results: dict[str, WrkResult] = {}
    step(f"Listings: starting `manage.py serve --workers {workers}`")
    with Server(env, workers) as server:
        for name, path in listing_pages(t):
            for who, headers in (("guest", GZIP), ("member", {**GZIP, **cookie})):
                step(f"wrk {name} as {who}: {path} ({args.duration} s)")
                options = {"connections": args.connections, "headers": headers}
                run_wrk(wrk, server.base + path, duration=min(2, args.duration), **options)
                result = run_wrk(wrk, server.base + path, duration=args.duration, **options)
                if result.non_2xx:
                    raise RuntimeError(f"{path} as {who}: {result.non_2xx} non-2xx answers")
                results[f"{name}, {who}"] = result
    print(f"\nListings: {workers} workers, wrk -t2 -c{args.connections} -d{args.duration}s")
    for phase, r in results.items():
        target = LISTING_TARGETS["member" if phase.endswith("member") else "guest"]
        verdict = "ok" if r.rps >= target else f"below {target}"
        print(f"  {phase:<27} {r.rps:8.0f} req/s  p50 {r.p50_ms:6.1f} ms  "
              f"p99 {r.p99_ms:6.1f} ms  ({verdict})")  # fmt: skip
    return results


# --- every page type in-process (--in-process) --------------------------------------------


def in_process_pages(t: Targets, r: Readers) -> list[tuple[str, str, str | None]]:
    """(name, path, session cookie or None for a guest) of every page type measured."""
    home, filtered = (path for _, path in listing_pages(t))
    return [
        ("guest chapter page", t.plain_chapter, None),
        ("member chapter page", r.chapter, r.cookie),
        ("member members-only chapter", r.members_only_chapter, r.cookie),
        ("member 10-chapter whole work", r.ten_chapters_full, r.cookie),
        ("member longest whole work", r.long_full, r.cookie),
        ("member chapter, history on", r.chapter, r.historian_cookie),
        ("muting member chapter page", r.chapter, r.muter_cookie),
        ("guest home page", home, None),
        ("member home page", home, r.cookie),
        ("muting member home page", home, r.muter_cookie),
        ("guest works, 3 filters", filtered, None),
        ("member works, 3 filters", filtered, r.cookie),
    ]


def in_process_report(t: Targets, r: Readers, runs: int) -> dict[str, float]:
    """Median CPU ms per page type, `runs` requests of each in a row (a listing's cache
    entry lives in a ten-second bucket: spread over minutes, every request would miss)."""
    pages = in_process_pages(t, r)
    samples: dict[str, list[float]] = {name: [] for name, _, _ in pages}
    for name, path, cookie in pages:
        browser = member_client(cookie) if cookie else client()
        checked_get(browser, path, HTTP_ACCEPT_ENCODING="gzip")  # warm every cache
        for _ in range(runs):
            # CPU time of this process (SQLite runs in it): waiting for a CPU that other
            # processes hold is not counted, so a loaded machine skews the figures less.
            started = time.process_time()
            checked_get(browser, path, HTTP_ACCEPT_ENCODING="gzip")
            samples[name].append((time.process_time() - started) * 1000)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"\nIn-process CPU time, Django test client, gzip, warm caches (median of {runs})")
    print(f"  (1-minute load average: {os.getloadavg()[0]:.2f}; compare pages within one run)")
    for name, path, _ in pages:
        print(f"  {name:<30} {medians[name]:8.2f} ms  ({path})")
    return medians


def main() -> None:
    args = parse_args()
    # A plain `kill` must also stop the server: turn SIGTERM into SystemExit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    data_dir = SMOKE_DATA_DIR if args.smoke else DATA_DIR
    demo_args = SMOKE_DEMO_ARGS if args.smoke else DEMO_ARGS
    if args.postgres_redis:
        env = postgres_redis_env(
            data_dir, args.rebuild, demo_args, args.pg_database, args.redis_url
        )
    else:
        env = bench_env(data_dir)
        build_data(env, args.rebuild, demo_args)
    setup_django(env)
    if args.postgres_redis:
        flush_redis()
    targets = pick_targets()
    print(f"\nFanfold read path, data in {data_dir}")
    print(f"  plain chapter {targets.plain_chapter}, long work chapter {targets.long_chapter}")
    print(f"  1-chapter work {targets.small_chapter}, tag page {targets.tag_works}")
    constant = True
    if not args.in_process or args.smoke:
        step("Counting queries")
        constant = query_report(targets)
        step("Timing the whole-work view")
        whole_work_report(targets)
    if args.profile:
        profile_cached(targets.plain_chapter)
    step("Member pages in-process")
    readers = member_setup(targets)
    member_constant = member_query_report(readers)
    if not args.in_process or args.smoke:
        member_whole_work_report(readers)
    if args.in_process:
        ms = in_process_report(targets, readers, 5 if args.smoke else args.runs)
        print(
            f"chapter page in-process: guest {ms['guest chapter page']:.2f} ms, "
            f"member {ms['member chapter page']:.2f} ms"
        )
    elif args.skip_load:
        print("\n(load test skipped)")
    else:
        guest = load_report(env, targets, args)
        listing_report(env, targets, args)
        member = member_load_report(env, readers, args)
        p99 = max(guest.p99_ms, member.p99_ms)
        print(
            f"chapter page: guest {round(guest.rps)} req/s, member {round(member.rps)} req/s, "
            f"p99 {p99:.1f} ms"
        )
    if args.smoke and not (constant and member_constant):
        sys.exit(1)  # the report above says which page's query count grew


if __name__ == "__main__":
    main()
