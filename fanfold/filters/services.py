"""Writes for the filter engine: the change log every index follows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from fanfold.filters.models import FilterChange


@transaction.atomic
def mark_changed(
    *, work_ids: Iterable[int] = (), tag_ids: Iterable[int] = (), text: bool = True
) -> None:
    """Record that these works (or tags) changed in a way filtering can see.

    Call it inside the transaction of the write itself: if the write rolls back, so does
    the log row, and no index ever sees a change that did not happen. Indexes reload a
    changed work from the database, so the row only has to name it.

    `text=False` skips rewriting the works' search documents: for counters (hits,
    kudos, comments, bookmarks) that sort and filter but are not searched.
    """
    rows = [FilterChange(work_id=pk) for pk in dict.fromkeys(work_ids)]
    rows += [FilterChange(tag_id=pk) for pk in dict.fromkeys(tag_ids)]
    if rows:
        FilterChange.objects.bulk_create(rows)
    work_list = [r.work_id for r in rows if r.work_id is not None]
    if work_list and text:
        from fanfold.filters.search import search_documents_update

        search_documents_update(work_ids=work_list)


def filter_index_rebuild_all() -> None:
    """Ask every process's index to rebuild from scratch at its next query (after a
    bulk import or a restore that bypassed the services)."""
    FilterChange.objects.create()


def filter_changes_prune(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Drop log rows every running index has long since read; returns how many."""
    cutoff = timezone.now() - older_than
    # Keep the newest row whatever its age, so the id sequence never looks reset.
    newest = FilterChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    deleted, _ = FilterChange.objects.filter(created_at__lt=cutoff).exclude(id=newest).delete()
    return deleted
