"""Build the host's filter index snapshot from the database, report its cost, check it.

    manage.py rebuild_filter_index [--verify N] [--signal] [--prune-days D]

The snapshot goes to FILTER_INDEX_DIR; every worker on this host switches to it at its
next query (and applies the change log on top). Only one build runs at a time: a second
one waits for the first (or, with --if-idle, leaves at once). `--signal` also asks every
process to drop its index and wait for a snapshot that read the log this far.
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import time

from django.core.management.base import BaseCommand

from fanfold.filters import snapshot
from fanfold.filters.index import FilterIndex
from fanfold.filters.loader import indexed_works
from fanfold.filters.services import filter_changes_prune, filter_index_rebuild_all


def _rss_mib() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Build the in-memory filter index, report time and memory, optionally verify."

    def add_arguments(self, parser):
        parser.add_argument("--verify", type=int, default=0, metavar="N", help="check N tags")
        parser.add_argument("--signal", action="store_true", help="make every process rebuild")
        parser.add_argument("--prune-days", type=int, default=None, metavar="D")
        parser.add_argument(
            "--if-idle", action="store_true", help="leave if another build is running"
        )

    def handle(
        self, *args, verify: int, signal: bool, prune_days: int | None, if_idle: bool, **options
    ):
        before = _rss_mib()
        last = [0.0]

        def progress(what: str, count: int) -> None:
            if time.perf_counter() - last[0] > 2:
                last[0] = time.perf_counter()
                self.stdout.write(f"  {what}: {count:,}")
                self.stdout.flush()

        if signal:
            filter_index_rebuild_all()
            self.stdout.write("Asked every running process to wait for this snapshot.")
        root = snapshot.index_dir()
        with snapshot.build_lock(root, blocking=not if_idle) as held:
            if not held:
                self.stdout.write("Another process is building the snapshot; leaving.")
                return
            index = FilterIndex.build(progress=progress)
            path = snapshot.publish(index, root)
        stats = index.stats()
        self.stdout.write(
            f"Built in {index.build_seconds:.1f} s: {stats['works']:,} works, "
            f"{stats['tags']:,} filter tags, {stats['tag_references']:,} tag references. "
            f"RSS {_rss_mib():.0f} MiB (+{_rss_mib() - before:.0f} MiB for the index). "
            f"Snapshot {path.name}: {snapshot.snapshot_bytes(path) / 2**20:.0f} MiB."
        )
        if verify:
            self._verify(index, verify)
        if prune_days is not None:
            gone = filter_changes_prune(older_than=dt.timedelta(days=prune_days))
            self.stdout.write(f"Pruned {gone:,} change-log rows.")

    def _verify(self, index: FilterIndex, sample: int) -> None:
        """Recount a sample of tags straight from the database, through the tag graph."""
        stands_for: dict[int, list[int]] = {}
        for direct, closure in index.graph.closures().items():
            for tag in closure:
                stands_for.setdefault(tag, []).append(direct)
        tags = random.sample(sorted(index.tag_bitmaps), min(sample, len(index.tag_bitmaps)))
        wrong = 0
        for tag in tags:
            tag_ids = sorted({tag, *stands_for.get(tag, [])} - set(_moved(index, tag)))
            # The same queryset the index is loaded from, so this checks the index's
            # bookkeeping, not a second copy of the visibility rule.
            expected = indexed_works().filter(tags__in=tag_ids).distinct().count()
            found = len(index.tag_bitmaps[tag] & index.alive)
            if found != expected:
                wrong += 1
                self.stderr.write(f"  tag {tag}: index {found:,}, database {expected:,}")
        style = self.style.SUCCESS if not wrong else self.style.ERROR
        self.stdout.write(style(f"Verified {len(tags)} tags: {wrong} differ."))


def _moved(index: FilterIndex, tag: int) -> list[int]:
    # A synonym's own id stands for its canonical tag, not for itself.
    return [tag] if index.graph.resolve(tag) != tag else []
