"""Reading the database into the arrays the filter index is made of.

Raw SQL on purpose: a full build reads about fifteen million work-tag rows, and model
instances would cost minutes. Everything here works on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
from django.db import connection
from django.db.models.expressions import RawSQL

from fanfold.tags.models import TagType
from fanfold.works.models import Language, Work
from fanfold.works.querysets import WorkQuerySet

TAG_TYPES: list[str] = list(TagType.values)
TYPE_CODE = {name: code for code, name in enumerate(TAG_TYPES)}
FANDOM = TYPE_CODE[TagType.FANDOM]
LANGUAGES: list[str] = list(Language.values)
LANGUAGE_CODE = {name: code for code, name in enumerate(LANGUAGES)}
UNKNOWN_LANGUAGE = 255
CHUNK = 100_000
IN_CHUNK = 500
TAG_BITS = 32  # tag ids below four billion; work ids below 2**31
TAG_SPAN = 1 << TAG_BITS  # ids per IN (...) list: far below SQLite's variable limit

# Integer columns of `works_work` kept per work, in SELECT order.
STAT_COLUMNS = {
    "words": "word_count",
    "hits": "hits",
    "kudos": "kudos_count",
    "comments": "comment_count",
    "bookmarks": "bookmark_count",
    "chapters": "chapter_count",
}


def _epoch(column: str) -> str:
    # Dates become integer seconds in SQL: converting a million datetimes in Python
    # would dominate the build.
    if connection.vendor == "postgresql":
        return f"COALESCE(EXTRACT(EPOCH FROM {column})::bigint, 0)"
    # '%%' because the query always goes out with parameters (the list may be empty).
    return f"COALESCE(CAST(strftime('%%s', {column}) AS INTEGER), 0)"


def indexed_works() -> WorkQuerySet:
    """The works the index holds: what members (staff included) see in listings, by the
    one rule in works.querysets. Members-only works are a flag that guests' answers drop;
    drafts, hidden and unapproved works are never indexed. Every SQL read of indexed
    works is compiled from this queryset, so the index cannot drift from the rule."""
    return Work.objects.visible_to_members().order_by()


def compiled(queryset) -> tuple[str, list]:
    """A queryset's SQL and parameters, to run on a raw cursor: the rows come back as
    plain tuples, without the ORM's per-row conversion (which a full build would feel)."""
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), IN_CHUNK):
        yield ids[start : start + IN_CHUNK]


def _in(ids: Sequence[int]) -> str:
    return ",".join("%s" for _ in ids)


# --- the tag graph ------------------------------------------------------------------


