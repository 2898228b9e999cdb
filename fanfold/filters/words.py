"""The in-memory word index: which works use a word in their title, creators, tags or
summary, as roaring bitmaps over the filter index's positions.

Built with the filter index and kept fresh by it: a work reloaded from the change log
gets its words recomputed here too, so a search sees an edit as soon as a filter does.
Chapter text is not held here; `search` asks the database for it when a query wants it.

- Title, creator names and summary: one bitmap per word and field from the build, plus
  bitmaps of the works changed since (whose build entries are then ignored), the same
  overlay scheme the tag bitmaps use.
- Tags: each tag name's words point at the tag; a word's works are the union of the
  filter-tag bitmaps of the tags using it (a synonym's name finds its canonical tag's
  works, a metatag's name its subtags' works). Unions are cached per word and patched
  when a changed work gains or loses one of the word's tags.
"""

from __future__ import annotations

import array
import bisect
import functools
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from django.db import connection
from pyroaring import BitMap

from fanfold.filters.loader import CHUNK, _chunks, _in, compiled, indexed_works

if TYPE_CHECKING:
    from fanfold.filters.index import FilterIndex

_WORD = re.compile(r"[^\W_]+")
# Separates texts tokenised together; never part of a word, and never looked up.
_SEP = "\x00"
_WORD_OR_SEP = re.compile(r"[^\W_]+|\x00")
_ASCII_SPLIT = str.maketrans(
    {chr(c): " " for c in range(128) if not chr(c).isalnum() and chr(c) != _SEP}
)
_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
FIELDS = ("title", "creators", "summary")
# Relevance weights per field a word is found in (chapter text: `BODY_WEIGHT`).
WEIGHTS = {"title": 10.0, "creators": 6.0, "tags": 4.0, "summary": 2.0}
BODY_WEIGHT = 1.0
PHRASE_WEIGHT = 3.0
# A prefix (`drag*`) stands for at most this many words, the most common first.
MAX_PREFIX_WORDS = 500
TAG_CACHE = 4096
CREATOR_SQL = (
    "SELECT c.work_id, p.name FROM works_creatorship c "
    "JOIN accounts_pseud p ON p.id = c.pseud_id WHERE c.approved"
)
# Patching cached tag unions costs (changed works x cached words); above this, forget them.
PATCH_LIMIT = 200_000


def words_of(text: str) -> list[str]:
    """Lower-case words without accents: letters and digits; anything else separates."""
    if not text.isascii():
        # Typographic punctuation (curly quotes, dashes, ellipses) separates words like
        # a space does; blanking it lets most English chapter text take the ASCII path.
        text = _TYPOGRAPHIC.sub(" ", text)
    if text.isascii():
        if _SEP in text:
            return _WORD.findall(text.lower())
        # Every ASCII character that is not a letter or digit becomes a space: the same
        # words as the regex, at C speed on long text.
        return text.lower().translate(_ASCII_SPLIT).split()
    # ASCII punctuation and spaces survive NFKD and casefolding unchanged and always
    # separate words, so each run between them can be cleaned on its own, and a
    # repeated run ("Zoë", "café") only once.
    words: list[str] = []
    for run in _ASCII_SEPARATORS.split(text):
        if run.isascii():
            if run:
                words.append(run.lower())
        else:
            words.extend(_run_words(run))
    return words


_TYPOGRAPHIC = re.compile("[\u00a0\u2010-\u2015\u2018-\u201f\u2026\u2032\u2033\u00ab\u00bb]")
_ASCII_SEPARATORS = re.compile(r"[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")


@functools.lru_cache(maxsize=65536)
def _run_words(run: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(_strip_accents(run).casefold()))


# --- queries ------------------------------------------------------------------------------


@dataclass
class Term:
    words: list[str]
    prefix: bool = False  # the last word is a prefix (`drag*`)
    phrase: bool = False  # the words in this order ("quoted words")
    negative: bool = False  # `-word`: works with it are left out


