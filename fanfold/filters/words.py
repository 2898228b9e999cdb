"""The word index: which works use a word in their title, creators, tags or summary, as
roaring bitmaps over the filter index's positions.

Built with the filter index and kept fresh by it: a work reloaded from the change log
gets its words recomputed here too, so a search sees an edit as soon as a filter does.
Chapter text is not held here; `search` asks the database for it when a query wants it.
The snapshot builder writes it beside the filter index (`word_snapshot`) and every
worker maps it; a per-request or fallback index builds its own, small one in memory.

- Vocabulary: the build's words sorted (`terms.Terms`), a word's id being its rank;
  words first seen since get later ids in this process.

- Title, creator names and summary: one bitmap per word and field from the build, plus
  bitmaps of the works changed since (whose build entries are then ignored), the same
  overlay scheme the tag bitmaps use.
- Tags: each tag name's words point at the tag; a word's works are the union of the
  filter-tag bitmaps of the tags using it (a synonym's name finds its canonical tag's
  works, a metatag's name its subtags' works). Unions are cached per word and patched
  when a changed work gains or loses one of the word's tags.

What a reader types is parsed into terms by `word_query`; `WordIndex.match` answers it.
"""

from __future__ import annotations

import array
import bisect
import heapq
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.db import connection
from pyroaring import BitMap

from fanfold.filters.bitmaps import ENTRY_OVERHEAD, peek
from fanfold.filters.loader import CHUNK, TagGraph, _chunks, _in
from fanfold.filters.terms import Terms
from fanfold.filters.tokens import _SEP, _bulk_ids, words_of
from fanfold.filters.word_query import Query, Term
from fanfold.filters.word_texts import (
    TAG_SQL,
    group_pairs,
    load_texts,
    stream_texts,
    tag_name_pairs,
)

if TYPE_CHECKING:
    from fanfold.filters.index import FilterIndex

FIELDS = ("title", "creators", "summary")
# Relevance weights per field a word is found in (chapter text: `BODY_WEIGHT`).
WEIGHTS = {"title": 10.0, "creators": 6.0, "tags": 4.0, "summary": 2.0}
BODY_WEIGHT = 1.0
PHRASE_WEIGHT = 3.0
# A prefix (`drag*`) stands for at most this many words, the most common first.
MAX_PREFIX_WORDS = 500
TAG_CACHE = 4096
# ...and at most this much of a worker's memory (a common word's union can be large).
TAG_CACHE_BYTES = 8 * 1024 * 1024
# Patching cached tag unions costs (changed works x cached words); above this, forget them.
PATCH_LIMIT = 200_000


# --- the index ----------------------------------------------------------------------------


@dataclass
class TextMatch:
    """The positions a query matches, and a relevance score for any of them."""

    bitmap: BitMap
    parts: list[tuple[float, BitMap]]  # (weight, positions it is added to)

    def scores(self, positions: np.ndarray, size: int) -> np.ndarray:
        """Higher is better, for `positions` (sorted) of an index of `size` positions."""
        from fanfold.filters.index import bitmap_of

        if not len(positions) or not self.parts:
            return np.zeros(len(positions))
        wanted = bitmap_of(positions)
        dense = np.zeros(size)
        for weight, bitmap in self.parts:
            dense[np.frombuffer((bitmap & wanted).to_array(), dtype=np.uint32)] += weight
        return dense[positions]


