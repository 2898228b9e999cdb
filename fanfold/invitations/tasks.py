"""Invitation e-mail and the daily automatic round, run by the task worker."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext

from fanfold.accounts.language import in_language_of
from fanfold.archive.background import task
from fanfold.archive.models import SiteSettings
from fanfold.invitations.models import Invitation
from fanfold.invitations.services import invitations_send_due

logger = logging.getLogger(__name__)


@task()
def send_invitation_emails(invitation_ids: list[int]) -> int:
    """Mail each invitation its sign-up link. Returns how many went out."""
    site = SiteSettings.current()
    sent = 0
    for invitation in Invitation.objects.filter(pk__in=invitation_ids, used_at__isnull=True):
        context = {
            "site": site,
            "invitation": invitation,
            "link": settings.SITE_URL + invitation.signup_path,
        }
        # The invitee has no account yet: write in the inviter's language (a member
        # invites people they talk to), else in the site's.
        with in_language_of(invitation.owner):
            body = render_to_string("invitations/email_invitation.txt", context)
            subject = gettext("Your invitation to {site_name}").format(site_name=site.site_name)
        try:
            send_mail(subject, body, None, [invitation.email])
        except OSError:  # smtplib's errors too; the link is still valid, staff can resend
            logger.exception("Could not send invitation %s", invitation.pk)
            continue
        sent += 1
    return sent


@task()
def send_due_invitations() -> int:
    """Send what today's allowance permits, then come back when the next slot opens.
    Several of these queued at once do no harm: the allowance is counted under a lock."""
    round_ = invitations_send_due()
    # A backend that cannot wait (tests' immediate one) leaves the rest to the next
    # request or to `manage.py send_invitations`.
    if round_.next_at is not None and send_due_invitations.get_backend().supports_defer:
        send_due_invitations.using(run_after=round_.next_at).enqueue()
    return round_.sent
