"""Answering a filter from the index: the result set, one sorted page, and facets.

Set algebra on roaring bitmaps does the tag work; numpy does ranges, sorting and the
counting. Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone
from pyroaring import BitMap

from fanfold.filters.index import FilterIndex, bitmap_of, positions_of
from fanfold.filters.loader import LANGUAGE_CODE, TAG_TYPES
from fanfold.filters.query import MAX_PAGE, PER_PAGE, WorkFilter
from fanfold.filters.words import TextMatch

# Up to this many results, facets gather the per-work tag arrays and count with
# bincount; above it, each type's tags are intersected in descending global count until
# no remaining tag can reach the top N (about 10-20 intersections per type).
GATHER_BELOW = 60_000
# A walk that needs more intersections than this per type (a result whose tags differ
# from the archive's at large) switches to gathering.
WALK_BUDGET = 400
SORT_COLUMNS = {
    "updated": "updated",
    "posted": "posted",
    "words": "words",
    "hits": "hits",
    "kudos": "kudos",
    "comments": "comments",
    "bookmarks": "bookmarks",
}
KEY_LIMIT = np.int64(2**32 - 1)
# Bigger results page by walking a precomputed archive-wide order instead of sorting.
PRESORTED_ABOVE = 50_000
ID_LIMIT = 2**31
# Relevance scores are compared to four decimal places.
SCORE_SCALE = 10_000


def _ids_fit(ids: np.ndarray) -> bool:
    return not len(ids) or int(np.max(ids)) < ID_LIMIT


@dataclass
class Plan:
    """A WorkFilter with tag references resolved to filter-tag ids."""

    filter: WorkFilter
    include: list[int] = field(default_factory=list)
    exclude: list[int] = field(default_factory=list)
    groups: list[list[int]] = field(default_factory=list)
    guest: bool = True
    exclude_works: BitMap | None = None
    # The listing's own scope (a creator's works, a series): None means the archive.
    within_works: BitMap | None = None
    # A search's matching positions and their relevance, or None without a search.
    text: TextMatch | None = None
    facet_limit: int | None = 10  # None: every tag
    facets: bool = True
    impossible: bool = False  # an included tag that does not exist


@dataclass
class Answer:
    total: int
    work_ids: list[int]
    facets: dict[str, list[tuple[int, int]]]
    # The database fallback's broad listings stop counting (fallback.COUNT_UP_TO).
    total_is_lower_bound: bool = False


def answer(index: FilterIndex, plan: Plan) -> Answer:
    f = plan.filter
    positions, bitmap = _select(index, plan)
    deep = f.page > MAX_PAGE
    ids = [] if deep else _page(index, positions, plan, f.offset, f.offset + PER_PAGE)
    facets = _facets(index, positions, bitmap, plan.facet_limit) if plan.facets else {}
    return Answer(total=len(positions), work_ids=ids, facets=facets)


def count(index: FilterIndex, plan: Plan) -> int:
    """How many works `plan` selects: `answer`'s total without a page or facets."""
    positions, _ = _select(index, plan)
    return len(positions)


# --- the result set ---------------------------------------------------------------------


def _select(index: FilterIndex, plan: Plan) -> tuple[np.ndarray, BitMap | None]:
    f = plan.filter
    bitmaps = index.tag_bitmaps
    if plan.impossible:
        return np.zeros(0, dtype=np.uint32), BitMap()
    included = sorted((bitmaps.get(t, BitMap()) for t in plan.include), key=len)
    result = index.alive.intersection(*included) if included else index.alive.copy()
    if plan.guest:
        result -= index.flags["restricted"]
    for group in plan.groups:
        result &= BitMap.union(*(bitmaps.get(t, BitMap()) for t in group))
    if plan.exclude:
        result -= BitMap.union(*(bitmaps.get(t, BitMap()) for t in plan.exclude))
    if plan.exclude_works:
        result -= plan.exclude_works
    if plan.within_works is not None:
        result &= plan.within_works
    if f.complete != "any":
        result = _flag(result, index.flags["complete"], f.complete == "yes")
    if f.crossovers != "include":
        result = _flag(result, index.flags["crossover"], f.crossovers == "only")
    if plan.text is not None:
        result &= plan.text.bitmap
    positions = positions_of(result)
    mask = _ranges(index, positions, f)
    if mask is None:
        return positions, result
    return positions[mask], None


