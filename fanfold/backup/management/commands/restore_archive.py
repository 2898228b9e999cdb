"""`manage.py restore_archive FILE`: an archive file into this (empty) database."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from fanfold.backup.format import ArchiveError
from fanfold.backup.progress import Reporter
from fanfold.backup.restore import archive_restore


class Command(BaseCommand):
    help = (
        "Restore a file written by export_archive into this database (SQLite or "
        "PostgreSQL), in one transaction, then rebuild the search documents and the "
        "filter index."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace",
            "--force",
            action="store_true",
            help="Delete everything this database holds and put the archive in its place.",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=0,
            help="Worker processes for the search documents (default: one per CPU; 1 = none).",
        )

    def handle(self, *args, file: Path, replace: bool, jobs: int, **options):
        started = time.perf_counter()
        quiet = options["verbosity"] == 0
        try:
            result = archive_restore(
                path=file,
                replace=replace,
                progress=Reporter(self.stdout, quiet=quiet),
                jobs=max(0, jobs),
            )
        except ArchiveError as error:
            raise CommandError(f"{error} Nothing was restored.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Committed: {sum(result.rows.values()):,} rows in {len(result.rows)} tables, "
                f"{result.works:,} works, {result.files:,} media files in "
                f"{time.perf_counter() - started:.1f} s (rows {result.rows_seconds:.1f} s, "
                f"search documents {result.search_seconds:.1f} s)."
            )
        )
        if result.rollback_journal is False:
            self.stdout.write(
                "The database was open elsewhere (the site?), so the restore went through "
                "SQLite's write-ahead log: slower for a large archive. Stop the site first "
                "to restore faster."
            )
        self.stdout.flush()
        call_command("rebuild_filter_index", stdout=self.stdout, verbosity=options["verbosity"])
