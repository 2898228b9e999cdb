"""Filter-engine benchmark: 1,000,000 works, six query shapes, with and without facets.

    .venv/bin/python bench/filter.py [--works N] [--postgres] [--regenerate]

Generates a corpus with realistic skew into a throwaway database that uses the real
schema (cached as var/bench/filter-<N>.sqlite3, so reruns skip generation), builds the
in-process filter index (prints its build time and memory), then times each shape
through `filter_works`, the selector the pages call. The last line is the number the
issue's target is about: `worst p95 with facets: <N> ms`.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"

FANDOMS, RELATIONSHIPS, CHARACTERS, FREEFORMS = 20_000, 100_000, 150_000, 500_000
PSEUDS = 50_000
YEARS = 15
VOCABULARY = 5_000
CHUNK = 50_000


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


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
    if args.postgres:
        name = f"fanfold_filter_bench_{args.works}"
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists and args.regenerate:
                conn.execute(f'DROP DATABASE "{name}"')
                exists = None
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{name}"
        return name
    path = BENCH_DIR / f"filter-{args.works}.sqlite3"
    if args.regenerate:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return str(path)


def generated() -> bool:
    from django.db import connection

    tables = connection.introspection.table_names()
    if "bench_done" not in tables:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bench_done")
        return cursor.fetchone()[0] > 0


# --- generation -------------------------------------------------------------------------


def zipf_weights(n: int, s: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** s
    return np.cumsum(weights / weights.sum())


def draw(rng, cumulative: np.ndarray, size: int) -> np.ndarray:
    return np.minimum(np.searchsorted(cumulative, rng.random(size)), len(cumulative) - 1)


def insert(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    connection.connection.executemany(sql, rows)


def generate(n_works: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from fanfold.accounts.models import User
    from fanfold.tags.models import Tag

    started = time.perf_counter()
    step("Creating the schema (migrate)")
    call_command("migrate", verbosity=0)
    rng = np.random.default_rng(seed)
    now = time.time()
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now))
    with transaction.atomic():
        if connection.vendor == "sqlite":
            saved_indexes = drop_indexes(["works_worktag", "works_work", "works_creatorship"])
        tag_base = generate_tags(stamp)
        user = User.objects.create(username="benchwriter", email="bench@example.org")
        pseud_base = generate_pseuds(user.pk, stamp)
        fixed = {
            t: list(Tag.objects.filter(type=t).values_list("pk", flat=True))
            for t in ("rating", "warning", "category")
        }
        words = [f"w{n}" for n in range(VOCABULARY)]
        word_cdf = zipf_weights(VOCABULARY, 1.0)
        fandom_cdf = zipf_weights(FANDOMS, 0.85)
        pools = {
            kind: pool_layout(size, FANDOMS)
            for kind, size in (("relationship", RELATIONSHIPS), ("character", CHARACTERS))
        }
        free_cdf = zipf_weights(FREEFORMS, 1.0)
        done = 0
        for start in range(0, n_works, CHUNK):
            size = min(CHUNK, n_works - start)
            ids = np.arange(start + 1, start + size + 1, dtype=np.int64)
            work_rows, ratings = work_columns(rng, ids, words, word_cdf, fixed, now)
            insert("works_work", WORK_COLUMNS, work_rows)
            pairs = work_tags(rng, ids, ratings, fixed, tag_base, fandom_cdf, pools, free_cdf)
            insert("works_worktag", ["work_id", "tag_id"], pairs)
            creators = pseud_base + rng.integers(0, PSEUDS, size)
            insert(
                "works_creatorship",
                ["work_id", "pseud_id", "approved", "position", "created_at"],
                [(int(w), int(p), True, 0, stamp) for w, p in zip(ids, creators, strict=True)],
            )
            done += size
            print(
                f"    {done:,} / {n_works:,} works, {time.perf_counter() - started:.0f} s",
                flush=True,
            )
        if connection.vendor == "sqlite":
            step("Rebuilding indexes")
            with connection.cursor() as cursor:
                for sql in saved_indexes:
                    cursor.execute(sql)
        step("Filling the full-text index (title and summary)")
        fill_search()
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_done (finished_at varchar(32))")
            cursor.execute("INSERT INTO bench_done VALUES (%s)", [stamp])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    step(f"Generated {n_works:,} works in {time.perf_counter() - started:.0f} s")


def drop_indexes(tables: list[str]) -> list[str]:
    # Loading into bare tables and indexing afterwards is several times faster.
    from django.db import connection

    with connection.cursor() as cursor:
        marks = ", ".join("%s" for _ in tables)
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks})",
            tables,
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def generate_tags(stamp: str) -> dict[str, int]:
    """Insert the named tags; return each type's first id (ids are consecutive)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM tags_tag")
        next_id = cursor.fetchone()[0] + 1
    base = {}
    columns = [
        "id",
        "name",
        "key",
        "type",
        "canonical",
        "adult",
        "warning_text",
        "sort_order",
        "symbol",
        "created_at",
    ]
    for kind, count, canonical in (
        ("fandom", FANDOMS, True),
        ("relationship", RELATIONSHIPS, True),
        ("character", CHARACTERS, True),
        ("freeform", FREEFORMS, False),
    ):
        step(f"Tags: {count:,} {kind}s")
        base[kind] = next_id
        rows = (
            (next_id + i, f"{kind} {i}", f"{kind} {i}", kind, canonical, False, "", 100, "", stamp)
            for i in range(count)
        )
        insert("tags_tag", columns, rows)
        next_id += count
    return base