@dataclass
class Query:
    terms: list[Term] = field(default_factory=list)
    body: bool = False  # chapter text counts too

    @property
    def empty(self) -> bool:
        return not any(not t.negative for t in self.terms)


def parse(text: str, *, body: bool = False) -> Query:
    """A reader's search as terms. Every word must appear; `-word` must not; `word*`
    matches a prefix; "quoted words" must appear together in that order. Nothing else is
    syntax: punctuation inside a word separates words (`harry/draco` needs both words;
    `-harry/draco` leaves out works with the phrase "harry draco")."""
    query = Query(body=body)
    for token in _TOKEN.findall(text):
        negative = token.startswith("-") and len(token) > 1
        token = token[1:] if negative else token
        if token.startswith('"'):
            words = words_of(token)
            if len(words) > 1:
                query.terms.append(Term(words, phrase=True, negative=negative))
            elif words:
                query.terms.append(Term(words, negative=negative))
            continue
        words = words_of(token)
        if not words:
            continue
        if negative and len(words) > 1:
            # `-harry/draco` leaves out that pairing, not every work naming either.
            query.terms.append(Term(words, phrase=True, negative=True))
            continue
        prefix = token.endswith("*")
        for i, word in enumerate(words):
            last = i == len(words) - 1
            query.terms.append(Term([word], prefix=prefix and last, negative=negative))
    return query


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
    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.sorted_words: list[str] = []
        self.base: dict[str, dict[int, BitMap]] = {f: {} for f in FIELDS}
        self.over: dict[str, dict[int, BitMap]] = {f: {} for f in FIELDS}
        self.stale = BitMap()
        self.changed_words: dict[int, tuple[tuple[int, ...], ...]] = {}
        # Tag names: word id -> direct tag ids (CSR from the build, plus later names).
        self.tag_indptr = np.zeros(1, dtype=np.int64)
        self.tag_ids = np.zeros(0, dtype=np.int64)
        self.tag_extra: dict[int, set[int]] = {}
        self.renamed: set[int] = set()
        self.named = np.zeros(1, dtype=bool)
        self.filter_tag = np.zeros(1, dtype=np.int64)  # direct tag -> its filter tag
        self.tag_cache: dict[int, tuple[frozenset[int], BitMap]] = {}
        self.build_seconds = 0.0

    def _word_id(self, word: str) -> int:
        wid = self.vocab.get(word)
        if wid is None:
            wid = self.vocab[word] = len(self.vocab)
            bisect.insort(self.sorted_words, word)
        return wid

    # --- building -------------------------------------------------------------------------
    @classmethod
    def build(cls, index: FilterIndex) -> WordIndex:
        import time

        started = time.perf_counter()
        words = cls()
        words._load_tag_names(None)
        words.refresh_tag_graph(index)
        scope = None if index.scope is None else index.ids[: index.n].tolist()
        vocab = words.vocab
        per_field: dict[str, tuple[array.array, array.array]] = {
            f: (array.array("I"), array.array("I")) for f in FIELDS
        }
        for kind, rows in _stream_texts(scope):
            pks = np.array([r[0] for r in rows], dtype=np.int64)
            found_at, which = index.positions_array(pks)
            chosen = [rows[i] for i in which.tolist()]
            columns = (("creators", 1),) if kind == "creators" else (("title", 1), ("summary", 2))
            for name, column in columns:
                wids, lengths, order = _bulk_ids(vocab, [r[column] for r in chosen])
                per_field[name][0].frombytes(wids.tobytes())
                at = np.repeat(found_at[order].astype(np.uint32), lengths)
                per_field[name][1].frombytes(at.tobytes())
        for name, (word_column, poss) in per_field.items():
            words.base[name] = _group(np.frombuffer(word_column, dtype=np.uint32), poss)
        words.sorted_words = sorted(w for w in vocab if w != _SEP)
        words.build_seconds = time.perf_counter() - started
        return words

    def _load_tag_names(self, tag_ids: Sequence[int] | None) -> set[int]:
        """Read tag names (all, or these); return the word ids whose tags changed."""
        sql = "SELECT id, name FROM tags_tag"
        pairs_w: list[int] = []
        pairs_t: list[int] = []
        with connection.cursor() as cursor:
            for batch in [None] if tag_ids is None else list(_chunks(tag_ids)):
                if batch is None:
                    cursor.execute(sql)
                else:
                    cursor.execute(sql + f" WHERE id IN ({_in(batch)})", list(batch))
                while rows := cursor.fetchmany(CHUNK):
                    if tag_ids is None:
                        wids, lengths, order = _bulk_ids(self.vocab, [r[1] for r in rows])
                        pairs_w.extend(wids.tolist())
                        pks = np.array([r[0] for r in rows], dtype=np.int64)[order]
                        pairs_t.extend(np.repeat(pks, lengths).tolist())
                        continue
                    for pk, name in rows:
                        for word in dict.fromkeys(words_of(name)):
                            pairs_w.append(self._word_id(word))
                            pairs_t.append(pk)
        if tag_ids is None:
            w = np.array(pairs_w, dtype=np.int64)
            t = np.array(pairs_t, dtype=np.int64)
            order = np.argsort(w, kind="stable")
            self.tag_ids = t[order]
            self.tag_indptr = np.zeros(len(self.vocab) + 1, dtype=np.int64)
            np.cumsum(np.bincount(w, minlength=len(self.vocab)), out=self.tag_indptr[1:])
            top = int(np.max(t)) if len(t) else 0
            self.named = np.zeros(top + 1, dtype=bool)
            self.named[t] = True
            return set()
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
        """Which filter tag each tag stands for (after synonyms or metatags changed)."""
        lookup, _ = index.graph._lookup(np.zeros(1, dtype=np.int64))
        self.filter_tag = lookup
        if not keep_cache:
            self.tag_cache.clear()

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
        texts = _load_texts(list(work_ids))
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
            self.tag_cache.clear()
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
        bitmaps = [b for t in wanted if (b := index.tag_bitmaps.get(int(t))) is not None]
        bitmap = BitMap.union(*bitmaps) if bitmaps else BitMap()
        if len(self.tag_cache) >= TAG_CACHE:
            self.tag_cache.clear()
        self.tag_cache[wid] = (frozenset(int(t) for t in wanted), bitmap)
        return bitmap

    def expand(self, term: Term) -> list[int]:
        """Word ids a term's last word stands for: itself, or every word it prefixes."""
        word = term.words[-1]
        if not term.prefix:
            wid = self.vocab.get(word)
            return [] if wid is None else [wid]
        at = bisect.bisect_left(self.sorted_words, word)
        found = []
        while at < len(self.sorted_words) and self.sorted_words[at].startswith(word):
            found.append(self.vocab[self.sorted_words[at]])
            at += 1
            if len(found) >= MAX_PREFIX_WORDS * 20:
                break
        return found

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
        sizes = [
            sum(len(self.base[f].get(w, ())) for f in FIELDS) + self._tag_count(w) for w in wids
        ]
        order = np.argsort(-np.array(sizes), kind="stable")[:MAX_PREFIX_WORDS]
        return [wids[i] for i in order.tolist()]

    def _tag_count(self, wid: int) -> int:
        if wid + 1 < len(self.tag_indptr):
            return int(self.tag_indptr[wid + 1] - self.tag_indptr[wid])
        return 0

    def stats(self) -> dict[str, int]:
        return {
            "words": len(self.vocab),
            "bitmaps": sum(len(b) for b in self.base.values()),
            "changed_works": len(self.changed_words),
        }


