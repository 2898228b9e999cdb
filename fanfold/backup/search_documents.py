"""A restore's search documents: every posted work's, written in the restore's own
transaction by worker processes and this one together.

Only this process's connection sees the restored rows before the commit, so it reads
each chunk of works' texts (titles, tags, creators, chapter HTML) and hands them to the
workers, which need no rows: they turn the texts into words and, on PostgreSQL, ask
their own server processes for the text vectors (to_tsvector, the costly part, now in
parallel). This process only stores what comes back, in order, with a few chunks in
flight so that reading, computing and writing overlap.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import Pool
from typing import Any

from django.db import connection, connections, reset_queries

from fanfold.filters.search import (
    search_document_texts,
    search_document_words,
    search_documents_write,
    search_vectors,
    search_vectors_write,
)
from fanfold.works.models import Work

CHUNK = 100

Progress = Callable[[str, int, int], None]


def start_workers(jobs: int) -> Pool | None:
    """Worker processes for the documents (None for `jobs` 1, or inside a caller's
    transaction, which forking would end): forked before the restore's transaction
    begins, with this process's connections closed, so each opens its own."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or connection.in_atomic_block:
        return None
    connections.close_all()
    return multiprocessing.get_context("fork").Pool(jobs)


def write_search_documents(pool: Pool | None, progress: Progress) -> int:
    """Every posted work's search document; returns how many works there are."""
    ids = list(Work.objects.order_by("pk").values_list("pk", flat=True))
    chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    texts = (search_document_texts(chunk) for chunk in chunks)
    postgres = connection.vendor == "postgresql"
    results = _bounded(pool, _vectors if postgres else _words, texts)
    done = 0
    for chunk, result in zip(chunks, results, strict=True):
        if postgres:
            search_vectors_write(result)
        else:
            search_documents_write(work_ids=chunk, docs=result)
        reset_queries()
        done += len(chunk)
        progress("search documents", done, len(ids))
    return len(ids)


def _words(texts: dict[int, list]) -> dict[int, list[str]]:
    return {pk: search_document_words(t) for pk, t in texts.items()}


def _vectors(texts: dict[int, list]) -> dict[int, bytes]:
    return search_vectors(_words(texts))


def _bounded(pool: Pool | None, function: Callable, items: Iterable) -> Iterator[Any]:
    """function(item) for each item, in order, computed by the workers with only a few
    items in flight (read lazily: an unbounded map would hold the archive's text)."""
    if pool is None:
        yield from map(function, items)
        return
    ahead = 2 * pool._processes  # type: ignore[attr-defined]
    waiting: deque = deque()
    for item in items:
        waiting.append(pool.apply_async(function, (item,)))
        if len(waiting) > ahead:
            yield waiting.popleft().get()
    while waiting:
        yield waiting.popleft().get()
