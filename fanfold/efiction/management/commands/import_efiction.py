"""`manage.py import_efiction DUMP.sql`: take over an eFiction 3.5 archive.

    manage.py import_efiction backup.sql --stories-dir old-site/stories
    manage.py import_efiction --mysql mysql://user:pass@localhost/efiction
    manage.py import_efiction backup.sql --write-mapping tags.csv   # look, edit, then:
    manage.py import_efiction backup.sql --mapping tags.csv

Running it again updates what it imported before; an interrupted run is completed by
running it again. The exit status is non-zero only when nothing usable was imported.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fanfold.efiction.importer import Importer, Options
from fanfold.efiction.mapping import MappingError
from fanfold.efiction.source import open_source
from fanfold.efiction.source.base import SourceError

# Test hook (see Options.crash_after_batches): kill the process after N chapter batches.
CRASH_ENV = "FANFOLD_IMPORT_CRASH_AFTER"


class ProgressLine:
    """One line per stage, redrawn in place on a terminal and printed every few
    percent (or seconds) otherwise, so logs of a long import stay readable."""

    def __init__(self, stream):
        self.stream = stream
        self.tty = stream.isatty()
        self.stage = ""
        self.last = 0.0
        self.started = time.monotonic()

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        new_stage = stage != self.stage
        if not new_stage and now - self.last < (0.2 if self.tty else 5.0) and done != total:
            return
        if new_stage and self.stage and self.tty:
            self.stream.write("\n")
        self.stage, self.last = stage, now
        elapsed = now - self.started
        if total:
            unit = " MB" if stage in ("reading", "chapters") else ""
            scale = 1_000_000 if unit else 1
            digits = 1 if unit else 0
            text = (
                f"{stage}: {done / scale:,.{digits}f}/{total / scale:,.{digits}f}{unit} "
                f"({100 * done / total:.0f}%) {elapsed:.0f} s"
            )
        else:
            text = f"{stage}… {elapsed:.0f} s"
        if self.tty:
            self.stream.write("\r" + text.ljust(70))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def end(self) -> None:
        if self.tty and self.stage:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Import an eFiction 3.5 archive (a mysqldump or admin backup, or a live database)."

    def add_arguments(self, parser):
        parser.add_argument("dump", nargs="?", help="The eFiction SQL dump (.sql or .sql.gz).")
        parser.add_argument(
            "--mysql",
            metavar="URL",
            help="Read a live eFiction database instead: mysql://user:pass@host[:port]/db",
        )
        parser.add_argument(
            "--stories-dir",
            type=Path,
            help="eFiction's stories/ folder, when chapter text is kept in files (store=files).",
        )
        parser.add_argument(
            "--prefix", help="Table prefix, e.g. fanfiction_ (detected if left out)."
        )
        parser.add_argument("--mapping", type=Path, help="Apply an edited tag mapping (CSV).")
        parser.add_argument(
            "--write-mapping",
            type=Path,
            metavar="FILE",
            help="Only write the default tag mapping to FILE for editing; import nothing.",
        )
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction.")
        parser.add_argument(
            "--jobs",
            type=int,
            default=0,
            help="Worker processes preparing chapter text (default: one per CPU; 1 = none).",
        )

    def handle(
        self,
        *args,
        dump,
        mysql,
        stories_dir,
        prefix,
        mapping,
        write_mapping,
        batch_size,
        jobs,
        **options,
    ):
        if bool(dump) == bool(mysql):
            raise CommandError("Give either a dump file or --mysql URL (one of them).")
        if stories_dir is not None and not stories_dir.is_dir():
            raise CommandError(f"--stories-dir {stories_dir} is not a folder.")
        if mapping is not None and not mapping.is_file():
            raise CommandError(f"--mapping {mapping} does not exist.")
        crash = os.environ.get(CRASH_ENV)
        try:
            source = open_source(mysql or dump, prefix=prefix)
        except SourceError as error:
            raise CommandError(str(error)) from error
        if stories_dir is None and dump:
            # eFiction's own layout: the stories folder next to the dump.
            beside = Path(dump).resolve().parent / "stories"
            if beside.is_dir():
                stories_dir = beside
        progress = ProgressLine(sys.stderr)
        self.stderr.write(f"Importing {source.description} (table prefix “{source.prefix}”)")
        importer = Importer(
            source,
            Options(
                stories_dir=stories_dir,
                mapping=mapping,
                write_mapping=write_mapping,
                batch_size=max(1, batch_size),
                jobs=max(0, jobs),
                crash_after_batches=int(crash) if crash else None,
            ),
            progress=progress,
        )
        try:
            report = importer.run()
        except MappingError as error:
            progress.end()
            raise CommandError(
                "The tag mapping has problems:\n  " + "\n  ".join(error.errors)
            ) from error
        except SourceError as error:
            progress.end()
            raise CommandError(str(error)) from error
        progress.end()
        if write_mapping:
            self.stdout.write(
                f"Tag mapping written to {write_mapping}. Edit it, then import with "
                f"--mapping {write_mapping}."
            )
            return
        self.stdout.write(report.as_text())
        if not report.usable:
            raise CommandError("Nothing usable was imported (no authors and no stories).")
        self.stdout.write(self.style.SUCCESS("The archive is ready."))
