"""`manage.py load_demo`: fill an archive with invented works to explore."""

from django.core.management.base import BaseCommand

from fanfold.demo.loader import load_demo
from fanfold.works.models import Work


class Command(BaseCommand):
    help = "Generate a demo archive of original works (members, tags, works, series)."

    def add_arguments(self, parser):
        parser.add_argument("--works", type=int, default=200)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--long-work-chapters", type=int, default=86)
        parser.add_argument("--long-work-words", type=int, default=253_000)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the archive has works."
        )

    def handle(self, *args, works, seed, long_work_chapters, long_work_words, if_empty, **options):
        if if_empty and Work.objects.exists():
            self.stdout.write("The archive already has works; no demo content loaded.")
            return
        self.stdout.write(f"Loading a demo archive ({works} works and one long work)…")
        report = load_demo(
            works=works,
            seed=seed,
            long_work_chapters=long_work_chapters,
            long_work_words=long_work_words,
            progress=self.stdout.write,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo archive ready: {report.users} members, {report.works} works, "
                f"{report.chapters} chapters, {report.words:,} words in {report.seconds:.1f} s."
            )
        )
