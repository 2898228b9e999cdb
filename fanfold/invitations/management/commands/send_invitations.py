"""Send today's automatic invitations now (for cron, or with no task worker)."""

from django.core.management.base import BaseCommand

from fanfold.invitations.services import invitations_send_due


class Command(BaseCommand):
    help = "Answer the oldest invitation requests, within the daily allowance."

    def handle(self, *args, **options):
        round_ = invitations_send_due()
        self.stdout.write(f"Sent {round_.sent} invitation(s).")
        if round_.next_at is not None:
            self.stdout.write(f"More are waiting; the next can go at {round_.next_at:%H:%M} UTC.")
