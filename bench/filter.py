"""Filter-engine benchmark: 1,000,000 works, six query shapes, with and without facets.

    .venv/bin/python bench/filter.py [--works N] [--postgres] [--regenerate] [--smoke]

Generates a corpus with realistic skew into a throwaway database that uses the real
schema (cached as var/bench/filter-<N>.sqlite3, so reruns skip generation; made again
when the app has migrations the corpus predates), builds the host's filter index
snapshot in a process of its own (prints its build time, peak memory and size on disk),
starts a second process as a new web worker would (prints how long its first filtered
listing takes and how much memory mapping the snapshot costs it), and a third that
searches (its first text search, and what searching adds to a worker's memory: the word
index is in the snapshot too), then times each shape
through `filter_works`, the selector the pages call, over the mapped snapshot. The last
line is the number the issue's target is about: `worst p95 with facets: <N> ms`.

Fanfold's own modules are imported inside the functions that use them: the script picks
its database (environment variables) before Django is set up, and models cannot be
imported before that.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

# Fanfold modules are imported inside the functions below, not here: importing them needs
# django.setup(), which main() runs only after choosing the database (SQLite file or
# PostgreSQL) from the arguments. No import cycle is involved.

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "bench"))

from filter_corpus import Sizes, generate, schema_fingerprint, step  # noqa: E402

BENCH_DIR = ROOT / "var" / "bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
SMOKE_WORKS = 3_000


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- setup ------------------------------------------------------------------------------


def configure(args: argparse.Namespace) -> str:
    """Point Django at the throwaway database before it is imported; return its name."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    os.environ["DEBUG"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "fanfold.settings"
    os.environ["FANFOLD_VAR_DIR"] = str(BENCH_DIR)
    os.environ.pop("REDIS_URL", None)
    label = "smoke" if args.smoke else str(args.works)
    # One snapshot directory per corpus; nothing builds behind the benchmark's back.
    os.environ["FILTER_INDEX_DIR"] = str(
        BENCH_DIR / f"filter-index-{label}{'-pg' if args.postgres else ''}"
    )
    os.environ["FILTER_INDEX_BUILD"] = "external"
    if args.postgres:
        name = f"fanfold_filter_bench_{label}"
        if args.regenerate:
            drop_postgres(name)
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{name}"
        return name
    path = BENCH_DIR / f"filter-{label}.sqlite3"
    if args.regenerate:
        drop_sqlite(path)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return str(path)


def drop_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def corpus_state() -> str:
    """'missing', 'stale' (made for other migrations than the app's now) or 'ready'."""
    from django.db import connection

    if "bench_done" not in connection.introspection.table_names():
        return "missing"
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(
            cursor, "bench_done"
        )]  # fmt: skip
        if "schema" not in columns:
            return "stale"
        cursor.execute("SELECT schema FROM bench_done")
        row = cursor.fetchone()
    return "ready" if row and row[0] == schema_fingerprint() else "stale"


def prepare_corpus(where: str, args: argparse.Namespace) -> None:
    """Generate the corpus unless a finished one made for today's schema is there."""
    from django.db import connection

    state = corpus_state()
    if state == "ready":
        step("Using the cached corpus (--regenerate to rebuild it)")
        return
    if state == "stale":
        step("The cached corpus predates the app's latest migrations: generating it again")
        connection.close()
        drop_postgres(where) if args.postgres else drop_sqlite(Path(where))
    sizes = Sizes.smoke() if args.smoke else Sizes()
    generate(args.works, args.seed, sizes)


def check_visible(works: int) -> None:
    """Fail loudly when the generated works are not what the site shows: a guest's
    unfiltered listing must hold exactly the works `visible_to(None)` lets through, and
    those must be most of the corpus (8 % are members-only, about 1 % drafts or hidden)."""
    from django.http import QueryDict

    from fanfold.filters.query import WorkFilter
    from fanfold.filters.selectors import filter_works
    from fanfold.works.models import Work

    listed = filter_works(WorkFilter.from_params(QueryDict("")), None, facets=False).total
    visible = Work.objects.visible_to(None).count()
    print(f"    a guest sees {listed:,} of {works:,} works ({visible:,} by visible_to)")
    if listed != visible or visible < works * 0.85:
        sys.exit(
            f"The corpus does not match the site's rules: the filter index lists {listed:,} "
            f"works to a guest, visible_to(None) {visible:,}, of {works:,} generated."
        )


