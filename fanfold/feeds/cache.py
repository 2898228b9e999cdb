"""Rendered feeds cached per version.

A feed's key is a digest of everything it shows: the works it lists with their
`render_version` (bumped by every edit, kudos, comment, bookmark or tag rename), the
site settings' version, its own title and address. So a change shows in the next fetch,
and feed readers polling an unchanged feed cost a listing query and a cache hit. Hits
are not versioned; they lag by at most FEED_CACHE_SECONDS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from fanfold.archive.models import SiteSettings

FEED_CACHE_SECONDS = 600


def feed_stamp(*parts: object) -> str:
    """A digest of what one rendering depends on (the site's version included)."""
    text = repr((SiteSettings.current().version, *parts))
    return hashlib.sha256(text.encode()).hexdigest()


def serve_cached(
    request: HttpRequest, stamp: str, render: Callable[[], HttpResponse], *, private: bool
) -> HttpResponse:
    """The response rendered for `stamp` at this address, or `render()` stored.

    The address (scheme, host, path) is part of the key: entries carry absolute links,
    and a private feed's path holds its secret."""
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    # Feeds carry interface words (titles such as "New works"): one copy per language.
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = "feed:" + hashlib.sha256(f"{where}|{stamp}|{language}".encode()).hexdigest()
    entry = cache.get(key)
    hit = entry is not None
    if entry is None:
        response = render()
        if response.status_code != 200:
            return response
        entry = (response.content, response["Content-Type"], response.get("Last-Modified"))
        cache.set(key, entry, FEED_CACHE_SECONDS)
    content, content_type, last_modified = entry
    response = HttpResponse(content, content_type=content_type)
    if last_modified:
        response["Last-Modified"] = last_modified
    response["X-Feed-Cache"] = "hit" if hit else "miss"
    if private:
        # The address is the password: keep it out of shared caches, search engines and
        # the Referer header of anything the document links to.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
    else:
        response["Cache-Control"] = "public, max-age=300"
    return response
