"""Staff notices mailed to members: a hidden work or comment, a warning, a suspension.

The text is rendered when the staff action is taken (so it says what was true then) and
sent by the background worker once the action's transaction commits: a rolled-back
action mails nobody, and a slow mail server never holds up a moderator's page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from fanfold.accounts.language import by_language
from fanfold.accounts.models import User
from fanfold.archive.background import enqueue_on_commit, task
from fanfold.archive.models import SiteSettings

logger = logging.getLogger(__name__)


@task()
def send_member_notice(user_ids: list[int], subject: str, body: str) -> int:
    """Mail `body` to each of these members who has an address. Banned (inactive)
    members are mailed too: the ban notice is for them. Returns how many went out."""
    sent = 0
    for email in (
        User.objects.filter(pk__in=user_ids).exclude(email="").values_list("email", flat=True)
    ):
        try:
            send_mail(subject, body, None, [email])
        except OSError:  # smtplib's errors are OSErrors too
            logger.exception("Could not send a staff notice")
            continue
        sent += 1
    return sent


def member_notice(*, user_ids: Iterable[int], template: str, context: dict) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` now, once per language the
    members read in, and mail them to `user_ids` after the current transaction commits."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    site = SiteSettings.current()
    context = {"site": site, "base_url": settings.SITE_URL, **context}
    for code, members in by_language(User.objects.filter(pk__in=ids).order_by("pk")).items():
        with translation.override(code):
            subject = render_to_string(f"{template}_subject.txt", context)
            body = render_to_string(f"{template}.txt", context)
        # A header must be one line, whatever the template's trailing newline.
        member_ids = [member.pk for member in members]
        enqueue_on_commit(send_member_notice, member_ids, " ".join(subject.split()), body)
