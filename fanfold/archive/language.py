"""Which language the interface speaks to this request.

In order: the member's own preference, the visitor's `fanfold_language` cookie (set by
the footer's language menu), the browser's Accept-Language when the site follows it,
the site's default language, English. Only languages in `settings.LANGUAGES` are ever
chosen, so a cookie or header naming anything else is ignored.

Cached pages are keyed by the active language (`fanfold.works.pagecache`), so the
choice made here also picks which cached copy a visitor is served.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

FALLBACK = "en"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365


def shipped() -> set[str]:
    return {code for code, _ in settings.LANGUAGES}


def supported(code: str | None) -> str | None:
    """`code` (any case, with or without a region: "de-AT") as a language we ship."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")
    languages = shipped()
    if code in languages:
        return code
    base = code.split("-", 1)[0]
    return base if base in languages else None


def from_accept_language(header: str) -> str | None:
    """The first language we ship from an Accept-Language header, by its q weights."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        name, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        if name and name != "*" and weight > 0:
            ranked.append((-weight, position, name))
    for _, _, name in sorted(ranked):
        if found := supported(name):
            return found
    return None


def _site_choice(request: HttpRequest) -> str:
    # Imported here: the settings model imports the markup stack, which the settings
    # module (loading this middleware by name) must not pull in at start-up.
    from fanfold.archive.models import SiteSettings

    site = SiteSettings.current()
    if site.follow_browser_language:
        found = from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        if found:
            return found
    return supported(site.default_language) or FALLBACK


def language_for(request: HttpRequest) -> str:
    """The interface language for `request` (see the module's docstring for the order)."""
    try:
        user = getattr(request, "user", None)
        own = supported(getattr(user, "language", "")) if user is not None else None
        if own and user is not None and user.is_authenticated:
            return own
        cookie = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if cookie:
            return cookie
        return _site_choice(request)
    except DatabaseError:
        # A fresh server before `migrate` (no tables yet): speak English rather than
        # fail every page, including the one that says what to do next.
        return FALLBACK


class LanguageMiddleware:
    """Activates `language_for(request)` for the view and the templates it renders."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # Proxies and browsers must not hand one language's page to another reader.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response
