"""The filter benchmark's corpus: works with realistic skew, bulk-inserted into the real
schema (see bench/README.md for its shape).

Columns come from the models, not from a list kept here: each table's rows name only the
fields the generator chooses, and every other column gets what the model field says (its
default, the generation time for `auto_now`/`auto_now_add`, NULL where allowed, nothing
for a database default, which the database then fills). A new NOT NULL field with none
of these stops the generation with its name, so a schema change fails loudly in the
filter benchmark's smoke mode (which CI runs) instead of as a constraint error on a
fresh clone or, worse, as rows the site would treat differently from real ones.

Fanfold's own modules are imported inside the functions that use them: the script picks
its database (environment variables) before Django is set up, and models cannot be
imported before that.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

YEARS = 15
VOCABULARY = 5_000
LANGUAGES = ["en"] * 17 + ["es", "fr", "de", "zh", "ru", "ja"]


@dataclass(frozen=True)
class Sizes:
    """Pool sizes; a smoke run uses the same shapes, a hundred times smaller."""

    fandoms: int = 20_000
    relationships: int = 100_000
    characters: int = 150_000
    freeforms: int = 500_000
    pseuds: int = 50_000
    chunk: int = 50_000

    @classmethod
    def smoke(cls) -> Sizes:
        return cls(fandoms=200, relationships=1_000, characters=1_500, freeforms=5_000,
                   pseuds=500, chunk=1_000)  # fmt: skip


class SchemaMismatch(RuntimeError):
    """The models have a column the generator cannot fill (or lost one it fills)."""


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


# --- rows for a model ---------------------------------------------------------------------

_OMIT = object()  # the database fills the column (auto-increment key, database default)


class BulkTable:
    """Bulk inserts into one model's table: the given fields in order, the rest derived
    from the model's own field definitions (see the module docstring)."""

    def __init__(self, model: Any, fields: Sequence[str], stamp: str) -> None:
        meta = model._meta
        by_name = {f.name: f for f in meta.concrete_fields}
        by_name |= {f.attname: f for f in meta.concrete_fields}
        unknown = [name for name in fields if name not in by_name]
        if unknown:
            raise SchemaMismatch(
                f"{meta.db_table} has no field {', '.join(unknown)}: update bench/filter_corpus.py"
            )
        given = {by_name[name].attname for name in fields}
        self.table = meta.db_table
        self.columns = [by_name[name].column for name in fields]
        tail = []
        for field in meta.concrete_fields:
            if field.attname in given:
                continue
            value = _derived_value(field, stamp)
            if value is not _OMIT:
                self.columns.append(field.column)
                tail.append(value)
        self.tail = tuple(tail)

    def insert(self, rows: Iterable[tuple]) -> None:
        tail = self.tail
        insert(self.table, self.columns, (row + tail for row in rows))


def _derived_value(field: Any, stamp: str) -> Any:
    from django.db import connection

    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return stamp
    if field.has_default():
        value = field.get_db_prep_save(field.get_default(), connection)
        # Choices enums are str/int subclasses that the drivers' COPY may not know.
        return str(value) if isinstance(value, str) else value
    if field.has_db_default() or (
        field.primary_key and field.get_internal_type().endswith("AutoField")
    ):
        return _OMIT
    if field.null:
        return None
    if field.blank and field.empty_strings_allowed:
        return ""
    raise SchemaMismatch(
        f"{field.model._meta.db_table}.{field.column} is NOT NULL with no default and the "
        "benchmark's generator does not set it: give it a value in bench/filter_corpus.py"
    )


def insert(table: str, columns: list[str], rows: Iterable[tuple]) -> None:
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