# --- the queries ------------------------------------------------------------------------


def shapes(index) -> dict[str, list[str]]:
    """Five variants of each query shape, picked from the generated data."""
    from fanfold.filters.loader import TYPE_CODE

    def by_type(kind: str) -> tuple[np.ndarray, np.ndarray]:
        return index.type_order[TYPE_CODE[kind]]

    fandoms, fandom_counts = by_type("fandom")
    freeforms, _ = by_type("freeform")
    relationships, _ = by_type("relationship")
    near_200 = fandoms[np.argsort(np.abs(fandom_counts - 200), kind="stable")[:5]]
    excluded = [",".join(str(t) for t in freeforms[i * 3 + 5 : i * 3 + 8]) for i in range(5)]
    out: dict[str, list[str]] = {name: [] for name in ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6")}
    for i in range(5):
        big = int(fandoms[i])
        pairing = first_relationship_of(index, big, relationships)
        out["Q1"].append(f"tag={big}&sort=kudos")
        out["Q2"].append(
            f"tag={big}&tag={pairing}&exclude={excluded[i]}&complete=yes"
            "&words_min=10000&words_max=100000&sort=updated"
        )
        out["Q3"].append(f"tag={int(near_200[i])}")
        out["Q4"].append(f"exclude={excluded[i]}&sort=hits")
        out["Q5"].append(f"tag={big}&sort=kudos&page=50")
        # From a very common word (in about 9 % of works) to a rare one (0.1 %).
        out["Q6"].append(f"q={Q6_WORDS[i]}&complete=yes&words_min=2000")
    return out


Q6_WORDS = ["w10", "w50", "w200", "w800", "w3000"]


def first_relationship_of(index, fandom: int, relationships: np.ndarray) -> int:
    works = index.tag_bitmaps[fandom]
    best, best_count = int(relationships[0]), -1
    for tag in relationships[:3000].tolist():
        count = works.intersection_cardinality(index.tag_bitmaps[tag])
        if count > best_count:
            best, best_count = tag, count
    return best


def run_shapes(runs: int) -> float:
    from django.http import QueryDict

    from fanfold.filters.query import WorkFilter
    from fanfold.filters.selectors import filter_works, shared_index

    queries = shapes(shared_index())
    worst = 0.0
    print(
        f"\n{'shape':<6}{'results':>10}{'facets p50':>12}{'p95':>8}{'bare p50':>10}{'p95':>8}  ms"
    )
    for name, variants in queries.items():
        timings: dict[bool, list[float]] = {True: [], False: []}
        totals = []
        per_variant = []
        for qs in variants:
            f = WorkFilter.from_params(QueryDict(qs))
            for with_facets in (True, False):
                filter_works(f, None, facets=with_facets)  # warm-up
                for _ in range(runs):
                    started = time.perf_counter()
                    result = filter_works(f, None, facets=with_facets)
                    timings[with_facets].append((time.perf_counter() - started) * 1000)
            totals.append(result.total)
            per_variant.append(f"{max(timings[True][-runs:]):.0f} ms/{result.total:,}")
        p = {k: (statistics.median(v), float(np.percentile(v, 95))) for k, v in timings.items()}
        worst = max(worst, p[True][1])
        print(
            f"{name:<6}{int(statistics.median(totals)):>10,}{p[True][0]:>12.1f}{p[True][1]:>8.1f}"
            f"{p[False][0]:>10.1f}{p[False][1]:>8.1f}",
            flush=True,
        )
        print(f"      slowest run with facets / results, per variant: {', '.join(per_variant)}")
    return worst


def search_frequencies(index, words: list[str]) -> str:
    from fanfold.filters.word_query import parse  # after django.setup(): see the top

    n = len(index.alive)
    shares = []
    for word in words:
        matched = index.word_index().match(index, parse(word), {}, ranked=False)
        shares.append(f"{word} {len(matched.bitmap) / n:.1%}")
    return ", ".join(shares)


# Search syntax beyond one word, with Q6's filters: not one of the issue's six shapes, so
# not in the last line.
SEARCHES = {
    "two words": "q=w10 w50",
    "phrase": 'q="w10 w50"',
    "prefix": "q=w1*",
    "exclusion": "q=w10 -w50",
    "chapter text": "q=w10&q_body=1",
}


def run_searches(runs: int) -> None:
    from django.http import QueryDict

    from fanfold.filters.query import WorkFilter
    from fanfold.filters.selectors import filter_works, shared_index

    print(f"      Q6 words in % of works: {search_frequencies(shared_index(), Q6_WORDS)}")
    print(f"\n{'search (Q6 filters)':<22}{'results':>10}{'facets p50':>12}{'p95':>8}  ms")
    for name, qs in SEARCHES.items():
        f = WorkFilter.from_params(QueryDict(f"{qs}&complete=yes&words_min=2000"))
        filter_works(f, None)  # warm-up
        timings = []
        for _ in range(runs * 2):
            started = time.perf_counter()
            result = filter_works(f, None)
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"{name:<22}{result.total:>10,}{statistics.median(timings):>12.1f}"
            f"{float(np.percentile(timings, 95)):>8.1f}",
            flush=True,
        )


