"""E-mail to reporters and to members acted on, sent by the background worker.

Reporters may be guests, known only by the address they gave, so these go to addresses
rather than accounts. The text is rendered when the change is made (it says what was
true then) and queued to go once the change's transaction commits: a rolled-back change
mails nobody, and a slow mail server never holds up a page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from fanfold.accounts.language import addresses_by_language
from fanfold.archive.background import enqueue_on_commit, task
from fanfold.archive.models import SiteSettings

logger = logging.getLogger(__name__)


@task()
def send_report_mail(addresses: list[str], subject: str, body: str) -> int:
    """Send one message to each address separately (reporters never see each other's
    addresses). Returns how many went out."""
    sent = 0
    for address in addresses:
        try:
            send_mail(subject, body, None, [address])
        except OSError:  # smtplib's errors are OSErrors too
            logger.exception("Could not send a report e-mail")
            continue
        sent += 1
    return sent


def mail_on_commit(*, addresses: Iterable[str], template: str, context: dict) -> None:
    """Render `reports/email/<template>_subject.txt` and `<template>.txt` now and mail
    them to `addresses` after the current transaction commits."""
    to = sorted({address for address in addresses if address})
    if not to:
        return
    context = {"site": SiteSettings.current(), "base_url": settings.SITE_URL, **context}
    for code, group in addresses_by_language(to).items():
        with translation.override(code):
            subject = render_to_string(f"reports/email/{template}_subject.txt", context)
            body = render_to_string(f"reports/email/{template}.txt", context)
        # A header must be one line, whatever the template's trailing newline.
        enqueue_on_commit(send_report_mail, group, " ".join(subject.split()), body)
