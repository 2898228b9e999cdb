"""Browsers that logged in before, so a flood of wrong passwords cannot lock a member out.

Five failed logins for one user name close that name for five minutes, whoever typed
them. A successful login leaves a signed cookie naming the member and a random id for
this browser; a later login for the same member from that browser is counted by the
browser's id instead of by the name, so strangers' failures never reach it (and its own
failures still stop it after five).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from fanfold.accounts.models import User

DEVICE_COOKIE = "fanfold_device"
DEVICE_MAX_AGE = 60 * 60 * 24 * 365
_SALT = "fanfold.accounts.devices"


def device_remember(response: HttpResponse, *, user: User) -> None:
    """Mark this browser as one `user` logged in from (at each successful login)."""
    response.set_signed_cookie(
        DEVICE_COOKIE,
        f"{user.pk}:{secrets.token_urlsafe(16)}",
        salt=_SALT,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def recognised_device(request: HttpRequest, username: str) -> str | None:
    """This browser's id when it logged in before as the member called `username`."""
    value = request.get_signed_cookie(DEVICE_COOKIE, None, salt=_SALT, max_age=DEVICE_MAX_AGE)
    if not value or ":" not in value:
        return None
    user_id, device_id = value.split(":", 1)
    member = User.objects.filter(username__iexact=username).values_list("pk", flat=True).first()
    return device_id if member is not None and str(member) == user_id else None