def schema_fingerprint() -> str:
    """The app's latest migrations: a corpus made before any of them is made again."""
    from django.db.migrations.loader import MigrationLoader

    leaves = sorted(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    return hashlib.sha256(repr(leaves).encode()).hexdigest()[:16]


# --- generation -------------------------------------------------------------------------


def zipf_weights(n: int, s: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** s
    return np.cumsum(weights / weights.sum())


def draw(rng, cumulative: np.ndarray, size: int) -> np.ndarray:
    return np.minimum(np.searchsorted(cumulative, rng.random(size)), len(cumulative) - 1)


WORK_FIELDS = [
    "id", "title", "summary", "summary_html", "language", "expected_chapters",
    "chapter_count", "word_count", "complete", "published_at", "updated_at", "created_at",
    "edited_at", "posted", "restricted", "hidden_by_admin", "hits", "rating_id",
    "bookmark_count", "comment_count", "kudos_count",
]  # fmt: skip


def generate(n_works: int, seed: int, sizes: Sizes) -> None:
    """Migrate, then fill the database with `n_works` works and their tags."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from fanfold.accounts.models import User
    from fanfold.tags.models import Tag
    from fanfold.works.models import Creatorship, Work, WorkTag

    started = time.perf_counter()
    step("Creating the schema (migrate)")
    call_command("migrate", verbosity=0)
    # Now, not when done: a migration added during a long generation is not in it.
    schema = schema_fingerprint()
    if connection.vendor == "sqlite":
        loading_pragmas()
    rng = np.random.default_rng(seed)
    now = time.time()
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now))
    works = BulkTable(Work, WORK_FIELDS, stamp)
    work_tags = BulkTable(WorkTag, ["work_id", "tag_id"], stamp)
    creators = BulkTable(Creatorship, ["work_id", "pseud_id", "approved"], stamp)
    with transaction.atomic():
        if connection.vendor == "sqlite":
            saved_indexes = drop_indexes([works.table, work_tags.table, creators.table])
        tag_base = generate_tags(stamp, sizes)
        user = User.objects.create(username="benchwriter", email="bench@example.org")
        pseud_base = generate_pseuds(user.pk, stamp, sizes)
        fixed = {
            t: list(Tag.objects.filter(type=t).values_list("pk", flat=True))
            for t in ("rating", "warning", "category")
        }
        words = [f"w{n}" for n in range(VOCABULARY)]
        word_cdf = zipf_weights(VOCABULARY, 1.0)
        fandom_cdf = zipf_weights(sizes.fandoms, 0.85)
        pools = {
            "relationship": pool_layout(sizes.relationships, sizes.fandoms),
            "character": pool_layout(sizes.characters, sizes.fandoms),
        }
        free_cdf = zipf_weights(sizes.freeforms, 1.0)
        done = 0
        for start in range(0, n_works, sizes.chunk):
            size = min(sizes.chunk, n_works - start)
            ids = np.arange(start + 1, start + size + 1, dtype=np.int64)
            work_rows, ratings = work_columns(rng, ids, words, word_cdf, fixed, now)
            works.insert(work_rows)
            pools_and_weights = (fandom_cdf, pools, free_cdf)
            work_tags.insert(tags_of_works(rng, ids, ratings, fixed, tag_base, pools_and_weights,
                                           sizes))  # fmt: skip
            writers = pseud_base + rng.integers(0, sizes.pseuds, size)
            creators.insert((int(w), int(p), True) for w, p in zip(ids, writers, strict=True))
            done += size
            print(
                f"    {done:,} / {n_works:,} works, {time.perf_counter() - started:.0f} s",
                flush=True,
            )
        if connection.vendor == "postgresql":
            reset_sequences()
        if connection.vendor == "sqlite":
            step("Rebuilding indexes")
            with connection.cursor() as cursor:
                for sql in saved_indexes:
                    cursor.execute(sql)
        step("Writing the search documents (filters.search)")
        fill_search(n_works)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_done (finished_at varchar(32), schema varchar(32))")
            cursor.execute("INSERT INTO bench_done VALUES (%s, %s)", [stamp, schema])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    step(f"Generated {n_works:,} works in {time.perf_counter() - started:.0f} s")


def reset_sequences() -> None:
    """PostgreSQL: move the id sequences past the ids written. COPY with explicit ids
    leaves them at 1, and a work posted on the corpus afterwards (the benchmark's new
    worker posts some) would collide with a generated one. SQLite's AUTOINCREMENT
    follows explicit ids by itself."""
    # Inside: models need django.setup(), which the caller runs (module docstring).
    from django.core.management.color import no_style
    from django.db import connection

    from fanfold.accounts.models import Pseud
    from fanfold.tags.models import Tag
    from fanfold.works.models import Creatorship, Work, WorkTag

    models = [Tag, Pseud, Work, WorkTag, Creatorship]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def loading_pragmas() -> None:
    """Settings for this throwaway file only, while it is filled in one transaction.

    The site's own (`settings.py`) keep temporary data in memory: rebuilding the
    indexes of 85 million work-tag rows at 5M works would then sort them all in RAM
    (several GiB). On disk the sorter spills in bounded chunks. No journal and no
    fsync: a generation that dies is simply started again (`bench_done` is missing).
    Foreign keys are checked by nothing here either: the generator makes every id.
    Two sorter threads: rebuilding the indexes afterwards then uses both cores.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        for pragma in (
            "foreign_keys=OFF", "journal_mode=OFF", "synchronous=OFF",
            "temp_store=FILE", "cache_size=-262144", "threads=2",
        ):  # fmt: skip
            cursor.execute(f"PRAGMA {pragma}")


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


def generate_tags(stamp: str, sizes: Sizes) -> dict[str, int]:
    """Insert the named tags; return each type's first id (ids are consecutive)."""
    from django.db import connection

    from fanfold.tags.models import Tag, tag_key

    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM tags_tag")
        next_id = cursor.fetchone()[0] + 1
    table = BulkTable(Tag, ["id", "name", "key", "type", "canonical"], stamp)
    base = {}
    for kind, count, canonical in (
        ("fandom", sizes.fandoms, True),
        ("relationship", sizes.relationships, True),
        ("character", sizes.characters, True),
        ("freeform", sizes.freeforms, False),
    ):
        step(f"Tags: {count:,} {kind}s")
        base[kind] = next_id
        names = (f"{kind} {i}" for i in range(count))
        table.insert(
            (next_id + i, name, tag_key(name), kind, canonical) for i, name in enumerate(names)
        )
        next_id += count
    return base


def generate_pseuds(user_id: int, stamp: str, sizes: Sizes) -> int:
    from django.db import connection

    from fanfold.accounts.models import Pseud

    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM accounts_pseud")
        first = cursor.fetchone()[0] + 1
    table = BulkTable(Pseud, ["id", "name", "user_id"], stamp)
    table.insert((first + i, f"writer{i:05d}", user_id) for i in range(sizes.pseuds))
    return first


def pool_layout(total: int, fandoms: int) -> tuple[np.ndarray, np.ndarray]:
    """Per fandom a pool of relationship/character tags, bigger for popular fandoms."""
    weights = 1.0 / np.arange(1, fandoms + 1) ** 0.6
    sizes = np.maximum(2, (weights / weights.sum() * total).astype(np.int64))
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]) % total
    return offsets, sizes


