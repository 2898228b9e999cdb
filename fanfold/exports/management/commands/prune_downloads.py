from django.core.management.base import BaseCommand

from fanfold.exports.services import downloads_prune


class Command(BaseCommand):
    help = (
        "Delete built downloads of works and series that are gone, hidden or drafts again "
        "(a new version replaces its old file by itself). Safe to run from cron."
    )

    def handle(self, *args, **options):
        removed = downloads_prune()
        self.stdout.write(f"Removed {removed} built download(s).")
