"""The Content-Security-Policy header on Django 5.2, which has no CSP support of its own.

Django 6.0+ sends `settings.SECURE_CSP` from `django.middleware.csp`; on the 5.2 LTS line
(Python 3.11) this middleware sends the same header from the same setting, so both
lines behave alike. Fanfold's policy uses no nonces (cached pages are shared between
visitors), so directives are plain lists of sources.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def csp_header_value(policy: Mapping[str, Sequence[str] | bool]) -> str:
    """`{"object-src": ["'none'"], "upgrade-insecure-requests": True}` as a header."""
    parts = []
    for directive, sources in policy.items():
        if sources is True:
            parts.append(directive)
        elif sources:
            parts.append(" ".join([directive, *sources]))
    return "; ".join(parts)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.SECURE_CSP
        if policy and HEADER not in response:
            response[HEADER] = csp_header_value(policy)
        return response
