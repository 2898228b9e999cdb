"""Hits: one per visitor per work per day, recorded without slowing reading.

A page view only adds a tuple to the process's buffer of page-view writes
(fanfold.archive.pending), written in batches. The per-day ledger's unique key makes the
rule hold across processes and servers: `Work.hits` is recomputed from the ledger rather
than incremented, so two workers flushing the same visitor cannot double-count.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from fanfold.archive.pending import Batch, view_writes
from fanfold.filters.services import filter_changes_prune, mark_changed
from fanfold.works.models import HitLedger, Work

# Ledger rows older than this are folded into Work.hits_folded and deleted.
KEEP_DAYS = 2
Hit = tuple[int, str, date]


def visitor_key(request: HttpRequest) -> str:
    """A stable, non-reversible id for the visitor: account, session, or address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        raw = f"user:{user.pk}"
    elif request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        raw = f"session:{request.COOKIES[settings.SESSION_COOKIE_NAME]}"
    else:
        address = request.META.get(settings.RATELIMIT_IP_META_KEY, "")
        raw = f"guest:{address}:{request.META.get('HTTP_USER_AGENT', '')[:200]}"
    return hashlib.blake2b(
        raw.encode(), digest_size=16, key=settings.SECRET_KEY.encode()[:64]
    ).hexdigest()


def hits_write(entries: list[Hit]) -> None:
    """Store hits and refresh the affected works' counters in one transaction."""
    if not entries:
        return
    with transaction.atomic():
        # Lock the counted works first: a concurrent flush from another process then
        # waits, and its recount sees our ledger rows (PostgreSQL counts from the
        # statement's snapshot, which would otherwise miss rows committed meanwhile).
        # A work deleted since the view has no ledger to count into.
        alive = set(
            Work.objects.filter(pk__in={w for w, _, _ in entries})
            .order_by("pk")
            .select_for_update()
            .values_list("pk", flat=True)
        )
        HitLedger.objects.bulk_create(
            [HitLedger(work_id=w, visitor=v, day=d) for w, v, d in entries if w in alive],
            ignore_conflicts=True,
            batch_size=500,
        )
        _recount(alive)


def _recount(work_ids: set[int]) -> None:
    counted = (
        HitLedger.objects.filter(work=OuterRef("pk"))
        .values("work")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Work.objects.filter(pk__in=work_ids).update(
        hits=F("hits_folded") + Coalesce(Subquery(counted), Value(0))
    )
    # Hits sort and filter listings: tell the filter indexes (no search text changed).
    mark_changed(work_ids=work_ids, text=False)


def hits_fold(*, today: date | None = None) -> int:
    """Move old ledger rows into Work.hits_folded; returns how many rows were folded."""
    cutoff = (today or timezone.localdate()) - timedelta(days=KEEP_DAYS)
    with transaction.atomic():
        old = HitLedger.objects.filter(day__lt=cutoff)
        old_counts = (
            old.filter(work=OuterRef("pk")).values("work").annotate(n=Count("pk")).values("n")
        )
        work_ids = set(old.values_list("work_id", flat=True).distinct())
        if not work_ids:
            return 0
        Work.objects.filter(pk__in=work_ids).update(
            hits_folded=F("hits_folded") + Coalesce(Subquery(old_counts), Value(0))
        )
        deleted, _ = old.delete()
        _recount(work_ids)
    return deleted


class HitBatch(Batch):
    """Buffered hits: a set, so a visitor's repeated views merge before the ledger's
    unique key merges them across processes."""

    def __init__(self) -> None:
        self.entries: set[Hit] = set()

    def add(self, entry: Hit) -> None:
        self.entries.add(entry)

    def absorb(self, older: Batch) -> None:
        assert isinstance(older, HitBatch)
        self.entries |= older.entries

    def write(self) -> None:
        hits_write(list(self.entries))

    def __len__(self) -> int:
        return len(self.entries)


def _hourly_upkeep() -> None:
    hits_fold()
    # The same hourly housekeeping trims the filter change log (rows a day old have
    # long been read by every running index).
    filter_changes_prune()


view_writes.register("hits", HitBatch)
view_writes.every_hour(_hourly_upkeep)


def record_hit(request: HttpRequest, work_id: int) -> None:
    """Count the visit (buffered; see fanfold.archive.pending)."""
    view_writes.add("hits", (work_id, visitor_key(request), timezone.localdate()))
