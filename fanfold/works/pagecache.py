"""Whole-page cache for guests' reading pages.

Keys carry the work's `render_version` and the site settings' version, both bumped by
every edit, so an edit shows to readers at once; the short timeout only bounds how stale
the hit counter may look. Bodies are stored with a gzip copy so a cache hit costs no
compression.

Guests' pages carry forms (kudos, comments, display) whose CSRF token must be the
visitor's own. Cached pages are rendered with a marker in its place, drawn at random for
that one rendering, so author text (which can hold any fixed string) can never contain
it; the body is stored cut where the marker stands, every static piece deflated on its
own (ending in a full flush, so the pieces need nothing from each other). Serving
splices this visitor's token between the pieces as stored deflate blocks and writes a
fresh gzip trailer: the page stays pre-compressed and the token costs a CRC pass, not a
recompression.
"""

from __future__ import annotations

import re
import secrets
import struct
import zlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


def _deflate(part: bytes, *, final: bool) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(part) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH
    )


def _stored_block(data: bytes) -> bytes:
    # A non-final stored block; the stream is byte-aligned after a full flush.
    return b"\x00" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data


def new_token_marker() -> str:
    """A stand-in for the CSRF token, unguessable, so only Fanfold's own forms hold it.
    Same length as a real masked token, and impossible in one (tokens are alphanumeric)."""
    return f"~csrf~{secrets.token_hex(28)}~~"


def _split(body: bytes, marker: str) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
    pieces = tuple(body.split(marker.encode()))
    last = len(pieces) - 1
    return pieces, tuple(_deflate(p, final=i == last) for i, p in enumerate(pieces))


def _assemble(pieces: tuple[bytes, ...], token: bytes) -> bytes:
    return token.join(pieces)


def _assemble_gzip(pieces: tuple[bytes, ...], deflated: tuple[bytes, ...], token: bytes) -> bytes:
    out = [_GZIP_HEADER]
    crc = 0
    size = 0
    block = _stored_block(token)
    for i, (piece, packed) in enumerate(zip(pieces, deflated, strict=True)):
        if i:
            out.append(block)
            crc = zlib.crc32(token, crc)
            size += len(token)
        out.append(packed)
        crc = zlib.crc32(piece, crc)
        size += len(piece)
    out.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(out)


def cacheable(request: HttpRequest) -> bool:
    """Guests' plain GETs only: members see personal controls, and a pending flash
    message must not be frozen into a shared page."""
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
    )


def serve_cached(
    request: HttpRequest, key: str, render: Callable[[str], HttpResponse]
) -> HttpResponse:
    """The page under `key`, or `render(marker)` stored: `render` must put `marker` as
    the `csrf_token` of its template context."""
    entry = cache.get(key)
    hit = entry is not None
    if entry is None:
        marker = new_token_marker()
        response = render(marker)
        if response.status_code != 200 or response.streaming:
            return response
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            # Something printed this visitor's real token: never share that page.
            return response
        pieces, deflated = _split(response.content, marker)
        entry = (pieces, deflated, response["Content-Type"])
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    pieces, deflated, content_type = entry
    # Only pages with forms ask for a token (and so set the CSRF cookie).
    token = get_token(request).encode() if len(pieces) > 1 else b""
    if _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(_assemble_gzip(pieces, deflated, token), content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(_assemble(pieces, token), content_type=content_type)
    patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
    response["X-Page-Cache"] = "hit" if hit else "miss"
    return response
