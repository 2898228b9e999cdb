"""`manage.py backup_sqlite FILE`: copy the live SQLite database while the site runs."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fanfold.backup.sqlite_copy import NotSQLite, sqlite_copy


class Command(BaseCommand):
    help = (
        "Copy the SQLite database to FILE without stopping the site (VACUUM INTO), "
        "checked before it is put in place. On PostgreSQL use pg_dump (see the README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--no-check", action="store_true", help="Skip the quick_check.")

    def handle(self, *args, file: Path, no_check: bool, **options):
        started = time.perf_counter()
        self.stdout.write(f"Copying the database to {file}…")
        self.stdout.flush()
        try:
            size = sqlite_copy(path=file, check=not no_check)
        except NotSQLite as error:
            raise CommandError(f"{error} Use pg_dump or export_archive instead.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Copied {size / 1e6:,.1f} MB in {time.perf_counter() - started:.1f} s"
                f"{'' if no_check else ', checked'}."
            )
        )
