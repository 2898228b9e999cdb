"""Hits: one per visitor per work per day, recorded without slowing reading.

A page view only adds a tuple to an in-process set; a background thread writes the set
in one transaction every HITS_FLUSH_SECONDS. The per-day ledger's unique key makes the
rule hold across processes and servers: `Work.hits` is recomputed from the ledger rather
than incremented, so two workers flushing the same visitor cannot double-count.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import threading
import time
from datetime import date, timedelta

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from fanfold.filters.services import filter_changes_prune, mark_changed
from fanfold.works.models import HitLedger, Work

log = logging.getLogger(__name__)

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
        HitLedger.objects.bulk_create(
            [HitLedger(work_id=w, visitor=v, day=d) for w, v, d in entries],
            ignore_conflicts=True,
            batch_size=500,
        )
        _recount({w for w, _, _ in entries})


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


class HitBuffer:
    """Per-process buffer with one daemon thread that flushes it."""

    def __init__(self) -> None:
        self._entries: set[Hit] = set()
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._last_fold = 0.0

    def add(self, entry: Hit) -> None:
        with self._lock:
            self._entries.add(entry)
            if self._pid != os.getpid():  # first use, or we are a forked worker
                self._pid = os.getpid()
                threading.Thread(target=self._run, name="hit-flusher", daemon=True).start()

    def flush(self) -> None:
        with self._lock:
            entries, self._entries = list(self._entries), set()
        if not entries:
            return
        try:
            hits_write(entries)
        except Exception:
            # Losing a few seconds of hits beats crashing the flusher; log it loudly.
            log.exception("could not write %d buffered hits", len(entries))

    def _run(self) -> None:
        while True:
            time.sleep(settings.HITS_FLUSH_SECONDS)
            close_old_connections()
            self.flush()
            if time.monotonic() - self._last_fold > 3600:
                self._last_fold = time.monotonic()
                try:
                    hits_fold()
                    # The same hourly housekeeping trims the filter change log (rows
                    # a day old have long been read by every running index).
                    filter_changes_prune()
                except Exception:
                    log.exception("could not fold old hits or prune the filter log")


_buffer = HitBuffer()
atexit.register(_buffer.flush)


def record_hit(request: HttpRequest, work_id: int) -> None:
    entry = (work_id, visitor_key(request), timezone.localdate())
    if settings.HITS_FLUSH_SECONDS <= 0:
        hits_write([entry])
    else:
        _buffer.add(entry)
