"""Writes a page view causes (hits, reading history), kept in memory and written in batches.

A reading page must not wait for a write: each view only merges an entry into this
process's buffer. One daemon thread per process writes everything buffered in one
transaction every VIEW_WRITES_FLUSH_SECONDS, or sooner when VIEW_WRITES_FLUSH_SIZE
entries are waiting. Each kind of write is a `Batch` that merges duplicates in memory
and writes counters with F() expressions (or from a ledger with a unique key), so
flushes from several processes or servers, in any order, lose and double nothing.

The buffer is also written when the process stops: at interpreter exit (`atexit`) and,
in a granian worker, from multiprocessing's exit hook, which runs when the worker
returns after the SIGTERM granian (or `manage.py serve`, or systemd through them)
sends it. A crash (SIGKILL, power loss) loses at most the last flush interval.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing.util
import os
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.db import close_old_connections, transaction

log = logging.getLogger(__name__)
T = TypeVar("T")


class Batch(ABC):
    """One kind of buffered write: how its entries merge and how a batch is written."""

    @abstractmethod
    def add(self, entry: Any) -> None:
        """Merge one entry (called under the buffer's lock: keep it cheap)."""

    @abstractmethod
    def absorb(self, older: Batch) -> None:
        """Merge a batch whose write failed back in; its entries are older than ours."""

    @abstractmethod
    def write(self) -> None:
        """Write the batch; called inside the flush's transaction."""

    @abstractmethod
    def __len__(self) -> int: ...


class PendingWrites:
    """The per-process buffer. `kinds` maps a name to the factory of its Batch."""

    def __init__(self) -> None:
        self._kinds: dict[str, Callable[[], Batch]] = {}
        self._batches: dict[str, Batch] = {}
        self._lock = threading.Lock()
        # One flush at a time, so the flush at exit waits for the thread's flush in
        # progress instead of letting the process end under it.
        self._flushing = threading.Lock()
        self._wake = threading.Event()
        self._pid: int | None = None
        self._size = 0
        self._housekeeping: list[Callable[[], None]] = []

    def register(self, name: str, factory: Callable[[], Batch]) -> None:
        self._kinds[name] = factory
        self._batches[name] = factory()

    def every_hour(self, job: Callable[[], None]) -> None:
        """Upkeep for the flusher thread to run now and then (folding old hit rows)."""
        self._housekeeping.append(job)

    def add(self, name: str, entry: Hashable) -> None:
        if settings.VIEW_WRITES_FLUSH_SECONDS <= 0:
            # Written at once (tests of the old behaviour, or a site that wants it).
            batch = self._kinds[name]()
            batch.add(entry)
            self._write({name: batch})
            return
        with self._lock:
            if self._pid != os.getpid():  # first use, or we are a forked worker
                self._start()
            self._batches[name].add(entry)
            self._size += 1
            full = self._size >= settings.VIEW_WRITES_FLUSH_SIZE
        if full:
            self._wake.set()  # the flusher thread writes; the page never waits for it

    def _start(self) -> None:
        if self._pid is not None:
            # Forked from a process that had buffered entries: those are the parent's
            # to write, not ours.
            self._batches = {name: factory() for name, factory in self._kinds.items()}
            self._size = 0
        self._pid = os.getpid()
        self._wake = threading.Event()
        threading.Thread(target=self._run, name="view-writes-flusher", daemon=True).start()
        # A granian worker (a multiprocessing child) ends with os._exit, which skips
        # atexit; multiprocessing's own exit hook still runs, so register there too.
        multiprocessing.util.Finalize(self, self.flush, exitpriority=100)

    def inspect(self, name: str, look: Callable[[Batch], T]) -> T:
        """Run `look` on this process's unwritten entries of one kind, under the lock
        (read-through for the member's own pages, or dropping entries)."""
        with self._lock:
            return look(self._batches[name])

    def clear(self) -> None:
        """Forget everything buffered (tests start each case with an empty buffer)."""
        with self._lock:
            self._batches = {name: factory() for name, factory in self._kinds.items()}
            self._size = 0

    def flush(self) -> int:
        """Write everything buffered now; returns how many merged entries were written."""
        with self._flushing:
            with self._lock:
                taken = {n: b for n, b in self._batches.items() if len(b)}
                self._batches = {name: factory() for name, factory in self._kinds.items()}
                self._size = 0
            if not taken:
                return 0
            try:
                self._write(taken)
            except Exception:
                # The database is away: keep the entries for the next flush, unless the
                # buffer has grown far past its size (then drop them, loudly).
                with self._lock:
                    if self._size < 10 * settings.VIEW_WRITES_FLUSH_SIZE:
                        for name, batch in taken.items():
                            self._batches[name].absorb(batch)
                            self._size += len(batch)
                log.exception("could not write %d buffered page-view entries", len(taken))
                return 0
            return sum(len(b) for b in taken.values())

    @staticmethod
    def _write(batches: dict[str, Batch]) -> None:
        with transaction.atomic():
            for batch in batches.values():
                batch.write()

    def _run(self) -> None:
        last_upkeep = 0.0
        while True:
            self._wake.wait(settings.VIEW_WRITES_FLUSH_SECONDS)
            self._wake.clear()
            close_old_connections()
            self.flush()
            if time.monotonic() - last_upkeep > 3600:
                last_upkeep = time.monotonic()
                for job in self._housekeeping:
                    try:
                        job()
                    except Exception:
                        log.exception("page-view upkeep %s failed", job.__name__)


view_writes = PendingWrites()
atexit.register(view_writes.flush)
