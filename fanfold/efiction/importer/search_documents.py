"""Search documents for the imported works, written after the chapters are in."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from django.db import connection, reset_queries, transaction

from fanfold.efiction.importer.base import ImporterBase, tune_session


class SearchDocumentsMixin(ImporterBase):
    """Part of `Importer` (run.py): the search documents."""

    def _index_text(self, work_pks: list[int]) -> None:
        """Search documents (title, creators, tags, summary, chapter text) for every
        imported work, 100 works per transaction. Turning chapter HTML into words is the
        costly part on SQLite, so the workers compute documents while this process, the
        one writer SQLite has, writes them in order; PostgreSQL builds the text vectors
        in the server, so there each worker writes its own, in parallel server
        processes."""
        from fanfold.filters.search import search_documents_compute, search_documents_write

        step = 100
        chunks = [work_pks[i : i + step] for i in range(0, len(work_pks), step)]
        done = 0
        if self.pool is not None and connection.vendor == "postgresql":
            for count in self.pool.imap_unordered(_index_chunk, chunks):
                done += count
                self.progress("search index", done, len(work_pks))
            return
        for chunk, docs in zip(
            chunks, self._bounded(search_documents_compute, chunks), strict=True
        ):
            with transaction.atomic():
                search_documents_write(work_ids=chunk, docs=docs)
            reset_queries()
            done += len(chunk)
            self.progress("search index", done, len(work_pks))

    def _bounded(self, function, items: list) -> Iterator:
        """function(item) for each item, in order, computed by the workers with only a
        few results waiting at a time (the writer is slower than the workers, so an
        unbounded map would hold most of the archive's documents in memory)."""
        if self.pool is None:
            yield from map(function, items)
            return
        ahead = 2 * self._jobs()
        waiting: deque = deque()
        for item in items:
            waiting.append(self.pool.apply_async(function, (item,)))
            if len(waiting) > ahead:
                yield waiting.popleft().get()
        while waiting:
            yield waiting.popleft().get()


def _index_chunk(work_ids: list[int]) -> int:
    """In a worker (PostgreSQL): write these works' search documents in one transaction."""
    from fanfold.filters.search import search_documents_update

    tune_session()
    with transaction.atomic():
        search_documents_update(work_ids=work_ids)
    reset_queries()
    return len(work_ids)
