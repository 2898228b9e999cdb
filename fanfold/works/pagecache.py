"""Whole-page cache for guests' reading pages.

Keys carry the work's `render_version` and the site settings' version, both bumped by
every edit, so an edit shows to readers at once; the short timeout only bounds how stale
the hit counter may look. Bodies are stored with a gzip copy so a cache hit costs no
compression.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def cacheable(request: HttpRequest) -> bool:
    """Guests' plain GETs only: members see personal controls, and a pending flash
    message must not be frozen into a shared page."""
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
    )


def serve_cached(
    request: HttpRequest, key: str, render: Callable[[], HttpResponse]
) -> HttpResponse:
    entry = cache.get(key)
    hit = entry is not None
    if entry is None:
        response = render()
        if response.status_code != 200 or response.streaming:
            return response
        body = response.content
        entry = (body, gzip.compress(body, compresslevel=6), response["Content-Type"])
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    body, zipped, content_type = entry
    if _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(zipped, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(body, content_type=content_type)
    patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
    response["X-Page-Cache"] = "hit" if hit else "miss"
    return response
