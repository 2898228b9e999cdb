"""Who is asking: a personal token (`Authorization: Bearer ff_…`) or a guest, and the
rate limits for each (django-ratelimit in the "shared" cache, like the site's forms).

Browser sessions are not read here: a program acts as its token's member and nobody
else, and an API answer depends on the Authorization header alone (`Vary`).
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django_ratelimit.core import get_usage
from ninja.security.http import HttpAuthBase

from fanfold.accounts.models import User
from fanfold.api.errors import ApiError
from fanfold.api.models import ApiToken
from fanfold.api.services import token_digest
from fanfold.works.querysets import is_member

# Tokens are "ff_" and 43 URL-safe characters; anything far longer is not one.
TOKEN_MAX = 100
# `last_used_at` is for the member's own page: an hour's precision spares a write per call.
LAST_USED_STEP = dt.timedelta(hours=1)


class Guest:
    """`request.auth` for a request without a token (truthy, so ninja lets it through)."""

    user = None


GUEST = Guest()


def _token_key(group: str, request: HttpRequest) -> str:
    return str(request._api_token_id)  # type: ignore[attr-defined]


def _limit(request: HttpRequest, *, group: str, key, rate: str) -> None:
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is not None and usage["should_limit"]:
        retry = max(1, math.ceil(usage["time_left"]))
        raise ApiError(
            429,
            gettext("Too many requests; wait before asking again."),
            {"Retry-After": str(retry)},
        )


def _token_named(raw: str) -> ApiToken | None:
    """The token `raw` is, if its member may still use it."""
    if not raw or len(raw) > TOKEN_MAX:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    if token is None or not is_member(token.user):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


class PersonalToken(HttpAuthBase):
    """The bearer token, or a guest when `optional` and no Authorization header came.

    A header that is not a valid token is refused (401), never taken as a guest: a
    program whose token was revoked should hear so, not silently see less.
    """

    openapi_scheme = "bearer"

    def __init__(self, *, optional: bool) -> None:
        super().__init__()
        self.optional = optional

    def __call__(self, request: HttpRequest) -> User | Guest | None:
        header = request.headers.get("Authorization", "")
        if not header:
            _limit(request, group="api.ip", key="ip", rate=settings.API_RATE_PER_IP)
            if self.optional:
                return GUEST
            raise ApiError(401, gettext("This needs a personal API token."), _challenge())
        scheme, _sep, raw = header.partition(" ")
        token = _token_named(raw.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            # Wrong guesses count against the address, like guests' requests.
            _limit(request, group="api.ip", key="ip", rate=settings.API_RATE_PER_IP)
            raise ApiError(
                401, gettext("That API token is not valid (revoked, or mistyped)."), _challenge()
            )
        request._api_token_id = token.pk  # type: ignore[attr-defined]
        _limit(request, group="api.token", key=_token_key, rate=settings.API_RATE_PER_TOKEN)
        return token.user


def _challenge() -> dict[str, str]:
    return {"WWW-Authenticate": 'Bearer realm="fanfold"'}


def viewer_of(request: HttpRequest) -> User | None:
    """The member a request acts for, or None for a guest."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, User) else None
