"""The write gate: the one place that decides whether a visitor may change anything now,
and what every page tells them about it.

Every state change on the site is a POST (see the CSRF rule), so refusing unsafe methods
here covers posting, editing, comments, kudos, bookmarks and the rest at once, for views
that exist today and ones added later. Apps plug their reasons in from `ready()`:
a suspended member (fanfold.sanctions) or the archive in read-only maintenance
(fanfold.archive lockdown) each register a refusal and, usually, a banner.

Views a refused visitor must still reach (logging in and out, an appeal) are marked with
`gate_exempt`, or named in EXEMPT_URL_NAMES when they belong to Django or an app whose
views are classes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

Refusal = Callable[[HttpRequest], str | None]
Banner = Callable[[HttpRequest], str | None]

_refusals: list[Refusal] = []
_banners: list[Banner] = []

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Choosing the language to read in changes nothing anyone else sees.
EXEMPT_URL_NAMES = frozenset({"accounts:login", "accounts:logout", "archive:language"})


def refusal_register(refusal: Refusal) -> Refusal:
    """Add a reason to refuse writes: `refusal(request)` returns the sentence to show,
    or None to let the request through."""
    if refusal not in _refusals:
        _refusals.append(refusal)
    return refusal


def banner_register(banner: Banner) -> Banner:
    """Add a notice shown at the top of every page while `banner(request)` returns text."""
    if banner not in _banners:
        _banners.append(banner)
    return banner


def gate_exempt(view: Callable) -> Callable:
    view.write_gate_exempt = True  # type: ignore[attr-defined]
    return view


def write_refusal(request: HttpRequest) -> str | None:
    """Why this visitor may not change anything now, or None. Services that are reached
    outside a request (commands, the API's own checks) can ask it too."""
    for refusal in _refusals:
        reason = refusal(request)
        if reason:
            return reason
    return None


def banners(request: HttpRequest) -> list[str]:
    return [text for banner in _banners if (text := banner(request))]


class WriteGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, args, kwargs):
        if request.method in SAFE_METHODS or getattr(view_func, "write_gate_exempt", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_URL_NAMES:
            return None
        reason = write_refusal(request)
        if reason is None:
            return None
        return render(request, "archive/refused.html", {"reason": reason}, status=403)
