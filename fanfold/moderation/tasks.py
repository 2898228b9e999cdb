"""E-mail to a work's creators about the moderators' decision, sent by the worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext

from fanfold.accounts.language import in_language_of
from fanfold.accounts.models import User
from fanfold.archive.background import task
from fanfold.archive.models import SiteSettings
from fanfold.works.models import Approval, Work
from fanfold.works.selectors import creator_user_ids


@task()
def send_decision_emails(work_id: int) -> int:
    """Tell each creator of the work whether it was approved, with the moderator's
    message. Returns how many e-mails went out."""
    work = Work.objects.filter(pk=work_id).first()
    # Decided again since (a quick approve after a reject): the later task tells them.
    if work is None or work.approval == Approval.PENDING:
        return 0
    site = SiteSettings.current()
    approved = work.approval == Approval.APPROVED
    context = {"work": work, "approved": approved, "site": site, "base_url": settings.SITE_URL}
    sent = 0
    for user in User.objects.filter(pk__in=creator_user_ids(work), is_active=True):
        if not user.email:
            continue
        # Each creator reads the news in their own language.
        with in_language_of(user):
            subject = _decision_subject(site.site_name, work.title, approved)
            body = render_to_string("moderation/email_decision.txt", context)
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent


def _decision_subject(site_name: str, title: str, approved: bool) -> str:
    if approved:
        return f"[{site_name}] " + gettext("“{title}” was approved").format(title=title)
    return f"[{site_name}] " + gettext("“{title}” was not approved").format(title=title)