def _bulk_ids(vocab: dict[str, int], texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word ids of many texts at once (new words join `vocab`): the ids, how many each
    text has, and the text order they come in (plain-ASCII texts first). A word repeated
    within a text is repeated here too; bitmaps ignore that.

    One pass over all the texts joined by a separator: a million separate regex calls
    would cost seconds of a build. Plain ASCII goes through str.translate and split, which
    are several times quicker than the regex the rest needs."""
    sep_id = vocab.setdefault(_SEP, len(vocab))
    plain = [i for i, t in enumerate(texts) if t.isascii()]
    other = [i for i, t in enumerate(texts) if not t.isascii()]
    tokens: list[str] = []
    if plain:
        # One-for-one translation keeps str.translate on its fast path; the separator
        # stands between spaces so that split() leaves it a token of its own.
        glue = f" {_SEP} "
        joined = glue.join([texts[i] for i in plain]) + glue
        if joined.count(_SEP) != len(plain):  # a text holding the separator itself
            joined = glue.join(texts[i].replace(_SEP, " ") for i in plain) + glue
        tokens = joined.lower().translate(_ASCII_SPLIT).split()
    if other:
        joined = _SEP.join(_strip_accents(texts[i]).replace(_SEP, " ") for i in other) + _SEP
        tokens += _WORD_OR_SEP.findall(joined.casefold())
    for word in set(tokens).difference(vocab):
        vocab[word] = len(vocab)
    wids = np.fromiter(map(vocab.__getitem__, tokens), dtype=np.uint32, count=len(tokens))
    is_sep = wids == sep_id
    lengths = np.diff(np.flatnonzero(is_sep), prepend=-1) - 1
    return wids[~is_sep], lengths, np.array(plain + other, dtype=np.int64)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _group(wids: np.ndarray, positions: array.array) -> dict[int, BitMap]:
    """(word, position) pairs → a bitmap per word."""
    pos = np.frombuffer(positions, dtype=np.uint32)
    if not len(wids):
        return {}
    order = np.argsort(wids, kind="stable")  # positions stay ascending within a word
    wids, pos = wids[order], pos[order]
    cuts = np.flatnonzero(np.diff(wids)) + 1
    starts = np.concatenate([[0], cuts]).tolist()
    ends = np.concatenate([cuts, [len(wids)]]).tolist()
    out = {}
    for a, b in zip(starts, ends, strict=True):
        values = array.array("I")
        values.frombytes(pos[a:b].tobytes())
        out[int(wids[a])] = BitMap(values)
    return out


def _text_rows(batch: Sequence[int] | None) -> tuple[str, list]:
    """(id, title, summary) of the indexed works, compiled from the visibility rule."""
    works = indexed_works()
    if batch is not None:
        works = works.filter(pk__in=list(batch))
    return compiled(works.values_list("id", "title", "summary"))


def _stream_texts(work_ids: list[int] | None) -> Iterator[tuple[str, list[tuple]]]:
    """Chunks of (id, title, summary) rows of indexable works, then of (work id, creator
    name) rows: all works, or these."""
    with connection.cursor() as cursor:
        for batch in [None] if work_ids is None else list(_chunks(work_ids)):
            cursor.execute(*_text_rows(batch))
            while rows := cursor.fetchmany(CHUNK):
                yield "work", rows
        for batch in [None] if work_ids is None else list(_chunks(work_ids)):
            where, params = (
                ("", []) if batch is None else (f" AND c.work_id IN ({_in(batch)})", batch)
            )
            cursor.execute(CREATOR_SQL + where, params)
            while rows := cursor.fetchmany(CHUNK):
                yield "creators", rows


def _load_texts(work_ids: list[int] | None) -> dict[int, list[str]]:
    """Title, creator names and summary of the indexable works (all, or these)."""
    texts: dict[int, list[str]] = {}
    with connection.cursor() as cursor:
        for batch in [None] if work_ids is None else list(_chunks(work_ids)):
            cursor.execute(*_text_rows(batch))
            while rows := cursor.fetchmany(CHUNK):
                for pk, title, summary in rows:
                    texts[pk] = [title, "", summary]
            cwhere, params = (
                ("", []) if batch is None else (f" AND c.work_id IN ({_in(batch)})", batch)
            )
            cursor.execute(CREATOR_SQL + cwhere + " ORDER BY c.position, c.id", params)
            while rows := cursor.fetchmany(CHUNK):
                for pk, name in rows:
                    doc = texts.get(pk)
                    if doc is not None:
                        doc[1] = f"{doc[1]} {name}" if doc[1] else name
    return texts
