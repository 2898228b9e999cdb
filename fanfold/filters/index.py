"""The filter index: a roaring bitmap per filter tag, numpy arrays per work.

Web workers use it mapped from the host's snapshot (`snapshot.SnapshotIndex`); a build
here in memory is what the snapshot builder and per-request indexes use.

Built from the database (the single source of truth) and kept fresh from the
`FilterChange` log: at the start of each query the index reads the log rows it has not
seen, reloads just those works (and, for tag edits, the works whose tags now stand for
something else), so a write shows in every process within one query.

Works sit at dense positions 0..n-1. Only works that are posted, not hidden and approved
are indexed (`loader.indexed_works`, compiled from the visibility rule); members-only
works carry a flag so guests' results can drop them.
"""

from __future__ import annotations

import array
import logging
import threading
import time
from collections.abc import Callable, Iterable, MutableMapping

import numpy as np
from django.db import connection, transaction
from pyroaring import BitMap

from fanfold.filters.bitmaps import tag_counts
from fanfold.filters.loader import (
    STAT_COLUMNS,
    TAG_TYPES,
    TagGraph,
    WorkBatch,
    load_works,
    works_tagged,
)
from fanfold.filters.words import WordIndex

log = logging.getLogger(__name__)

EMPTY = np.zeros(0, dtype=np.int32)
# Past this many changed works a full rebuild is cheaper than patching one by one.
REBUILD_AFTER = 50_000
# How long a hole in the change-log ids may stay open before it is taken as a rolled
# back insert (PostgreSQL hands out sequence numbers before commit, so a later id can
# become visible before an earlier one).
GAP_WAIT = 10.0
INT_COLUMNS = ("updated", "posted", *STAT_COLUMNS)
FLAG_COLUMNS = ("complete", "restricted", "crossover")


def bitmap_of(positions: np.ndarray) -> BitMap:
    # array('I') is pyroaring's fast path: ten times quicker than a numpy array.
    values = array.array("I")
    values.frombytes(np.ascontiguousarray(positions, dtype=np.uint32).tobytes())
    return BitMap(values)


def positions_of(bitmap: BitMap) -> np.ndarray:
    return np.frombuffer(bitmap.to_array(), dtype=np.uint32)


