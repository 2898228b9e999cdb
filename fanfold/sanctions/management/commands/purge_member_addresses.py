from django.conf import settings
from django.core.management.base import BaseCommand

from fanfold.sanctions.addresses import addresses_purge


class Command(BaseCommand):
    help = "Delete members' addresses not seen for MEMBER_ADDRESS_DAYS days (run daily)."

    def handle(self, *args, **options):
        deleted = addresses_purge()
        self.stdout.write(
            f"Deleted {deleted} address(es) older than {settings.MEMBER_ADDRESS_DAYS} days."
        )