def generate_pseuds(user_id: int, stamp: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM accounts_pseud")
        first = cursor.fetchone()[0] + 1
    rows = ((first + i, f"writer{i:05d}", False, "", stamp, user_id) for i in range(PSEUDS))
    insert(
        "accounts_pseud", ["id", "name", "is_default", "description", "created_at", "user_id"], rows
    )
    return first


def pool_layout(total: int, fandoms: int) -> tuple[np.ndarray, np.ndarray]:
    """Per fandom a pool of relationship/character tags, bigger for popular fandoms."""
    weights = 1.0 / np.arange(1, fandoms + 1) ** 0.6
    sizes = np.maximum(2, (weights / weights.sum() * total).astype(np.int64))
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]) % total
    return offsets, sizes


WORK_COLUMNS = [
    "id", "title", "text_format", "summary", "summary_html", "notes", "notes_html", "endnotes",
    "endnotes_html", "language", "expected_chapters", "chapter_count", "word_count",
    "complete", "published_at", "updated_at", "created_at", "edited_at", "posted",
    "restricted", "hidden_by_admin", "hidden_reason", "comment_permission",
    "moderated_comments", "hits", "hits_folded", "render_version", "rating_id",
    "bookmark_count", "comment_count", "kudos_count",
]  # fmt: skip
LANGUAGES = ["en"] * 17 + ["es", "fr", "de", "zh", "ru", "ja"]


def work_columns(rng, ids, words, word_cdf, fixed, now):
    n = len(ids)
    word_count = np.clip(rng.lognormal(np.log(4000), 1.2, n), 100, 1_000_000).astype(int)
    single = rng.random(n) < 0.55
    chapters = np.where(single, 1, 1 + rng.geometric(0.15, n))
    complete = rng.random(n) < 0.72
    expected = np.where(complete, chapters, 0)
    span = YEARS * 365 * 86400
    published = now - rng.random(n) * span
    updated = np.minimum(now, published + np.where(single, 0, rng.exponential(86400 * 200, n)))
    hits = rng.lognormal(6.0, 1.6, n).astype(int)
    kudos = (hits * rng.beta(1.5, 20, n)).astype(int)
    comments = (kudos * rng.beta(1.0, 6, n)).astype(int)
    bookmarks = (kudos * rng.beta(1.0, 8, n)).astype(int)
    restricted = rng.random(n) < 0.08
    posted = rng.random(n) > 0.01
    hidden = rng.random(n) < 0.002
    ratings = rng.choice(fixed["rating"], n, p=[0.3, 0.3, 0.15, 0.2, 0.05])
    title_words = draw(rng, word_cdf, n * 3).reshape(n, 3)
    summary_words = draw(rng, word_cdf, n * 12).reshape(n, 12)
    languages = rng.choice(LANGUAGES, n)

    def when(seconds: float) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))

    rows = []
    for i in range(n):
        title = " ".join(words[w] for w in title_words[i]).capitalize()
        summary = " ".join(words[w] for w in summary_words[i])
        rows.append((
            int(ids[i]), title, "html", summary, f"<p>{summary}</p>", "", "", "", "",
            str(languages[i]), int(expected[i]) or None, int(chapters[i]), int(word_count[i]),
            bool(complete[i]), when(published[i]), when(updated[i]), when(published[i]),
            when(updated[i]), bool(posted[i]), bool(restricted[i]), bool(hidden[i]), "",
            "everyone", False, int(hits[i]), 0, 1, int(ratings[i]), int(bookmarks[i]),
            int(comments[i]), int(kudos[i]),
        ))  # fmt: skip
    return rows, ratings