class FilterIndex:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.graph = TagGraph()
        self.n = 0
        self.ids = np.zeros(0, dtype=np.int64)
        self.cols: dict[str, np.ndarray] = {}
        self.title = np.zeros((0, 2), dtype=np.uint64)
        self.creator = np.zeros((0, 2), dtype=np.uint64)
        self.flags = {name: BitMap() for name in FLAG_COLUMNS}
        self.alive = BitMap()
        # A dict when built in this process; a `bitmaps.SnapshotBitmaps` when mapped
        # from a snapshot shared by the host's workers.
        self.tag_bitmaps: MutableMapping[int, BitMap] = {}
        # Expanded tags per work from the last build (CSR), and per-work replacements
        # for works changed since; `overlaid` marks which positions use the latter.
        self.indptr = np.zeros(1, dtype=np.int64)
        self.csr = EMPTY
        self.overlay: dict[int, np.ndarray] = {}
        self.overlaid = np.zeros(0, dtype=bool)
        self._base_ids = np.zeros(0, dtype=np.int64)
        self._extra_pos: dict[int, int] = {}
        # Per tag type: tag ids by descending work count at the last sort, those
        # counts, and how many tag additions happened since (an upper bound on drift).
        self.type_order: list[tuple[np.ndarray, np.ndarray]] = []
        self.drift = [0] * len(TAG_TYPES)
        # Tags first used since the last sort; the facet walk checks all of them.
        self.unsorted: set[int] = set()
        self.last_change = 0
        self._pending: set[int] = set()
        self._gap_since: float | None = None
        # Archive-wide sort orders, computed on first use, with the positions changed
        # since (which the order may misplace, so pages rank them separately).
        self.orders: dict[str, tuple[np.ndarray, BitMap]] = {}
        self.build_seconds = 0.0
        self.scope: frozenset[int] | None = None
        # Words of titles, creators, tags and summaries (built on first search, or with
        # the index when `build(words=True)`).
        self.words: WordIndex | None = None

    # --- building ---------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        *,
        work_ids: Iterable[int] | None = None,
        progress: Callable | None = None,
        words: bool = False,
        whole_graph: bool = True,
    ) -> FilterIndex:
        """Read the indexable works (all, or only `work_ids`) into a new index; with
        `words`, the word index for searches too. Without `whole_graph`, only the tags
        those works carry and what their closures reach are read: for a one-off index
        of a few works (the database fallback), which never follows the change log."""
        started = time.perf_counter()
        index = cls()
        with transaction.atomic():
            # Read the log's position first: anything logged after it is applied again
            # by the next refresh, which is harmless (reloading a work is idempotent).
            index.last_change = _max_change_id()
            if whole_graph:
                index.graph.load_tags()
            scope = None if work_ids is None else sorted(set(work_ids))
            index.scope = None if scope is None else frozenset(scope)
            batch = load_works(scope, progress=progress)
            if not whole_graph:
                index.graph.load_reach(np.unique(batch.pair_tag).tolist())
        index._load(batch, progress)
        if words:
            index.words = WordIndex.build(index)
        index.build_seconds = time.perf_counter() - started
        return index

    def word_index(self) -> WordIndex:
        """The word index, built now if this index was built without it."""
        if self.words is None:
            self.words = WordIndex.build(self)
        return self.words

    def _load(self, batch: WorkBatch, progress: Callable | None) -> None:
        n = self.n = len(batch)
        self.ids = batch.ids
        self._base_ids = batch.ids
        self.cols = dict(batch.cols)
        self.cols["crossover"] = self.graph.crossovers(batch.pair_pos, batch.pair_tag, n)
        self.title, self.creator = batch.title, batch.creator
        self.overlaid = np.zeros(n, dtype=bool)
        self.alive = BitMap(range(n))
        for name in FLAG_COLUMNS:
            self.flags[name] = bitmap_of(np.flatnonzero(self.cols[name]))
        pos, tags = self.graph.expand(batch.pair_pos, batch.pair_tag)
        self.indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(pos, minlength=n), out=self.indptr[1:])
        self.csr = tags.astype(np.int32)
        if progress:
            progress("expanded tags", len(tags))
        # Group positions by tag with one sort of a combined key (in place, and
        # without the expanded pairs beside it: at millions of works each is GiBs).
        key = tags * np.int64(max(n, 1))
        key += pos
        del pos, tags
        key.sort()
        by_tag = key // max(n, 1)
        members = (key % max(n, 1)).astype(np.uint32)
        del key
        cuts = np.flatnonzero(np.diff(by_tag)) + 1
        starts = np.concatenate([[0], cuts]) if len(by_tag) else cuts
        ends = np.concatenate([cuts, [len(by_tag)]]) if len(by_tag) else cuts
        bitmaps = self.tag_bitmaps
        for number, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
            bitmaps[int(by_tag[a])] = bitmap_of(members[a:b])
            if progress and number % 100_000 == 0:
                progress("tag bitmaps", number)
        self.sort_types()

    def sort_types(self) -> None:
        """Order each type's tags by work count, for the early-stopping facet walk."""
        types = self.graph.types
        tag_ids, counts = tag_counts(self.tag_bitmaps)
        self.graph.ensure(int(np.max(tag_ids)) if len(tag_ids) else 0)
        tag_types = types[tag_ids] if len(tag_ids) else np.zeros(0, dtype=np.int8)
        self.type_order = []
        for code in range(len(TAG_TYPES)):
            mask = (tag_types == code) & (counts > 0)
            ids, cnt = tag_ids[mask], counts[mask]
            order = np.lexsort((ids, -cnt))
            self.type_order.append((ids[order], cnt[order]))
        self.drift = [0] * len(TAG_TYPES)
        self.unsorted = set()

    # --- lookups ----------------------------------------------------------------------
    def position(self, work_id: int) -> int | None:
        i = int(np.searchsorted(self._base_ids, work_id))
        if i < len(self._base_ids) and self._base_ids[i] == work_id:
            return i
        return self._extra_pos.get(work_id)

    def positions(self, work_ids: Iterable[int]) -> BitMap:
        found = (self.position(int(w)) for w in work_ids)
        return BitMap(p for p in found if p is not None)

    def sort_order(self, sort: str) -> tuple[np.ndarray, BitMap]:
        """All positions in `sort` order (ties: newest id first), and those changed since."""
        cached = self.orders.get(sort)
        if cached is not None and len(cached[1]) <= max(1000, self.n // 20):
            return cached
        n = self.n
        ids = self.ids[:n]
        if sort in ("title", "creator"):
            prefix = (self.title if sort == "title" else self.creator)[:n]
            order = np.lexsort((-ids, prefix[:, 1], prefix[:, 0]))
        else:
            column = {"posted": "posted"}.get(sort, sort)
            key = np.minimum(self.cols[column][:n], np.int64(2**32 - 1))
            order = np.lexsort((-ids, -key))
        self.orders[sort] = (order.astype(np.uint32), BitMap())
        return self.orders[sort]

    def positions_array(self, work_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the indexed works among `work_ids`, and where each was found."""
        work_ids = np.asarray(work_ids, dtype=np.int64)
        at = np.searchsorted(self._base_ids, work_ids)
        at[at >= len(self._base_ids)] = 0
        hit = self._base_ids[at] == work_ids if len(self._base_ids) else at < 0
        which = np.flatnonzero(hit)
        found = at[which]
        if self._extra_pos:
            extra = [
                (i, self._extra_pos[w])
                for i, w in enumerate(work_ids.tolist())
                if not hit[i] and w in self._extra_pos
            ]
            if extra:
                which = np.concatenate([which, [i for i, _ in extra]]).astype(np.int64)
                found = np.concatenate([found, [p for _, p in extra]]).astype(np.int64)
        return found, which

    def positions_of_ids(self, work_ids: np.ndarray) -> BitMap:
        found, _ = self.positions_array(work_ids)
        return bitmap_of(found)

    def tags_of(self, pos: int) -> np.ndarray:
        if pos < len(self.overlaid) and self.overlaid[pos]:
            return self.overlay.get(pos, EMPTY)
        if pos + 1 >= len(self.indptr):
            return EMPTY
        return self.csr[self.indptr[pos] : self.indptr[pos + 1]]

    # --- keeping fresh ----------------------------------------------------------------
    def refresh(self) -> None:
        """Apply the change-log rows this index has not seen yet (one indexed query)."""
        with self.lock:
            while True:
                rows = _changes_after(self.last_change)
                gap = bool(rows) and rows[0][0] > self.last_change + 1 and self.last_change > 0
                if gap and _min_change_id() > self.last_change + 1:
                    # Rows this index never read were pruned (the process sat idle past
                    # the log's retention): nothing short of a rebuild is safe.
                    self._restart()
                    continue
                fresh = [r for r in rows if r[0] not in self._pending]
                if fresh:
                    self._apply(fresh)
                self._advance([r[0] for r in rows])
                if len(rows) < 10_000:
                    return

    def _advance(self, change_ids: list[int]) -> None:
        self._pending.update(change_ids)
        while self.last_change + 1 in self._pending:
            self.last_change += 1
            self._pending.discard(self.last_change)
        if not self._pending:
            self._gap_since = None
        elif self._gap_since is None:
            self._gap_since = time.monotonic()
        elif time.monotonic() - self._gap_since > GAP_WAIT:
            self.last_change = min(self._pending) - 1
            self._gap_since = None
            self._advance([])

    def _apply(self, rows: list[tuple[int, int | None, int | None]]) -> None:
        if any(w is None and t is None for _, w, t in rows):
            # A row naming nothing asks every process for a full rebuild.
            self._rebuild()
            return
        work_ids = {w for _, w, _ in rows if w is not None}
        tag_ids = sorted({t for _, _, t in rows if t is not None})
        if tag_ids:
            before = dict(self.graph.closures())
            self.graph.load_tags(tag_ids)
            after = self.graph.closures()
            moved = {t for t in before.keys() | after.keys() if before.get(t) != after.get(t)}
            work_ids.update(works_tagged(sorted(moved | set(tag_ids))))
            if self.words is not None:
                self.words.tags_changed(self, tag_ids)
        if self.scope is not None:
            work_ids &= self.scope
        if len(work_ids) > REBUILD_AFTER:
            self._rebuild()
            return
        if work_ids:
            self.apply_works(sorted(work_ids))
        if tag_ids or max(self.drift, default=0) > 10_000 or len(self.unsorted) > 1000:
            self.sort_types()

    def _restart(self) -> None:
        """Replace everything, the log position included, with a fresh build."""
        rebuilt = FilterIndex.build(work_ids=self.scope)
        self.__dict__.update({k: v for k, v in rebuilt.__dict__.items() if k != "lock"})

    def _rebuild(self) -> None:
        """Rebuild from scratch, keeping the log position (a rebuild-all row, or too
        many changed works to patch)."""
        fresh = FilterIndex.build(work_ids=self.scope, words=self.words is not None)
        keep = ("lock", "last_change", "_pending", "_gap_since")
        self.__dict__.update({k: v for k, v in fresh.__dict__.items() if k not in keep})

    def apply_works(self, work_ids: list[int]) -> None:
        """Reload these works from the database (dropping those no longer indexable)."""
        batch = load_works(work_ids)
        # Tags created since the build (a new work's new free-form tags) need a type.
        direct = np.unique(batch.pair_tag)
        if len(direct):
            self.graph.ensure(int(np.max(direct)))
            unknown = direct[self.graph.types[direct] < 0].tolist()
            if unknown:
                self.graph.load_tags(unknown)
        pos, tags = self.graph.expand(batch.pair_pos, batch.pair_tag)
        crossover = self.graph.crossovers(batch.pair_pos, batch.pair_tag, len(batch))
        cuts = np.searchsorted(pos, np.arange(len(batch) + 1))
        present = set()
        for i, work_id in enumerate(batch.ids.tolist()):
            present.add(work_id)
            at = self.position(work_id)
            if at is None:
                at = self._append(work_id)
            self._set_tags(at, tags[cuts[i] : cuts[i + 1]].astype(np.int32))
            for name in (*INT_COLUMNS, "complete", "restricted", "language"):
                self.cols[name][at] = batch.cols[name][i]
            self.cols["crossover"][at] = crossover[i]
            self.title[at], self.creator[at] = batch.title[i], batch.creator[i]
            for name in FLAG_COLUMNS:
                if self.cols[name][at]:
                    self.flags[name].add(at)
                else:
                    self.flags[name].discard(at)
            self.alive.add(at)
            for _, stale in self.orders.values():
                stale.add(at)
        for work_id in set(work_ids) - present:
            at = self.position(work_id)
            if at is not None:
                self._set_tags(at, EMPTY)
                self.alive.discard(at)
        if self.words is not None:
            self.words.apply(self, work_ids, batch.pair_tag)

    def _set_tags(self, at: int, new: np.ndarray) -> None:
        old = self.tags_of(at)
        types = self.graph.types
        for tag in np.setdiff1d(old, new).tolist():
            bitmap = self.tag_bitmaps.get(tag)
            if bitmap is not None:
                bitmap.discard(at)
                # Stored back: a snapshot's mapping would otherwise forget the change
                # when its cache evicts the decoded bitmap.
                self.tag_bitmaps[tag] = bitmap
        added = np.setdiff1d(new, old).tolist()
        if added:
            self.graph.ensure(max(added))
        for tag in added:
            bitmap = self.tag_bitmaps.get(tag)
            if bitmap is None:
                bitmap = BitMap()
                self.unsorted.add(tag)
            bitmap.add(at)
            self.tag_bitmaps[tag] = bitmap
            if types[tag] >= 0:
                self.drift[types[tag]] += 1
        self.overlay[at] = new
        self.overlaid[at] = True

    def _append(self, work_id: int) -> int:
        at = self.n
        if at >= len(self.ids):
            size = max(16, len(self.ids) * 5 // 4)
            self.ids = _grow(self.ids, size)
            self.cols = {k: _grow(v, size) for k, v in self.cols.items()}
            self.title = _grow(self.title, size)
            self.creator = _grow(self.creator, size)
            self.overlaid = _grow(self.overlaid, size)
        self.ids[at] = work_id
        self._extra_pos[work_id] = at
        self.n += 1
        return at

    # --- reporting --------------------------------------------------------------------
    def stats(self) -> dict[str, int]:
        words = self.words.stats() if self.words is not None else {}
        return {
            **{f"search_{k}": v for k, v in words.items()},
            "works": len(self.alive),
            "tags": len(self.tag_bitmaps),
            "tag_references": len(self.csr),
            "changed_since_build": len(self.overlay),
        }


def _grow(values: np.ndarray, size: int) -> np.ndarray:
    grown = np.zeros((size, *values.shape[1:]), dtype=values.dtype)
    grown[: len(values)] = values
    return grown


def _max_change_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM filters_filterchange")
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


def _min_change_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id) FROM filters_filterchange")
        row = cursor.fetchone()
    return row[0] or 0


def _changes_after(change_id: int) -> list[tuple[int, int | None, int | None]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, work_id, tag_id FROM filters_filterchange WHERE id > %s "
            "ORDER BY id LIMIT 10000",
            [change_id],
        )
        return list(cursor.fetchall())
