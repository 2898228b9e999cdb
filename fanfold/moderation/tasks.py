"""E-mail to a work's creators about the moderators' decision, sent by the worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

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
    subject = (
        f"[{site.site_name}] “{work.title}” was approved"
        if approved
        else f"[{site.site_name}] “{work.title}” was not approved"
    )
    context = {"work": work, "approved": approved, "site": site, "base_url": settings.SITE_URL}
    body = render_to_string("moderation/email_decision.txt", context)
    sent = 0
    for user in User.objects.filter(pk__in=creator_user_ids(work), is_active=True):
        if user.email:
            send_mail(subject, body, None, [user.email])
            sent += 1
    return sent
