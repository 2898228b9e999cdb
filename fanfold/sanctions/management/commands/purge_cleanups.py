from django.conf import settings
from django.core.management.base import BaseCommand

from fanfold.sanctions.cleanup import cleanups_purge


class Command(BaseCommand):
    help = (
        "Delete spam accounts whose clean-up was not undone within "
        "CLEANUP_RESTORE_DAYS days, with what they wrote (run daily)."
    )

    def handle(self, *args, **options):
        purged = cleanups_purge()
        self.stdout.write(
            f"Deleted {purged} spam account(s) cleaned up over "
            f"{settings.CLEANUP_RESTORE_DAYS} days ago."
        )
