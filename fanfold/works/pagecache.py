"""Whole-page cache for guests' reading pages.

Keys carry the work's `render_version` and the site settings' version, both bumped by
every edit, so an edit shows to readers at once; the short timeout only bounds how stale
the hit counter may look. Bodies are stored with a gzip copy so a cache hit costs no
compression.

Guests' pages carry forms (kudos, comments) whose CSRF token must be the visitor's own,
and whose time-trap stamp (fanfold.archive.forms) must say when *this* visitor got the
page. Cached pages are rendered with placeholders in their place; the body is stored cut
at each placeholder, every static piece deflated on its own (ending in a full flush, so
the pieces need nothing from each other). Serving splices this visitor's values between
the pieces as stored deflate blocks and writes a fresh gzip trailer: the page stays
pre-compressed and the values cost a CRC pass, not a recompression.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

from fanfold.archive.forms import STAMP_PLACEHOLDER, form_stamp

_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Same length as a real masked token, and impossible in one (tokens are alphanumeric).
CSRF_PLACEHOLDER = "~fanfold-csrf-token~".ljust(64, "~")
# Each placeholder and how to make this visitor's value for it.
_FRESH: dict[bytes, Callable[[HttpRequest], str]] = {
    CSRF_PLACEHOLDER.encode(): get_token,
    STAMP_PLACEHOLDER.encode(): lambda request: form_stamp(),
}
_PLACEHOLDERS = re.compile(b"(" + b"|".join(re.escape(p) for p in _FRESH) + b")")
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


def _deflate(part: bytes, *, final: bool) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(part) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH
    )


def _stored_block(data: bytes) -> bytes:
    # A non-final stored block; the stream is byte-aligned after a full flush.
    return b"\x00" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data


def _split(body: bytes) -> tuple[tuple[bytes, ...], tuple[bytes, ...], tuple[bytes, ...]]:
    """The static pieces, each deflated, and the placeholder that stood between each two."""
    parts = _PLACEHOLDERS.split(body)
    pieces, gaps = tuple(parts[::2]), tuple(parts[1::2])
    last = len(pieces) - 1
    return pieces, tuple(_deflate(p, final=i == last) for i, p in enumerate(pieces)), gaps


def _fill(request: HttpRequest, gaps: tuple[bytes, ...]) -> list[bytes]:
    # One value per kind per request: every form on the page shares the token and stamp.
    values = {kind: _FRESH[kind](request).encode() for kind in set(gaps)}
    return [values[kind] for kind in gaps]


def _assemble(pieces: tuple[bytes, ...], fills: list[bytes]) -> bytes:
    out = [pieces[0]]
    for fill, piece in zip(fills, pieces[1:], strict=True):
        out += (fill, piece)
    return b"".join(out)


def _assemble_gzip(
    pieces: tuple[bytes, ...], deflated: tuple[bytes, ...], fills: list[bytes]
) -> bytes:
    out = [_GZIP_HEADER]
    crc = 0
    size = 0
    for i, (piece, packed) in enumerate(zip(pieces, deflated, strict=True)):
        if i:
            fill = fills[i - 1]
            out.append(_stored_block(fill))
            crc = zlib.crc32(fill, crc)
            size += len(fill)
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
    request: HttpRequest, key: str, render: Callable[[], HttpResponse]
) -> HttpResponse:
    entry = cache.get(key)
    hit = entry is not None
    if entry is None:
        response = render()
        if response.status_code != 200 or response.streaming:
            return response
        pieces, deflated, gaps = _split(response.content)
        entry = (pieces, deflated, gaps, response["Content-Type"])
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    pieces, deflated, gaps, content_type = entry
    # Only pages with forms ask for a token (and so set the CSRF cookie).
    fills = _fill(request, gaps)
    if _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(_assemble_gzip(pieces, deflated, fills), content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(_assemble(pieces, fills), content_type=content_type)
    patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
    response["X-Page-Cache"] = "hit" if hit else "miss"
    return response