def work_columns(rng, ids, words, word_cdf, fixed, now):
    """Rows of WORK_FIELDS for these ids, and each work's rating."""
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
            int(ids[i]), title, summary, f"<p>{summary}</p>", str(languages[i]),
            int(expected[i]) or None, int(chapters[i]), int(word_count[i]), bool(complete[i]),
            when(published[i]), when(updated[i]), when(published[i]), when(updated[i]),
            bool(posted[i]), bool(restricted[i]), bool(hidden[i]), int(hits[i]),
            int(ratings[i]), int(bookmarks[i]), int(comments[i]), int(kudos[i]),
        ))  # fmt: skip
    return rows, ratings


def tags_of_works(rng, ids, ratings, fixed, base, pools_and_weights, sizes):
    """(work id, tag id) pairs: rating, warnings, categories, fandoms, pairings,
    characters (from the main fandom's pools) and free-forms."""
    fandom_cdf, pools, free_cdf = pools_and_weights
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
    totals = {"relationship": sizes.relationships, "character": sizes.characters}
    for kind, low, high in (("relationship", 0, 5), ("character", 1, 9)):
        offsets, pool_sizes = pools[kind]
        count = rng.integers(low, high, n)
        owner = np.repeat(main_fandom, count)
        # Skewed within the pool: the first few pairings of a fandom are the popular ones.
        local = (pool_sizes[owner] * rng.random(count.sum()) ** 3).astype(np.int64)
        add(count, base[kind] + (offsets[owner] + local) % totals[kind])
    n_free = rng.integers(0, 11, n)
    add(n_free, base["freeform"] + draw(rng, free_cdf, n_free.sum()))
    w = np.concatenate(parts_w)
    t = np.concatenate(parts_t)
    key = np.unique(w * 10_000_000 + t)
    return zip((key // 10_000_000).tolist(), (key % 10_000_000).tolist(), strict=True)


def fill_search(n_works: int) -> None:
    """The works' search documents: title and summary, as the site's service writes them.

    No chapter text (a million chapters would dominate the generation time without
    changing the shapes measured) and no tag or creator names (the in-memory word
    index, which Q6 measures, has those from the filter index).

    One INSERT ... SELECT inside the database rather than the service
    (`search_documents_write`) a chunk at a time: at five million works the service's
    per-row path took over 45 minutes. The corpus's titles and summaries are made of
    tokenizer words only ("w123"), so `words_of` would change nothing but case, which
    lower() does here; a sample is checked against it below.
    """
    from django.db import connection

    from fanfold.filters.search import PG_VECTOR, TABLE
    from fanfold.filters.tokens import words_of
    from fanfold.works.models import Work

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            vector = PG_VECTOR.format(
                title="lower(title)", creators="''", tags="''", summary="summary", body="''"
            )
            cursor.execute(
                f"INSERT INTO {TABLE} (work_id, document) "
                f"SELECT id, {vector} FROM works_work WHERE posted"
            )
        else:
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, title, summary, tags, creators, body) "
                "SELECT id, lower(title), summary, '', '', '' FROM works_work WHERE posted"
            )
    sample = Work.objects.filter(pk__lte=min(n_works, 50)).values_list("title", "summary")
    for title, summary in sample:
        if " ".join(words_of(title)) != title.lower() or " ".join(words_of(summary)) != summary:
            raise SchemaMismatch(f"{title!r} / {summary!r} are not plain words: see fill_search")
