"""Mail to members. Plain text, written in templates under accounts/email/."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from fanfold.accounts.language import in_language_of
from fanfold.accounts.models import User
from fanfold.accounts.tokens import make_email_token
from fanfold.archive.models import SiteSettings

logger = logging.getLogger(__name__)


def _send(template: str, context: dict, recipient: str) -> bool:
    """Send one mail, in the language of the member in `context`; False if the mail
    server would not take it. The member's change is already saved by then, so a mail
    outage must not turn into an error page."""
    context = {"site_name": SiteSettings.current().site_name, **context}
    with in_language_of(context["user"]):
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
        body = render_to_string(f"accounts/email/{template}.txt", context)
    try:
        # A header must be one line, whatever the template's trailing newline.
        send_mail(" ".join(subject.split()), body, None, [recipient])
    except OSError:  # smtplib's errors are OSErrors too
        logger.exception("Could not send %s mail", template)
        return False
    return True


def send_verification_email(request: HttpRequest, user: User) -> bool:
    """Mail `user` a link that confirms their current address."""
    path = reverse("accounts:verify_email", args=[make_email_token(user)])
    context = {"user": user, "link": request.build_absolute_uri(path)}
    return _send("verify", context, user.email)


def send_email_changed_notice(request: HttpRequest, user: User, old_email: str) -> bool:
    """Tell the previous address that it is no longer on the account, so a member whose
    account was taken over hears about it somewhere the intruder cannot reach."""
    link = request.build_absolute_uri(reverse("accounts:password_reset"))
    context = {"user": user, "old_email": old_email, "link": link}
    return _send("email_changed", context, old_email)