def _flag(result: BitMap, flag: BitMap, keep: bool) -> BitMap:
    return result & flag if keep else result - flag


def _ranges(index: FilterIndex, positions: np.ndarray, f: WorkFilter) -> np.ndarray | None:
    cols = index.cols
    mask: np.ndarray | None = None

    def narrow(values: np.ndarray, low: int | None, high: int | None) -> None:
        nonlocal mask
        if low is None and high is None:
            return
        keep = np.ones(len(positions), dtype=bool)
        if low is not None:
            keep &= values >= low
        if high is not None:
            keep &= values <= high
        mask = keep if mask is None else mask & keep

    for name in ("words", "kudos", "hits", "comments", "bookmarks"):
        low, high = f.stat_range(name)
        if low is not None or high is not None:
            narrow(cols[name][positions], low, high)
    if f.single_chapter:
        narrow(cols["chapters"][positions], 1, 1)
    if f.language:
        code = LANGUAGE_CODE[f.language]
        narrow(cols["language"][positions], code, code)
    today = timezone.localdate()
    for name, column in (("updated", "updated"), ("published", "posted")):
        span = getattr(f, name)
        if span.active:
            start, end = span.bounds(today)
            narrow(cols[column][positions], _epoch(start, 0), _epoch(end, 1))
    return mask


def _epoch(day: dt.date | None, after: int) -> int | None:
    """Seconds at the start of `day` (or of the next day, minus one, for an end)."""
    if day is None:
        return None
    start = dt.datetime.combine(day + dt.timedelta(days=after), dt.time.min)
    return int(timezone.make_aware(start).timestamp()) - after


# --- one sorted page --------------------------------------------------------------------


def _page(index: FilterIndex, positions: np.ndarray, plan: Plan, start: int, stop: int):
    stop = min(stop, len(positions))
    if start >= stop:
        return []
    sort = plan.filter.effective_sort
    if len(positions) > PRESORTED_ABOVE and sort != "relevance":
        positions = _presorted_candidates(index, positions, sort, stop)
    ids = index.ids[positions]
    if sort in SORT_COLUMNS:
        key = np.minimum(index.cols[SORT_COLUMNS[sort]][positions], KEY_LIMIT)
        if len(ids) and int(np.max(ids)) < ID_LIMIT:
            # One int64 holds the key and the id tiebreak: a single partial sort.
            combined = -((key << 31) | ids)
            chosen = _smallest(combined, stop)
            order = chosen[np.argsort(combined[chosen], kind="stable")]
        else:
            order = np.lexsort((-ids, -key))[:stop]
    elif sort == "relevance" and plan.text is not None and _ids_fit(ids):
        # Positions come sorted from the selection; scores are higher-is-better. Scores
        # take few distinct values (sums of field weights), so they share one int64 with
        # the newest-first id tiebreak: one partial sort, no slow partition over ties.
        score = np.round(plan.text.scores(positions, index.n) * SCORE_SCALE)
        key = -np.clip(score, 0, KEY_LIMIT).astype(np.int64)
        combined = (key << 31) + (ID_LIMIT - 1 - ids)
        chosen = _smallest(combined, stop)
        order = chosen[np.argsort(combined[chosen], kind="stable")]
    else:
        prefix = index.title if sort == "title" else index.creator
        primary, secondary = prefix[positions, 0], prefix[positions, 1]
        order = _by_prefix(primary, secondary, ids, stop)
    return ids[order[start:stop]].tolist()


def _presorted_candidates(index: FilterIndex, positions: np.ndarray, sort: str, k: int):
    """The first k results in the archive-wide order, plus every result changed since
    that order was computed: a superset of the true first k that the exact sort ranks."""
    order, stale = index.sort_order(sort)
    wanted = np.zeros(index.n, dtype=bool)
    wanted[positions] = True
    changed = positions_of(stale)
    changed_hits = changed[wanted[changed]].astype(np.int64)
    wanted[changed] = False
    picked: list[np.ndarray] = []
    need, at, step = k, 0, 4096
    # Dense results fill a page within the first few thousand entries.
    while need > 0 and at < len(order):
        chunk = order[at : at + step]
        hits = chunk[wanted[chunk]][:need]
        picked.append(hits)
        need -= len(hits)
        at += step
        step *= 2
    return np.concatenate([*picked, changed_hits]).astype(np.int64)


