"""Reading what the word index is built from: titles, summaries, creator names and
tag names of the indexable works (`loader.indexed_works`, the visibility rule), in
chunks, and grouping (word, position) pairs into bitmaps."""

from __future__ import annotations

import array
from collections.abc import Iterator, Sequence

import numpy as np
from django.db import connection
from pyroaring import BitMap

from fanfold.filters.loader import CHUNK, _chunks, _in, compiled, indexed_works
from fanfold.filters.tokens import _bulk_ids

TAG_SQL = "SELECT id, name FROM tags_tag"
CREATOR_SQL = (
    "SELECT c.work_id, p.name FROM works_creatorship c "
    "JOIN accounts_pseud p ON p.id = c.pseud_id WHERE c.approved"
)


def group_pairs(wids: np.ndarray, positions: array.array) -> dict[int, BitMap]:
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


def stream_texts(work_ids: list[int] | None) -> Iterator[tuple[str, list[tuple]]]:
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


def load_texts(work_ids: list[int] | None) -> dict[int, list[str]]:
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


def tag_name_pairs(vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(word id, tag id) for every word of every tag name (new words join `vocab`)."""
    pairs_w: list[np.ndarray] = []
    pairs_t: list[np.ndarray] = []
    with connection.cursor() as cursor:
        cursor.execute(TAG_SQL)
        while rows := cursor.fetchmany(CHUNK):
            wids, lengths, order = _bulk_ids(vocab, [r[1] for r in rows])
            pairs_w.append(wids.astype(np.int64))
            pks = np.array([r[0] for r in rows], dtype=np.int64)[order]
            pairs_t.append(np.repeat(pks, lengths))
    empty = np.zeros(0, dtype=np.int64)
    return np.concatenate([empty, *pairs_w]), np.concatenate([empty, *pairs_t])