class WordIndex:
    """Words -> positions. Built in memory (`build`), or mapped from the host's snapshot
    (`word_snapshot.map_words`): the same lookups either way."""

    def __init__(self) -> None:
        # The words the build saw, sorted; a word's id is its rank there. Words first
        # seen since (an edit, a new tag) get the ids after them, in this process only.
        self.terms = Terms.from_sorted([])
        self.extra: dict[str, int] = {}
        self.extra_sorted: list[str] = []
        # Per field, word id -> positions at the build (a dict, or mapped bitmaps).
        self.base: dict[str, Mapping[int, BitMap]] = {f: {} for f in FIELDS}
        # Per build word: how many works its field bitmaps hold (picks a prefix's words).
        self.sizes = np.zeros(0, dtype=np.int64)
        self.over: dict[str, dict[int, BitMap]] = {f: {} for f in FIELDS}
        self.stale = BitMap()
        self.changed_words: dict[int, tuple[tuple[int, ...], ...]] = {}
        # Tag names: word id -> direct tag ids (CSR from the build, plus later names).
        self.tag_indptr = np.zeros(1, dtype=np.int64)
        self.tag_ids = np.zeros(0, dtype=np.int64)
        self.tag_extra: dict[int, set[int]] = {}
        self.renamed: set[int] = set()
        self.named = np.zeros(1, dtype=bool)
        self._graph: TagGraph | None = None
        self._filter_tag: np.ndarray | None = None  # direct tag -> its filter tag
        self.tag_cache: dict[int, tuple[frozenset[int], BitMap]] = {}
        self._cached_bytes = 0
        self.build_seconds = 0.0

    @property
    def vocab_size(self) -> int:
        return len(self.terms) + len(self.extra)

    def lookup(self, word: str) -> int | None:
        wid = self.terms.find(word)
        return self.extra.get(word) if wid is None else wid

    def _word_id(self, word: str) -> int:
        wid = self.lookup(word)
        if wid is None:
            wid = self.extra[word] = self.vocab_size
            bisect.insort(self.extra_sorted, word)
        return wid

    # --- building -------------------------------------------------------------------------
    @classmethod
    def build(cls, index: FilterIndex) -> WordIndex:
        import time

        started = time.perf_counter()
        words = cls()
        vocab: dict[str, int] = {}
        tag_words, tag_pks = tag_name_pairs(vocab)
        scope = None if index.scope is None else index.ids[: index.n].tolist()
        per_field: dict[str, tuple[array.array, array.array]] = {
            f: (array.array("I"), array.array("I")) for f in FIELDS
        }
        for kind, rows in stream_texts(scope):
            pks = np.array([r[0] for r in rows], dtype=np.int64)
            found_at, which = index.positions_array(pks)
            chosen = [rows[i] for i in which.tolist()]
            columns = (("creators", 1),) if kind == "creators" else (("title", 1), ("summary", 2))
            for name, column in columns:
                wids, lengths, order = _bulk_ids(vocab, [r[column] for r in chosen])
                per_field[name][0].frombytes(wids.tobytes())
                at = np.repeat(found_at[order].astype(np.uint32), lengths)
                per_field[name][1].frombytes(at.tobytes())
        # Renumber the words by rank, the order the snapshot's sorted table gives them.
        ordered = sorted(w for w in vocab if w != _SEP)
        # uint32 like the ids it maps: the pairs run to tens of millions at a million works.
        rank = np.zeros(len(vocab), dtype=np.uint32)
        rank[np.fromiter(map(vocab.__getitem__, ordered), np.int64, len(ordered))] = np.arange(
            len(ordered), dtype=np.uint32
        )
        del vocab
        words.terms = Terms.from_sorted(ordered)
        words.sizes = np.zeros(len(ordered), dtype=np.int64)
        for name, (word_column, poss) in per_field.items():
            grouped = group_pairs(rank[np.frombuffer(word_column, dtype=np.uint32)], poss)
            words.base[name] = grouped
            for wid, bitmap in grouped.items():
                words.sizes[wid] += len(bitmap)
        words._set_tag_names(rank[tag_words], tag_pks, len(ordered))
        words.refresh_tag_graph(index)
        words.build_seconds = time.perf_counter() - started
        return words

    def _set_tag_names(self, wids: np.ndarray, tag_pks: np.ndarray, size: int) -> None:
        """The build's (word, tag) pairs as CSR over word ids."""
        order = np.argsort(wids, kind="stable")
        self.tag_ids = tag_pks[order]
        self.tag_indptr = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(wids, minlength=size), out=self.tag_indptr[1:])
        top = int(np.max(tag_pks)) if len(tag_pks) else 0
        self.named = np.zeros(top + 1, dtype=bool)
        self.named[tag_pks] = True

    def _load_tag_names(self, tag_ids: Sequence[int]) -> set[int]:
        """Read these tags' names; return the word ids whose tags changed."""
        pairs_w: list[int] = []
        pairs_t: list[int] = []
        with connection.cursor() as cursor:
            for batch in _chunks(tag_ids):
                cursor.execute(f"{TAG_SQL} WHERE id IN ({_in(batch)})", list(batch))
                while rows := cursor.fetchmany(CHUNK):
                    for pk, name in rows:
                        for word in dict.fromkeys(words_of(name)):
                            pairs_w.append(self._word_id(word))
                            pairs_t.append(pk)
        touched = set(pairs_w)
        self.renamed.update(tag_ids)
        for wid, pk in zip(pairs_w, pairs_t, strict=True):
            self.tag_extra.setdefault(wid, set()).add(pk)
        # Old names of renamed tags: their words lose the tag via `renamed` (base entries)
        # and here (later entries); their cached unions are recomputed.
        for wid, tags in self.tag_extra.items():
            if wid not in touched and tags.intersection(tag_ids):
                tags.difference_update(tag_ids)
                touched.add(wid)
        if tag_ids:
            top = max(tag_ids)
            if top >= len(self.named):
                grown = np.zeros(top + 1, dtype=bool)
                grown[: len(self.named)] = self.named
                self.named = grown
            self.named[list(tag_ids)] = True
        return touched

    def refresh_tag_graph(self, index: FilterIndex, *, keep_cache: bool = False) -> None:
        """Which filter tag each tag stands for (after synonyms or metatags changed);
        worked out at the next tag-word lookup, so a worker that never searches never
        pays for it."""
        self._graph = index.graph
        self._filter_tag = None
        if not keep_cache:
            self._forget_tag_unions()

    @property
    def filter_tag(self) -> np.ndarray:
        if self._filter_tag is None:
            if self._graph is None:
                return np.zeros(1, dtype=np.int64)
            self._filter_tag, _ = self._graph._lookup(np.zeros(1, dtype=np.int64))
        return self._filter_tag

    def _forget_tag_unions(self) -> None:
        self.tag_cache.clear()
        self._cached_bytes = 0

    def tags_changed(self, index: FilterIndex, tag_ids: Sequence[int]) -> None:
        self._load_tag_names(list(tag_ids))
        self.refresh_tag_graph(index)

    # --- keeping fresh --------------------------------------------------------------------
    def apply(self, index: FilterIndex, work_ids: Sequence[int], direct_tags: np.ndarray):
        """Recompute the words of these works (called after the filter index reloaded
        them; works no longer indexed just lose their words)."""
        unnamed = [int(t) for t in np.unique(direct_tags) if not self._is_named(int(t))]
        if unnamed:
            # New tags (a work's new free-form tags) change only their own words' unions:
            # the rest of the cache stays, so common tag words need no recomputing.
            for wid in self._load_tag_names(unnamed):
                self.tag_cache.pop(wid, None)
            self.refresh_tag_graph(index, keep_cache=True)
        texts = load_texts(list(work_ids))
        positions = []
        for work_id in work_ids:
            at = index.position(work_id)
            if at is None:
                continue
            positions.append(at)
            for name, wids in zip(FIELDS, self.changed_words.pop(at, ((),) * 3), strict=True):
                over = self.over[name]
                for wid in wids:
                    bitmap = over.get(wid)
                    if bitmap is not None:
                        bitmap.discard(at)
            self.stale.add(at)
            fields = texts.get(work_id)
            if fields is None:
                continue
            found = tuple(
                tuple(self._word_id(w) for w in dict.fromkeys(words_of(text))) for text in fields
            )
            self.changed_words[at] = found
            for name, wids in zip(FIELDS, found, strict=True):
                over = self.over[name]
                for wid in wids:
                    over.setdefault(wid, BitMap()).add(at)
        self._patch_tag_cache(index, positions)

    def _is_named(self, tag_id: int) -> bool:
        return tag_id < len(self.named) and bool(self.named[tag_id])

    def _patch_tag_cache(self, index: FilterIndex, positions: list[int]) -> None:
        if len(positions) * len(self.tag_cache) > PATCH_LIMIT:
            self._forget_tag_unions()
            return
        for at in positions:
            tags = index.tags_of(at).tolist() if at in index.alive else []
            for wanted, bitmap in self.tag_cache.values():
                if wanted.isdisjoint(tags):
                    bitmap.discard(at)
                else:
                    bitmap.add(at)

    # --- lookups --------------------------------------------------------------------------
    def field(self, name: str, wid: int) -> BitMap:
        base = self.base[name].get(wid)
        over = self.over[name].get(wid)
        result = BitMap() if base is None else (base - self.stale if self.stale else base)
        return result | over if over else result

    def tags(self, index: FilterIndex, wid: int) -> BitMap:
        cached = self.tag_cache.get(wid)
        if cached is not None:
            return cached[1]
        direct = set()
        if wid + 1 < len(self.tag_indptr):
            direct.update(self.tag_ids[self.tag_indptr[wid] : self.tag_indptr[wid + 1]].tolist())
            direct -= self.renamed
        direct |= self.tag_extra.get(wid, set())
        lookup = self.filter_tag
        wanted = frozenset(lookup[t] if t < len(lookup) else t for t in direct)
        # Read past the shared LRU: a prefix's words reach thousands of small tags, which
        # would evict the facet walk's bitmaps; the union below is what gets reused.
        bitmaps = [b for t in wanted if (b := peek(index.tag_bitmaps, int(t))) is not None]
        bitmap = BitMap.union(*bitmaps) if bitmaps else BitMap()
        stats = bitmap.get_statistics()
        size = ENTRY_OVERHEAD + sum(
            int(v)  # type: ignore[call-overload]
            for k, v in stats.items()
            if k.startswith("n_bytes_")
        )
        if len(self.tag_cache) >= TAG_CACHE or self._cached_bytes + size > TAG_CACHE_BYTES:
            self._forget_tag_unions()
        self.tag_cache[wid] = (frozenset(int(t) for t in wanted), bitmap)
        self._cached_bytes += size
        return bitmap

    def expand(self, term: Term) -> list[int]:
        """Word ids a term's last word stands for: itself, or every word it prefixes."""
        word = term.words[-1]
        if not term.prefix:
            wid = self.lookup(word)
            return [] if wid is None else [wid]
        limit = MAX_PREFIX_WORDS * 20
        built = self.terms.prefixed(word)[:limit]
        at = bisect.bisect_left(self.extra_sorted, word)
        later = list(itertools.takewhile(lambda w: w.startswith(word), self.extra_sorted[at:]))
        if not later:
            return list(built)
        # Both in word order, as one sorted vocabulary would list them.
        merged = heapq.merge(
            ((self.terms[i], i) for i in built), ((w, self.extra[w]) for w in later[:limit])
        )
        return [wid for _, wid in itertools.islice(merged, limit)]

    def match(
        self,
        index: FilterIndex,
        query: Query,
        database: dict[int, np.ndarray],
        *,
        ranked: bool = True,
    ) -> TextMatch:
        """Positions matching every positive term and no negative one. `database` holds,
        per term number, the work ids the database found for it (phrases, and chapter
        text when the query asks for it)."""
        n = max(len(index.alive), 1)
        result: BitMap | None = None
        unwanted: list[BitMap] = []
        parts: list[tuple[float, BitMap]] = []
        for number, term in enumerate(query.terms):
            from_db = database.get(number)
            db_bitmap = BitMap() if from_db is None else index.positions_of_ids(from_db)
            if term.phrase:
                found = db_bitmap
                fields: list[tuple[float, BitMap]] = [(PHRASE_WEIGHT, found)]
            else:
                fields = []
                wids = self.expand(term)
                if term.prefix and len(wids) > MAX_PREFIX_WORDS:
                    wids = self._most_common(wids)
                for name, weight in WEIGHTS.items():
                    if name == "tags":
                        hits = [self.tags(index, w) for w in wids]
                    else:
                        hits = [self.field(name, w) for w in wids]
                    hits = [h for h in hits if h]
                    if hits:
                        fields.append((weight, BitMap.union(*hits)))
                if db_bitmap:
                    fields.append((BODY_WEIGHT, db_bitmap))
                found = BitMap.union(*(b for _, b in fields)) if fields else BitMap()
            if term.negative:
                unwanted.append(found)
                continue
            result = found if result is None else result & found
            if ranked:
                idf = math.log(1 + n / (1 + len(found)))
                parts.extend((weight * idf, bitmap) for weight, bitmap in fields)
        if result is None:
            result = BitMap()
        for found in unwanted:
            result -= found
        return TextMatch(result, parts)

    def _most_common(self, wids: list[int]) -> list[int]:
        built = len(self.sizes)
        sizes = [(int(self.sizes[w]) if w < built else 0) + self._tag_count(w) for w in wids]
        order = np.argsort(-np.array(sizes), kind="stable")[:MAX_PREFIX_WORDS]
        return [wids[i] for i in order.tolist()]

    def _tag_count(self, wid: int) -> int:
        if wid + 1 < len(self.tag_indptr):
            return int(self.tag_indptr[wid + 1] - self.tag_indptr[wid])
        return 0

    def stats(self) -> dict[str, int]:
        return {
            "words": self.vocab_size,
            "bitmaps": sum(len(b) for b in self.base.values()),
            "changed_works": len(self.changed_words),
        }
