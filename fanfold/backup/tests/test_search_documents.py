"""The search documents a restore's worker processes compute are the ones the site
writes itself, on both databases (CI runs the suite on each)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from fanfold.backup.search_documents import CHUNK, start_workers, write_search_documents
from fanfold.filters.search import TABLE, search_document_texts

# Workers are forked only outside a transaction, as a restore's are.
pytestmark = pytest.mark.django_db(transaction=True)


def documents() -> list[tuple]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT work_id, document::text FROM {TABLE} ORDER BY 1")  # noqa: S608
        else:
            columns = "rowid, title, summary, tags, creators, body"
            cursor.execute(f"SELECT {columns} FROM {TABLE} ORDER BY 1")  # noqa: S608
        return cursor.fetchall()


def clear_documents() -> None:
    # Not a model's table: the flush between transactional tests leaves it alone.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608


@pytest.mark.parametrize("jobs", [1, 2], ids=["in-process", "workers"])
def test_restored_documents_are_the_ones_the_site_writes(make_work, make_user, jobs):
    clear_documents()
    make_work(make_user("dragons"), title="The Quiet Sea", summary="Dragons sleep.")
    make_work(title="Café Noël", body="<p>Scales &amp; fire… “quoted” Zoë</p>", chapters=2)
    # More words than a text vector numbers (16,383) and a word repeated past the
    # positions it keeps (256).
    make_work(title="Long", body="<p>" + "the sea and the dragons " * 4000 + "</p>")
    make_work(title="A draft has none", post=False)
    written_by_the_site = documents()
    assert len(written_by_the_site) == 3
    clear_documents()
    seen: list[tuple[int, int]] = []
    pool = start_workers(jobs)
    assert (pool is None) == (jobs == 1)
    try:
        with transaction.atomic():
            works = write_search_documents(
                pool, lambda _label, done, total: seen.append((done, total))
            )
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    assert works == 4
    assert seen[-1] == (4, 4)
    assert documents() == written_by_the_site


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL plans by its statistics, which a restore takes before the documents",
)
def test_each_chunk_reads_only_its_own_rows_by_index(make_work):
    """A restore's fresh tables have no statistics (no sqlite_stat1): every query that
    reads a chunk's texts must still go by the chunk's keys, or the restore reads the
    whole archive once per chunk of 100 works."""
    works = [make_work(title=f"Chunk {n}", chapters=2).pk for n in range(3)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone() is None  # the planner sees what a restore's sees
    # A whole chunk of keys: the planner weighs an IN list by its length (two ids would
    # go by primary key even against the index on posted), missing ones cost nothing.
    chunk = works[:2] + list(range(10**9, 10**9 + CHUNK - 2))
    with CaptureQueriesContext(connection) as captured:
        assert set(search_document_texts(chunk)) == set(works[:2])
    assert len(captured) == 4  # works, tags, creators, chapters: one query each
    with connection.cursor() as cursor:
        for query in captured:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            steps = [row[-1] for row in cursor.fetchall()]
            # The first step picks the chunk's rows; the others join by primary key.
            assert steps[0].startswith("SEARCH "), (query["sql"], steps)
            assert "(rowid=?)" in steps[0] or "(work_id=?" in steps[0], (query["sql"], steps)
            assert not any(step.startswith("SCAN ") for step in steps), (query["sql"], steps)