@dataclass
class TagGraph:
    """Types, synonyms and same-type metatags: what a tag on a work stands for.

    A work tagged with a synonym counts for its canonical tag, and a work tagged with a
    subtag counts for every metatag above it. Parents of another type (a character's
    fandom) are left out: AO3 does not file a work under a fandom it was not tagged
    with, and the fandom facet would disagree with the blurbs.
    """

    types: np.ndarray = field(default_factory=lambda: np.full(1, -1, dtype=np.int8))
    merger: dict[int, int] = field(default_factory=dict)
    parents: dict[int, tuple[int, ...]] = field(default_factory=dict)
    _closures: dict[int, tuple[int, ...]] | None = field(default=None, repr=False)

    def ensure(self, max_id: int) -> None:
        if max_id >= len(self.types):
            grown = np.full(max(max_id + 1, len(self.types) * 3 // 2), -1, dtype=np.int8)
            grown[: len(self.types)] = self.types
            self.types = grown

    def resolve(self, tag_id: int) -> int:
        return self.merger.get(tag_id, tag_id)

    def closure(self, tag_id: int) -> tuple[int, ...]:
        """The filter tags a direct tag stands for: its canonical form and metatags."""
        start = self.resolve(tag_id)
        seen = [start]
        stack = [start]
        while stack:
            for parent in self.parents.get(stack.pop(), ()):
                parent = self.resolve(parent)
                if parent not in seen:
                    seen.append(parent)
                    stack.append(parent)
        return tuple(seen)

    def load_tags(self, ids: Sequence[int] | None = None) -> None:
        """Read types and synonym links (all tags, or just `ids`) and same-type parents."""
        tag_sql = "SELECT id, type, merger_id FROM tags_tag"
        parent_sql = (
            "SELECT p.from_tag_id, p.to_tag_id FROM tags_tag_parents p "
            "JOIN tags_tag a ON a.id = p.from_tag_id JOIN tags_tag b ON b.id = p.to_tag_id "
            "WHERE a.type = b.type"
        )
        self._closures = None
        batches: list[Sequence[int] | None] = [None] if ids is None else list(_chunks(ids))
        with connection.cursor() as cursor:
            for batch in batches:
                where, params = (
                    ("", []) if batch is None else (f" WHERE id IN ({_in(batch)})", batch)
                )
                if batch is not None:
                    for pk in batch:
                        self.merger.pop(pk, None)
                        self.parents.pop(pk, None)
                        self.ensure(pk)
                        self.types[pk] = -1
                cursor.execute(tag_sql + where, params)
                for pk, type_name, merger_id in cursor.fetchall():
                    self.ensure(pk)
                    self.types[pk] = TYPE_CODE.get(type_name, -1)
                    if merger_id and merger_id != pk:
                        self.merger[pk] = merger_id
                pwhere = "" if batch is None else f" AND p.from_tag_id IN ({_in(batch)})"
                cursor.execute(parent_sql + pwhere, [] if batch is None else batch)
                grouped: dict[int, list[int]] = {}
                for child, parent in cursor.fetchall():
                    grouped.setdefault(child, []).append(parent)
                self.parents.update({k: tuple(v) for k, v in grouped.items()})

    def load_reach(self, ids: Sequence[int]) -> None:
        """Read just these tags and every tag their closures reach."""
        todo, done = set(ids), set()
        while todo:
            batch = sorted(todo)
            done.update(batch)
            self.load_tags(batch)
            reached = {self.merger[t] for t in batch if t in self.merger}
            reached.update(p for t in batch for p in self.parents.get(t, ()))
            todo = reached - done

    def closures(self) -> dict[int, tuple[int, ...]]:
        """Closures of every tag that stands for more than itself (cached per load)."""
        if self._closures is None:
            tags = set(self.merger) | set(self.parents)
            self._closures = {t: c for t in tags if (c := self.closure(t)) != (t,)}
        return self._closures

    def _lookup(self, tags: np.ndarray) -> tuple[np.ndarray, dict[int, tuple[int, ...]]]:
        closures = self.closures()
        top = max([int(np.max(tags)) if len(tags) else 0, *(max(c) for c in closures.values())])
        self.ensure(top)
        lookup = np.arange(len(self.types), dtype=np.int64)
        above: dict[int, tuple[int, ...]] = {}
        for tag_id, closure in closures.items():
            lookup[tag_id] = closure[0]
            if len(closure) > 1:
                above[tag_id] = closure[1:]
        return lookup, above

    def expand(self, works: np.ndarray, tags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(work, direct tag) pairs → unique (work, filter tag) pairs, sorted by work."""
        if len(tags) == 0:
            return works, tags
        lookup, above = self._lookup(tags)
        extra_w, extra_t = _spread(works, tags, above)
        size = np.int64(len(lookup))
        key = np.concatenate([works, *extra_w]) * size
        key += np.concatenate([lookup[tags], *extra_t])
        key = unique_sorted(key, in_place=True)
        return key // size, key % size

    def crossovers(self, works: np.ndarray, tags: np.ndarray, n: int) -> np.ndarray:
        """Per work: more than one fandom once synonyms are resolved, not counting a
        fandom that is only the metatag of another fandom on the same work."""
        flags = np.zeros(n, dtype=bool)
        if len(tags) == 0:
            return flags
        lookup, above = self._lookup(tags)
        mask = self.types[tags] == FANDOM
        w, t = works[mask], tags[mask]
        size = np.int64(len(lookup))
        direct = unique_sorted(w * size + lookup[t])
        up_w, up_t = _spread(w, t, above)
        covered = np.zeros(0, dtype=np.int64)
        if up_w:
            covered = unique_sorted(np.concatenate(up_w) * size + np.concatenate(up_t))
            covered = covered[np.isin(covered, direct)]
        count = np.bincount(direct // size, minlength=n)
        if len(covered):
            count -= np.bincount(covered // size, minlength=n)
        flags[:] = count[:n] > 1
        return flags


def unique_sorted(values: np.ndarray, *, in_place: bool = False) -> np.ndarray:
    """np.unique by sorting: numpy 2's hash-based unique is ten times slower on 15M ints.
    `in_place` sorts the caller's array rather than a copy of it."""
    if in_place:
        values.sort()
    else:
        values = np.sort(values)
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _spread(works: np.ndarray, tags: np.ndarray, above: dict[int, tuple[int, ...]]):
    """Extra (work, metatag) pairs for the rows whose tag has metatags."""
    extra_w: list[np.ndarray] = []
    extra_t: list[np.ndarray] = []
    if not above:
        return extra_w, extra_t
    # Metatag links are few; find the rows they touch in one pass over the tag column.
    mask = np.isin(tags, np.fromiter(above, dtype=np.int64))
    sel_w, sel_t = works[mask], tags[mask]
    for tag_id in np.unique(sel_t):
        hits = sel_w[sel_t == tag_id]
        for parent in above[int(tag_id)]:
            extra_w.append(hits)
            extra_t.append(np.full(len(hits), parent, dtype=np.int64))
    return extra_w, extra_t


# --- works --------------------------------------------------------------------------


@dataclass
class WorkBatch:
    """Columns for a set of works, plus their expanded filter tags as CSR."""

    ids: np.ndarray
    cols: dict[str, np.ndarray]
    title: np.ndarray  # uint64 (n, 2): the first 16 bytes of the casefolded title
    creator: np.ndarray  # the same for the first credited pseud
    # Direct tags as (position in this batch, tag id) pairs; the index expands them.
    pair_pos: np.ndarray
    pair_tag: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def sort_prefix(texts: list[str]) -> np.ndarray:
    """Two big-endian uint64 per text: compares like the text's first 16 UTF-8 bytes."""
    raw = np.array([t.casefold().strip().encode()[:16] for t in texts], dtype="S16")
    return raw.view(">u8").reshape(-1, 2).astype(np.uint64)


def _work_rows(batch: Sequence[int] | None) -> tuple[str, list]:
    table = Work._meta.db_table
    # Constant column names only, no outside input: the raw part is safe.
    works = indexed_works().annotate(
        updated_epoch=RawSQL(_epoch(f"{table}.updated_at"), ()),  # noqa: S611
        posted_epoch=RawSQL(_epoch(f"{table}.published_at"), ()),  # noqa: S611
    )
    if batch is not None:
        works = works.filter(pk__in=list(batch))
    return compiled(
        works.values_list(
            "id",
            "updated_epoch",
            "posted_epoch",
            *STAT_COLUMNS.values(),
            "complete",
            "restricted",
            "language",
            "title",
        )
    )


def load_works(ids: Sequence[int] | None = None, *, progress=None) -> WorkBatch:
    """Read the indexed works (`indexed_works`): all of them, or those in `ids`."""
    names = ["id", "updated", "posted", *STAT_COLUMNS, "complete", "restricted"]
    numeric: list[np.ndarray] = []
    languages: list[np.ndarray] = []
    titles: list[np.ndarray] = []
    loaded = 0
    with connection.cursor() as cursor:
        for batch in [None] if ids is None else list(_chunks(ids)):
            cursor.execute(*_work_rows(batch))
            # Into arrays chunk by chunk: every row as a tuple at once was the builder's
            # largest cost in memory (about 450 bytes a work).
            while chunk := cursor.fetchmany(CHUNK):
                numeric.append(np.array([r[:-2] for r in chunk], dtype=np.int64))
                languages.append(
                    np.array([LANGUAGE_CODE.get(r[-2], UNKNOWN_LANGUAGE) for r in chunk], np.uint8)
                )
                titles.append(sort_prefix([r[-1] for r in chunk]))
                loaded += len(chunk)
                if progress:
                    progress("works", loaded)
    table = np.concatenate(numeric) if numeric else np.zeros((0, len(names)), dtype=np.int64)
    order = np.argsort(table[:, 0], kind="stable")
    table = table[order]
    arrays = {name: table[:, i].copy() for i, name in enumerate(names)}
    del table
    arrays["language"] = (
        np.concatenate(languages)[order] if languages else np.zeros(0, dtype=np.uint8)
    )
    work_ids = arrays.pop("id")
    creators = _first_creators(None if ids is None else work_ids.tolist())
    pair_pos, pair_tag = _load_tags(work_ids, ids is None, progress)
    return WorkBatch(
        ids=work_ids,
        cols=arrays,
        title=np.concatenate(titles)[order] if titles else sort_prefix([]),
        creator=sort_prefix([creators.get(int(pk), "") for pk in work_ids]),
        pair_pos=pair_pos,
        pair_tag=pair_tag,
    )


def _first_creators(ids: list[int] | None) -> dict[int, str]:
    sql = (
        "SELECT c.work_id, p.name FROM works_creatorship c "
        "JOIN accounts_pseud p ON p.id = c.pseud_id WHERE c.approved"
    )
    names: dict[int, str] = {}
    with connection.cursor() as cursor:
        for batch in [None] if ids is None else list(_chunks(ids)):
            if batch is None:
                cursor.execute(sql + " ORDER BY c.work_id DESC, c.position DESC, c.id DESC")
            else:
                cursor.execute(
                    sql + f" AND c.work_id IN ({_in(batch)}) "
                    "ORDER BY c.work_id DESC, c.position DESC, c.id DESC",
                    list(batch),
                )
            # Descending, so the last write per work is its first creator.
            while chunk := cursor.fetchmany(CHUNK):
                names.update(chunk)
    return names


def _load_tags(work_ids: np.ndarray, everything: bool, progress) -> tuple[np.ndarray, np.ndarray]:
    """Direct (work position, tag id) pairs for the batch, as int64 arrays."""
    parts_pos: list[np.ndarray] = []
    parts_tag: list[np.ndarray] = []
    if not len(work_ids):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    loaded = 0
    # One integer per row (work id in the high bits) halves the Python objects a full
    # build creates for fifteen million rows.
    select = f"SELECT work_id * {TAG_SPAN} + tag_id FROM works_worktag"
    with connection.cursor() as cursor:
        batches = [None] if everything else list(_chunks(work_ids.tolist()))
        for batch in batches:
            if batch is None:
                cursor.execute(select)
            else:
                cursor.execute(select + f" WHERE work_id IN ({_in(batch)})", list(batch))
            while chunk := cursor.fetchmany(CHUNK):
                packed = np.fromiter(chain.from_iterable(chunk), dtype=np.int64, count=len(chunk))
                # Rows of works that are not indexed (drafts, hidden) fall away here, per
                # chunk: the whole table's ids never sit in memory beside the result.
                w = packed >> TAG_BITS
                pos = np.searchsorted(work_ids, w)
                pos[pos >= len(work_ids)] = 0
                keep = work_ids[pos] == w
                parts_pos.append(pos[keep])
                parts_tag.append((packed & (TAG_SPAN - 1))[keep])
                loaded += len(chunk)
                if progress:
                    progress("work tags", loaded)
    if not parts_pos:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(parts_pos), np.concatenate(parts_tag)


def works_tagged(tag_ids: Sequence[int]) -> list[int]:
    found: set[int] = set()
    with connection.cursor() as cursor:
        for batch in _chunks(list(tag_ids)):
            cursor.execute(
                f"SELECT DISTINCT work_id FROM works_worktag WHERE tag_id IN ({_in(batch)})",
                list(batch),
            )
            found.update(r[0] for r in cursor.fetchall())
    return sorted(found)
