"""Writes for the filter engine: the change log every index follows."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from fanfold.filters.models import FilterChange


@transaction.atomic
def mark_changed(*, work_ids: Iterable[int] = (), tag_ids: Iterable[int] = ()) -> None:
    """Record that these works (or tags) changed in a way filtering can see.

    Call it inside the transaction of the write itself: if the write rolls back, so does
    the log row, and no index ever sees a change that did not happen. Indexes reload a
    changed work from the database, so the row only has to name it.
    """
    rows = [FilterChange(work_id=pk) for pk in dict.fromkeys(work_ids)]
    rows += [FilterChange(tag_id=pk) for pk in dict.fromkeys(tag_ids)]
    if rows:
        FilterChange.objects.bulk_create(rows)
    work_list = [r.work_id for r in rows if r.work_id is not None]
    if work_list:
        from fanfold.filters.search import search_documents_update

        search_documents_update(work_ids=work_list)
