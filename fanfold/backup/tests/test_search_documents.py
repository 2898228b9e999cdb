"""The search documents a restore's worker processes compute are the ones the site
writes itself, on both databases (CI runs the suite on each)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from fanfold.backup.search_documents import start_workers, write_search_documents
from fanfold.filters.search import TABLE

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
