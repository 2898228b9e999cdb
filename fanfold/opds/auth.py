"""Who is browsing the catalogue: e-reader apps cannot fill in a login form, so a member
is known by HTTP Basic (their user name and password), by their private feed key in the
address, or by the browser session; anyone else browses as a guest."""

from __future__ import annotations

import base64
import binascii

from django.contrib.auth import authenticate
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

from fanfold.accounts.models import User
from fanfold.accounts.selectors import signed_in
from fanfold.feeds.selectors import member_for_feed_secret
from fanfold.works.querysets import is_member

# Failed Basic logins allowed per window, like the login form's (fanfold.accounts.views.login).
FAILURES_PER_IP = "10/5m"
FAILURES_PER_USERNAME = "5/5m"
REALM = "Fanfold catalogue"


class Unauthorized(Exception):
    """Credentials were sent and were wrong (or a shelf needs a member)."""


class TooManyAttempts(Exception):
    pass


def _basic_credentials(request: HttpRequest) -> tuple[str, str] | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthorized from None
    username, sep, password = decoded.partition(":")
    if not sep or not username or len(username) > 150 or len(password) > 4096:
        raise Unauthorized
    return username, password


def _limited(request: HttpRequest, username: str, *, increment: bool) -> bool:
    """Whether the failures counted so far reach a limit (`increment` counts one more)."""
    usages = [
        get_usage(
            request, group="opds.basic.ip", key="ip", rate=FAILURES_PER_IP, increment=increment
        ),
        get_usage(
            request,
            group="opds.basic.username",
            key=lambda _group, _request: username.strip().lower(),
            rate=FAILURES_PER_USERNAME,
            increment=increment,
        ),
    ]
    # None when rate limiting is switched off (RATELIMIT_ENABLE).
    return any(u is not None and u["count"] >= u["limit"] for u in usages)


def _basic_member(request: HttpRequest, username: str, password: str) -> User:
    # Only failures are counted, so an app that sends the password with every request
    # is never locked out by its own browsing.
    if _limited(request, username, increment=False):
        raise TooManyAttempts
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User) or not is_member(user):
        _limited(request, username, increment=True)
        raise Unauthorized
    return user


def catalogue_viewer(request: HttpRequest, secret: str | None) -> User | None:
    """The member browsing, or None for a guest. Raises Http404 for an unknown feed key,
    Unauthorized for wrong Basic credentials, TooManyAttempts past the limit."""
    if secret is not None:
        member = member_for_feed_secret(secret)
        if member is None:
            raise Http404(_("No such catalogue."))
        return member
    credentials = _basic_credentials(request)
    if credentials is not None:
        return _basic_member(request, *credentials)
    user = signed_in(request.user)
    return user if is_member(user) else None