def smaps_mib() -> dict[str, float]:
    """This process's USS (private pages) and anonymous memory, from smaps_rollup."""
    fields = {}
    with open("/proc/self/smaps_rollup") as rollup:
        for line in rollup:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                fields[parts[0].rstrip(":")] = int(parts[1]) / 1024
    uss = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return {"uss": uss, "anon": fields.get("Anonymous", 0)}


BUILD_CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
import django
django.setup()
from fanfold.filters import snapshot
started = time.perf_counter()
path = snapshot.build_snapshot(blocking=True)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(seconds, peak, snapshot.snapshot_bytes(path) / 2**20, path.name)
"""

# What both child processes below do first: start Django as a web worker does, note the
# memory, start the clock.
CHILD_START = """
import sys, time
sys.path.insert(0, {root!r})
sys.path.insert(1, {bench!r})
import django
django.setup()
from django.http import QueryDict
from fanfold.filters.query import WorkFilter
from fanfold.filters.selectors import current_index, filter_works
from filter import smaps_mib
from fanfold.works.models import Work
Work.objects.order_by("pk").first()  # Django warmed up and connected, as a worker is
before = smaps_mib()
started = time.perf_counter()
"""

# Works posted after the snapshot that a new worker applies, in its memory figure.
NEW_WORKS = 10

WORKER_CHILD = (
    CHILD_START
    + """
index = current_index()
mapped = time.perf_counter() - started
first = filter_works(WorkFilter.from_params(QueryDict({qs!r})), None)
first_s = time.perf_counter() - started
for qs in {more!r}:
    filter_works(WorkFilter.from_params(QueryDict(qs)), None)
after = smaps_mib()
print(mapped, first_s, first.total, before["uss"], after["uss"], before["anon"], after["anon"])
# Then works posted after the snapshot, which the change log appends to this worker's
# index: copies of the newest visible work, in a transaction rolled back at the end.
from django.db import transaction
from fanfold.filters.services import mark_changed
from fanfold.works.models import Creatorship, WorkTag
class RollBack(Exception):
    pass
try:
    with transaction.atomic():
        model = Work.objects.visible_to_members().order_by("-pk").first()
        row = Work.objects.filter(pk=model.pk).values().get()
        row.pop("id")
        tag_ids = list(WorkTag.objects.filter(work=model).values_list("tag_id", flat=True))
        pseud_ids = list(Creatorship.objects.filter(work=model).values_list("pseud_id", flat=True))
        n_before = index.n
        for number in range({new_works}):
            work = Work.objects.create(**row)
            WorkTag.objects.bulk_create(WorkTag(work_id=work.pk, tag_id=t) for t in tag_ids)
            Creatorship.objects.bulk_create(
                Creatorship(work_id=work.pk, pseud_id=p, approved=True) for p in pseud_ids
            )
            mark_changed(work_ids=[work.pk])
            filter_works(WorkFilter.from_params(QueryDict({qs!r})), None)
        appended = smaps_mib()
        print(current_index().n - n_before, appended["uss"], appended["anon"])
        raise RollBack
except RollBack:
    pass
"""
)


def build_snapshot() -> None:
    """Build in a child process: its time, its own peak memory, the files' size."""
    import subprocess

    out = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, "-c", BUILD_CHILD.format(root=str(ROOT))],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    seconds, peak, size = (float(x) for x in out[:3])
    print(
        f"    built in {seconds:.1f} s, builder's peak RSS {peak:.0f} MiB; "
        f"snapshot {out[3]}: {size:.0f} MiB on disk",
        flush=True,
    )


