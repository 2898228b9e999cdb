"""`manage.py export_archive FILE`: the whole archive in one portable file."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fanfold.backup.export import archive_export
from fanfold.backup.format import LEVEL, ArchiveError
from fanfold.backup.progress import Reporter


class Command(BaseCommand):
    help = (
        "Write the whole archive (members, works, comments, settings, media files...) to "
        "one compressed, versioned file that restore_archive reads on SQLite or PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Where to write it (e.g. archive.jsonl.gz).")
        parser.add_argument(
            "--level",
            type=int,
            choices=range(1, 10),
            default=LEVEL,
            metavar="1-9",
            help=f"gzip compression level (default {LEVEL}: fast; 9: smallest)",
        )

    def handle(self, *args, file: Path, level: int, **options):
        started = time.perf_counter()
        reporter = Reporter(self.stdout, quiet=options["verbosity"] == 0)
        try:
            counts = archive_export(path=file, level=level, progress=reporter)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {sum(counts.values()):,} rows from {len(counts)} tables "
                f"({counts.get('works.work', 0):,} works) to {file} "
                f"({file.stat().st_size / 1e6:,.1f} MB) in {seconds:.1f} s."
            )
        )
