"""Run the archive's daily upkeep (settings.DAILY_COMMANDS): once, for cron, or in a
loop, the way `manage.py serve` runs it beside the web server."""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

DAY = 24 * 60 * 60


class Command(BaseCommand):
    help = "Run the daily upkeep commands (purging old addresses and spam accounts)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="Run now and then every 24 hours until stopped."
        )

    def handle(self, *args, loop, **options):
        while True:
            for name in settings.DAILY_COMMANDS:
                try:
                    call_command(name, stdout=self.stdout, stderr=self.stderr)
                except Exception as error:
                    self.stderr.write(f"{name} failed: {error!r}")
            if not loop:
                return
            time.sleep(DAY)
