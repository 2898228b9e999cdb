"""Sign-up mode "confirm": a new member confirms their e-mail address before they post,
comment or change anything else. Until then the write gate refuses their changes (except
what they need to confirm: asking for the link again, fixing the address in their
preferences, changing the password, logging out) and every page reminds them."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fanfold.archive.models import SignupMode, SiteSettings

CONFIRM_TO_COMMENT = _(
    "Confirm your e-mail address to comment: open the link we sent you, or ask for a new "
    "one in your preferences."
)
# What an unconfirmed member may still send.
ALLOWED_URL_NAMES = frozenset(
    {"accounts:verify_email_resend", "accounts:preferences", "accounts:password_change"}
)


def needs_confirmation(user) -> bool:
    """Whether `user` must confirm their address before writing, under today's settings."""
    return bool(
        user is not None
        and user.is_authenticated
        and not user.email_verified
        and not user.is_staff
        and SiteSettings.current().signup_mode == SignupMode.CONFIRM
    )


def _reminder(user) -> str:
    if user.email:
        return gettext(
            "Please confirm your e-mail address ({email}) before you post or comment: open "
            "the link we sent you, or ask for a new one in your preferences."
        ).format(email=user.email)
    return gettext(
        "Please confirm your e-mail address before you post or comment: open the link we "
        "sent you, or ask for a new one in your preferences."
    )


def unconfirmed_refusal(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    if not needs_confirmation(user):
        return None
    match = request.resolver_match
    if match is not None and match.view_name in ALLOWED_URL_NAMES:
        return None
    return _reminder(user)


def unconfirmed_banner(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    return _reminder(user) if needs_confirmation(user) else None