def _smallest(values: np.ndarray, k: int) -> np.ndarray:
    if k >= len(values):
        return np.arange(len(values))
    return np.argpartition(values, k - 1)[:k]


def _by_prefix(primary: np.ndarray, secondary: np.ndarray, ids: np.ndarray, k: int):
    """Ascending by (primary, secondary), newest id first on ties; the first k."""
    candidates = np.arange(len(ids))
    if k < len(ids):
        threshold = np.partition(primary, k - 1)[k - 1]
        candidates = np.flatnonzero(primary <= threshold)
    order = np.lexsort((-ids[candidates], secondary[candidates], primary[candidates]))
    return candidates[order[:k]]


# --- facets -----------------------------------------------------------------------------


def _facets(index: FilterIndex, positions: np.ndarray, bitmap: BitMap | None, limit):
    if len(positions) > GATHER_BELOW and limit is not None:
        walked = _walk(index, bitmap if bitmap is not None else bitmap_of(positions), limit)
        if walked is not None:
            return walked
    return _gather(index, positions, limit)


def _gather(index: FilterIndex, positions: np.ndarray, limit: int | None):
    base = positions[positions < len(index.indptr) - 1]
    changed = positions[index.overlaid[positions]] if len(index.overlay) else positions[:0]
    if len(changed):
        base = base[~index.overlaid[base]]
    starts = index.indptr[base]
    lengths = index.indptr[base + 1] - starts
    total = int(lengths.sum())
    shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    tags = index.csr[shift + np.arange(total)]
    if len(changed):
        tags = np.concatenate([tags, *(index.overlay[int(p)] for p in changed)])
    counts = np.bincount(tags, minlength=len(index.graph.types))
    present = np.flatnonzero(counts)
    index.graph.ensure(int(np.max(present)) if len(present) else 0)
    types = index.graph.types[present]
    facets = {}
    for code, name in enumerate(TAG_TYPES):
        tag_ids = present[types == code]
        found = counts[tag_ids]
        if limit is not None and len(found) > limit:
            # Keep the top `limit` counts (and ties) before the full ordering.
            cut = np.partition(found, len(found) - limit)[len(found) - limit]
            keep = found >= cut
            tag_ids, found = tag_ids[keep], found[keep]
        order = np.lexsort((tag_ids, -found))
        if limit is not None:
            order = order[:limit]
        facets[name] = list(zip(tag_ids[order].tolist(), found[order].tolist(), strict=True))
    return facets


def _walk(index: FilterIndex, result: BitMap, limit: int):
    facets = {}
    for code, name in enumerate(TAG_TYPES):
        if not index.type_order:
            return None
        tag_ids, counts = index.type_order[code]
        drift = index.drift[code]
        best: list[tuple[int, int]] = []  # min-heap of (count, -tag id)
        # Only the head of the order is ever walked; converting all of it costs more.
        head = zip(
            tag_ids[: WALK_BUDGET + 1].tolist(), counts[: WALK_BUDGET + 1].tolist(), strict=True
        )
        for step, (tag, bound) in enumerate(head):
            if len(best) == limit and bound + drift < best[0][0]:
                break
            if step >= WALK_BUDGET:
                return None
            found = result.intersection_cardinality(index.tag_bitmaps[tag])
            if found:
                item = (found, -tag)
                if len(best) < limit:
                    heapq.heappush(best, item)
                elif item > best[0]:
                    heapq.heapreplace(best, item)
        for tag in index.unsorted:
            if index.graph.types[tag] != code:
                continue
            found = result.intersection_cardinality(index.tag_bitmaps[tag])
            if found and (len(best) < limit or (found, -tag) > best[0]):
                item = (found, -tag)
                if len(best) < limit:
                    heapq.heappush(best, item)
                else:
                    heapq.heapreplace(best, item)
        ordered = sorted(best, reverse=True)
        facets[name] = [(-neg, found) for found, neg in ordered]
    return facets