def word_files_mib() -> float:
    from fanfold.filters import snapshot

    path = snapshot.index_dir() / snapshot.SNAPSHOTS / snapshot.current_name()
    return sum(p.stat().st_size for p in path.glob("words_*")) / 2**20


def new_worker(index) -> None:
    """A second process maps the snapshot and answers listings, as a new web worker
    would: how soon its first filtered listing comes, and what it costs in memory."""
    import subprocess

    from fanfold.filters.loader import TYPE_CODE

    fandoms, _ = index.type_order[TYPE_CODE["fandom"]]
    big = int(fandoms[0]) if len(fandoms) else 0
    qs = f"tag={big}&sort=kudos"
    more = ["", "sort=title", "exclude=" + str(big), f"tag={big}&complete=yes&sort=hits"]
    # The same listings here first, as the workers already running would have: the pages
    # they read are then shared, and the new worker's USS is what it adds to the host.
    from django.http import QueryDict

    from fanfold.filters.query import WorkFilter
    from fanfold.filters.selectors import filter_works

    for warm in (qs, *more):
        filter_works(WorkFilter.from_params(QueryDict(warm)), None)
    code = WORKER_CHILD.format(
        root=str(ROOT), bench=str(ROOT / "bench"), qs=qs, more=more, new_works=NEW_WORKS
    )
    out = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    mapped, first, total = float(out[0]), float(out[1]), int(out[2])
    uss0, uss1, anon0, anon1, appended, uss2, anon2 = (float(x) for x in out[3:10])
    print(
        f"    mapped in {mapped * 1000:.0f} ms; first filtered listing ({total:,} results, "
        f"with facets) {first * 1000:.0f} ms after start",
        flush=True,
    )
    print(
        f"    per extra worker: USS +{uss1 - uss0:.0f} MiB (of which anonymous "
        f"+{anon1 - anon0:.0f} MiB) after five listings; USS {uss1:.0f} MiB in all, "
        f"Django included",
        flush=True,
    )
    print(
        f"    then {appended:.0f} works posted since the snapshot, appended by the change "
        f"log: USS +{uss2 - uss0:.0f} MiB (of which anonymous +{anon2 - anon0:.0f} MiB)",
        flush=True,
    )


# A new worker's searches (the word index comes mapped from the snapshot): Q6's first
# word, then the search syntax's shapes and Q6's other words, all with Q6's filters.
SEARCH_CHILD = (
    CHILD_START
    + """
current_index()
first = filter_works(WorkFilter.from_params(QueryDict({first!r})), None)
first_s = time.perf_counter() - started
for qs in {more!r}:
    filter_works(WorkFilter.from_params(QueryDict(qs)), None)
after = smaps_mib()
# Then words and two-letter prefixes at random: every cache a search fills, to its cap.
import random
terms = current_index().word_index().terms
rng = random.Random(5)
for i in range({many}):
    word = terms[rng.randrange(len(terms))]
    q = word[:2] + "*" if i % 4 == 3 else word
    filter_works(WorkFilter.from_params(QueryDict(f"q={{q}}&complete=yes")), None)
many = smaps_mib()
print(first_s, first.total, before["uss"], after["uss"], before["anon"], after["anon"])
print(many["anon"])
"""
)


def search_queries() -> list[str]:
    """What the searching worker asks: every Q6 word and search shape, Q6's filters."""
    shapes = [f"q={word}" for word in Q6_WORDS] + list(SEARCHES.values())
    return [f"{qs}&complete=yes&words_min=2000" for qs in shapes]


def new_worker_search(random_searches: int) -> None:
    """A second process maps the snapshot and searches, as a new web worker would: how
    soon its first text search comes, and what searching adds to its memory."""
    import subprocess

    from django.http import QueryDict

    from fanfold.filters.query import WorkFilter
    from fanfold.filters.selectors import filter_works

    queries = search_queries()
    # The workers already running have searched too (see `new_worker`).
    for warm in queries:
        filter_works(WorkFilter.from_params(QueryDict(warm)), None)
    code = SEARCH_CHILD.format(
        root=str(ROOT),
        bench=str(ROOT / "bench"),
        first=queries[0],
        more=queries[1:],
        many=random_searches,
    )
    out = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    first, total = float(out[0]), int(out[1])
    uss0, uss1, anon0, anon1, anon_many = (float(x) for x in out[2:7])
    print(
        f"    first text search ({queries[0].split('&')[0]}: {total:,} results, with facets) "
        f"{first * 1000:.0f} ms after start",
        flush=True,
    )
    print(
        f"    per extra worker that searches: USS +{uss1 - uss0:.0f} MiB (of which anonymous "
        f"+{anon1 - anon0:.0f} MiB) after {len(queries)} searches; USS {uss1:.0f} MiB in all, "
        f"Django included",
        flush=True,
    )
    print(
        f"    after {random_searches} more searches (random words and prefixes): anonymous "
        f"+{anon_many - anon0:.0f} MiB in all",
        flush=True,
    )


