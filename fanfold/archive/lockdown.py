"""Lockdown: the two switches staff reach for in a hurry, as the rest of the site sees them.

`guests_paused` (a spam wave) stops sign-ups, guest comments and guest kudos; members carry
on. `read_only` (maintenance) refuses every change from everyone but staff, through the
write gate. Both show a banner on every page, guests' cached pages included: the page
cache keys carry the settings' version, which every change of a switch bumps.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_noop

from fanfold.archive.models import SignupMode, SiteSettings

READ_ONLY = (
    "The archive is read-only for maintenance: you can read everything, but posting, "
    "commenting and other changes wait until it is over."
)
READ_ONLY_STAFF = "Read-only maintenance is on: only staff can change anything."
GUESTS_PAUSED = (
    "Sign-ups, guest comments and guest kudos are paused for now. "
    "Members can log in and carry on as usual."
)
SIGNUP_CLOSED = "Sign-up is closed on this archive. Members can log in as usual."
SIGNUP_PAUSED = "Sign-ups are paused for now. Please try again in a day or two."
# Plain strings (marked for translation, translated where shown) so tests can look for them.
GUEST_COMMENTS_PAUSED = gettext_noop("Guest comments are paused for now. Log in to comment.")
GUEST_KUDOS_PAUSED = gettext_noop("Guest kudos are paused for now. Log in to leave kudos.")


def _is_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


def signup_refusal(site: SiteSettings | None = None) -> str | None:
    """Why nobody can sign up now, or None."""
    site = site or SiteSettings.current()
    if site.signup_mode == SignupMode.CLOSED:
        return SIGNUP_CLOSED
    if site.guests_paused:
        return SIGNUP_PAUSED
    return None


def guests_paused() -> bool:
    return SiteSettings.current().guests_paused


def read_only_refusal(request: HttpRequest) -> str | None:
    if SiteSettings.current().read_only and not _is_staff(request):
        return READ_ONLY
    return None


def lockdown_banner(request: HttpRequest) -> str | None:
    site = SiteSettings.current()
    if site.read_only:
        return READ_ONLY_STAFF if _is_staff(request) else READ_ONLY
    user = getattr(request, "user", None)
    if site.guests_paused and not (user is not None and user.is_authenticated):
        return GUESTS_PAUSED
    return None