def work_tags(rng, ids, ratings, fixed, base, fandom_cdf, pools, free_cdf):
    n = len(ids)
    parts_w = [ids]
    parts_t = [ratings.astype(np.int64)]

    def add(counts: np.ndarray, tags: np.ndarray) -> None:
        parts_w.append(np.repeat(ids, counts))
        parts_t.append(tags)

    n_warn = rng.integers(1, 4, n)
    add(n_warn, rng.choice(fixed["warning"], n_warn.sum()))
    n_cat = rng.integers(1, 3, n)
    add(n_cat, rng.choice(fixed["category"], n_cat.sum()))
    n_fandom = rng.choice([1, 2, 3], n, p=[0.8, 0.16, 0.04])
    fandoms = draw(rng, fandom_cdf, n_fandom.sum())
    add(n_fandom, base["fandom"] + fandoms)
    main_fandom = fandoms[np.concatenate([[0], np.cumsum(n_fandom)[:-1]])]
    for kind, low, high in (("relationship", 0, 5), ("character", 1, 9)):
        offsets, sizes = pools[kind]
        count = rng.integers(low, high, n)
        owner = np.repeat(main_fandom, count)
        # Skewed within the pool: the first few pairings of a fandom are the popular ones.
        local = (sizes[owner] * rng.random(count.sum()) ** 3).astype(np.int64)
        total = RELATIONSHIPS if kind == "relationship" else CHARACTERS
        add(count, base[kind] + (offsets[owner] + local) % total)
    n_free = rng.integers(0, 11, n)
    add(n_free, base["freeform"] + draw(rng, free_cdf, n_free.sum()))
    w = np.concatenate(parts_w)
    t = np.concatenate(parts_t)
    key = np.unique(w * 10_000_000 + t)
    return list(zip((key // 10_000_000).tolist(), (key % 10_000_000).tolist(), strict=True))


def fill_search() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO filters_worksearch (work_id, document) SELECT id, "
                "setweight(to_tsvector('simple', title), 'A') || '_:1'::tsvector || "
                "setweight(to_tsvector('simple', summary), 'C') FROM works_work"
            )
        else:
            cursor.execute(
                "INSERT INTO filters_worksearch (rowid, title, summary, tags, creators, body) "
                "SELECT id, title, summary, '', '', '' FROM works_work"
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
    from fanfold.filters.words import parse

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true", help="run against PostgreSQL")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the corpus")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per variant")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    where = configure(args)
    import django

    django.setup()
    step(f"Database: {where}")
    if not generated():
        generate(args.works, args.seed)
    else:
        step("Using the cached corpus (--regenerate to rebuild it)")
    from fanfold.filters import selectors
    from fanfold.filters.index import FilterIndex

    step("Building the filter index")
    before = rss_mib()
    last = [0.0]

    def progress(what: str, count: int) -> None:
        if time.perf_counter() - last[0] > 2:
            last[0] = time.perf_counter()
            print(f"    {what}: {count:,}", flush=True)

    index = FilterIndex.build(progress=progress)
    selectors._shared = index
    stats = index.stats()
    print(
        f"    built in {index.build_seconds:.1f} s: {stats['works']:,} works, "
        f"{stats['tags']:,} tags, {stats['tag_references']:,} tag references; "
        f"RSS {rss_mib():.0f} MiB (+{rss_mib() - before:.0f} MiB), peak {peak_mib():.0f} MiB",
        flush=True,
    )
    # The shared index builds both at once (`build(words=True)`); apart here to show each.
    step("Building the word index (search)")
    before = rss_mib()
    words = index.word_index()
    print(
        f"    built in {words.build_seconds:.1f} s: {len(words.vocab):,} words; "
        f"RSS {rss_mib():.0f} MiB (+{rss_mib() - before:.0f} MiB), peak {peak_mib():.0f} MiB",
        flush=True,
    )
    worst = run_shapes(args.runs)
    run_searches(args.runs)
    print(f"worst p95 with facets: {worst:.1f} ms")


if __name__ == "__main__":
    main()