def time_fallback(index) -> None:
    """Listings while no snapshot is ready, answered from the database."""
    from unittest import mock

    from django.http import QueryDict

    from fanfold.filters import selectors
    from fanfold.filters.loader import TYPE_CODE
    from fanfold.filters.query import WorkFilter

    fandoms, counts = index.type_order[TYPE_CODE["fandom"]]
    near_200 = int(fandoms[np.argmin(np.abs(counts - 200))]) if len(fandoms) else 0
    biggest = int(fandoms[0]) if len(fandoms) else 0
    cases = {
        "a 200-work fandom": f"tag={near_200}",
        "the biggest fandom": f"tag={biggest}&sort=kudos",
        "the biggest fandom, page 50": f"tag={biggest}&sort=kudos&page=50",
        "everything": "sort=hits",
        "everything, page 50": "sort=hits&page=50",
        "everything by date updated": "",
        "everything by title": "sort=title",
    }
    timings = []
    with mock.patch.object(selectors, "current_index", lambda: None):
        for name, qs in cases.items():
            started = time.perf_counter()
            result = selectors.filter_works(WorkFilter.from_params(QueryDict(qs)), None)
            ms = (time.perf_counter() - started) * 1000
            more = "more than " if result.total_is_lower_bound else ""
            timings.append(f"{name} {ms:.0f} ms/{more}{result.total:,}")
    print(f"    from the database while no snapshot is ready: {', '.join(timings)}")


def fallback_only() -> None:
    """The database's answers alone; the snapshot only picks the fandoms to ask for."""
    from django.core.management import call_command

    from fanfold.filters import snapshot
    from fanfold.filters.selectors import shared_index

    # A corpus made before a migration that only adds indexes is brought up to date
    # rather than generated again (`--regenerate` for a new one).
    call_command("migrate", verbosity=0)
    if not snapshot.current_name():
        step("Building the filter index snapshot (to pick the fandoms)")
        build_snapshot()
    step("Listings from the database (no snapshot ready), one run each")
    time_fallback(shared_index())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true", help="run against PostgreSQL")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the corpus")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per variant")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"a fresh {SMOKE_WORKS:,}-work corpus (small tag pools), one run per variant",
    )
    parser.add_argument(
        "--fallback-only",
        action="store_true",
        help="only the listings from the database (the snapshot is built if missing)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.works, args.runs, args.regenerate = SMOKE_WORKS, 1, True
    where = configure(args)
    import django

    django.setup()
    step(f"Database: {where}")
    prepare_corpus(where, args)
    from fanfold.filters.selectors import shared_index

    if args.fallback_only:
        fallback_only()
        return
    step("Building the filter index snapshot (a process of its own, as on a server)")
    build_snapshot()
    before = rss_mib()
    index = shared_index()
    stats = index.stats()
    print(
        f"    mapped here: {stats['works']:,} works, {stats['tags']:,} tags, "
        f"{stats['tag_references']:,} tag references; RSS +{rss_mib() - before:.0f} MiB",
        flush=True,
    )
    step("A new worker: first filtered listing, and its memory")
    new_worker(index)
    # The snapshot builder wrote the word index with the filter index; mapped here.
    step("The word index (search), from the snapshot")
    words = index.word_index()
    print(
        f"    built by the builder in {words.build_seconds:.1f} s: {words.vocab_size:,} words; "
        f"{word_files_mib():.0f} MiB of the snapshot on disk",
        flush=True,
    )
    step("A new worker: first text search, and its memory")
    new_worker_search(20 if args.smoke else 200)
    check_visible(args.works)
    time_fallback(index)
    worst = run_shapes(args.runs)
    run_searches(args.runs)
    print(f"worst p95 with facets: {worst:.1f} ms")


if __name__ == "__main__":
    main()
