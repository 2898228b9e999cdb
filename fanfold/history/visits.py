"""Visits to members' reading history, buffered like hits (fanfold.archive.pending).

A page view merges a `Visit` into this process's buffer; a flush writes each member's
visits to a work as one upsert whose counter moves with F(), so flushes from several
processes add up instead of overwriting each other. Until the flush (a couple of
seconds), the member's own pages read this process's pending visits through
`pending_visits`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest

from fanfold.accounts.models import User
from fanfold.archive.pending import Batch, view_writes
from fanfold.history.models import Reading
from fanfold.works.models import Work

Key = tuple[int, int]  # (user id, work id)


@dataclass
class Visit:
    first: datetime
    last: datetime
    count: int
    position: int
    work_updated_at: datetime | None

    def merge(self, later: Visit) -> None:
        self.first = min(self.first, later.first)
        self.last = max(self.last, later.last)
        self.count += later.count
        self.position = max(self.position, later.position)
        self.work_updated_at = _latest(self.work_updated_at, later.work_updated_at)


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)


def _at_least(field: str, value: object):
    # Greatest() is NULL on SQLite when either side is, so a NULL column counts as
    # "nothing yet". Keeps the furthest point when flushes arrive out of order.
    return Greatest(Coalesce(F(field), Value(value)), Value(value))


class ReadingBatch(Batch):
    """Visits by member, then by work: a member's own pages find theirs directly."""

    def __init__(self) -> None:
        self.by_user: dict[int, dict[int, Visit]] = {}
        self._count = 0

    def add(self, entry: tuple[Key, Visit]) -> None:
        (user_id, work_id), visit = entry
        works = self.by_user.setdefault(user_id, {})
        if work_id in works:
            works[work_id].merge(visit)
        else:
            works[work_id] = visit
            self._count += 1

    def absorb(self, older: Batch) -> None:
        assert isinstance(older, ReadingBatch)
        for user_id, works in older.by_user.items():
            for work_id, visit in works.items():
                self.add(((user_id, work_id), visit))  # merging is order-free

    def forget(self, user_id: int) -> None:
        self._count -= len(self.by_user.pop(user_id, {}))

    def __len__(self) -> int:
        return self._count

    def write(self) -> None:
        # History turned off, an account or a work deleted since the view: nothing to keep.
        recording = set(
            User.objects.filter(pk__in=self.by_user, history_enabled=True).values_list(
                "pk", flat=True
            )
        )
        work_ids = {w for works in self.by_user.values() for w in works}
        alive = set(Work.objects.filter(pk__in=work_ids).values_list("pk", flat=True))
        visits = [
            (user_id, work_id, visit)
            for user_id, works in self.by_user.items()
            if user_id in recording
            for work_id, visit in works.items()
            if work_id in alive
        ]
        Reading.objects.bulk_create(
            [Reading(user_id=u, work_id=w) for u, w, _ in visits], ignore_conflicts=True
        )
        for user_id, work_id, visit in visits:
            Reading.objects.filter(user_id=user_id, work_id=work_id).update(
                first_visit=Coalesce(F("first_visit"), Value(visit.first)),
                last_visit=_at_least("last_visit", visit.last),
                visit_count=F("visit_count") + visit.count,
                chapter_position=Greatest(F("chapter_position"), Value(visit.position)),
                work_updated_at=(
                    _at_least("work_updated_at", visit.work_updated_at)
                    if visit.work_updated_at
                    else F("work_updated_at")
                ),
            )


view_writes.register("readings", ReadingBatch)


def visit_add(*, user_id: int, work_id: int, visit: Visit) -> None:
    view_writes.add("readings", ((user_id, work_id), visit))


def pending_visits(*, user_id: int) -> dict[int, Visit]:
    """This member's visits not yet written, by work id (this process only)."""

    def mine(batch: Batch) -> dict[int, Visit]:
        assert isinstance(batch, ReadingBatch)
        return dict(batch.by_user.get(user_id, {}))

    return view_writes.inspect("readings", mine)


def pending_visits_forget(*, user_id: int) -> None:
    """Drop this member's unwritten visits (they cleared or turned off their history)."""

    def drop(batch: Batch) -> None:
        assert isinstance(batch, ReadingBatch)
        batch.forget(user_id)

    view_writes.inspect("readings", drop)


def pending_visits_write(*, user_id: int) -> None:
    """Write the buffer now if this member has visits in it: their history page then
    reads the database alone. (A write, but on the history page, not a reading page.)"""
    if pending_visits(user_id=user_id):
        view_writes.flush()
