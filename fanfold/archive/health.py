"""The health check behind `/healthz`: is this app server able to serve?

A load balancer or monitor asks every few seconds, so each check is one cheap round trip
(no writes, no counting), and the answer names only what failed, never a host name, an
address or an error message (they can carry credentials from a connection URL).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connection, connections
from django.utils import timezone

log = logging.getLogger(__name__)

Check = dict[str, object]

_warming = threading.Lock()


def _database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _cache(alias: str) -> Check:
    # A read reaches the server (Redis, the cache table) as surely as a write does, and
    # the database cache's writes count the whole table first.
    caches[alias].get("fanfold:healthz")
    return {"ok": True}


def _task_queue() -> Check:
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        # Nothing to reach: the immediate and dummy backends run in this process.
        return {"ok": True}
    from django_tasks_db.models import DBTaskResult

    # The queue's own partial index on waiting tasks answers this without a scan. How
    # long the oldest has waited tells a monitor whether a task worker is running.
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)[:1]
    )
    waited = [round((timezone.now() - at).total_seconds()) for at in oldest]
    return {"ok": True, "oldest_waiting_seconds": waited[0] if waited else 0}


def _warm_filter_index() -> None:
    from fanfold.filters.selectors import current_index

    try:
        current_index()
    except Exception:
        log.exception("Building the filter index failed")
    finally:
        # This thread's database connection would otherwise stay open until exit.
        connections.close_all()
        _warming.release()


def _filter_index() -> Check:
    if not getattr(settings, "FILTER_INDEX", True):
        return {"ok": True, "state": "off"}
    from fanfold.filters.selectors import current_index, shared_index_ready

    if not shared_index_ready() and settings.FILTER_INDEX_BUILD != "inline":
        # Mapping a ready snapshot takes milliseconds, and with none ready this only
        # starts a background build: the check still never waits.
        current_index()
    if shared_index_ready():
        return {"ok": True, "state": "ready"}
    # No snapshot yet: listings come from the database meanwhile (correct, slower), so
    # the server can serve, but a load balancer that waits for this check to pass also
    # waits for its listings to be fast. Inline builds (tests) run on a thread here.
    if settings.FILTER_INDEX_BUILD == "inline" and _warming.acquire(blocking=False):
        threading.Thread(target=_warm_filter_index, name="filter-index-warm", daemon=True).start()
    return {"ok": False, "state": "building"}


CHECKS: dict[str, Callable[[], Check]] = {
    "database": _database,
    "cache": lambda: _cache("default"),
    "shared_cache": lambda: _cache("shared"),
    "task_queue": _task_queue,
    "filter_index": _filter_index,
}


def health() -> tuple[bool, dict[str, Check]]:
    """Every check's result, and whether all passed."""
    results: dict[str, Check] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:
            log.warning("Health check %s failed: %s", name, type(exc).__name__)
            results[name] = {"ok": False, "error": type(exc).__name__}
    return all(r["ok"] for r in results.values()), results
