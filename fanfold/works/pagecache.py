"""Whole-page cache for guests' reading pages.

Keys carry the work's `render_version` and the site settings' version, both bumped by
every edit, so an edit shows to readers at once; the short timeout only bounds how stale
the hit counter may look. Bodies are stored with a gzip copy so a cache hit costs no
compression.

Guests' pages carry forms (kudos, comments, display) whose CSRF token must be the
visitor's own, and whose time-trap stamp (fanfold.archive.forms) must say when *this*
visitor got the page. Cached pages are rendered with markers in their place, drawn at
random for that one rendering, so author text (which can hold any fixed string) can
never contain them; the body is stored cut where the markers stand, every static piece
deflated on its own (ending in a full flush, so the pieces need nothing from each
other). Serving splices this visitor's values between the pieces as stored deflate
blocks and writes a fresh gzip trailer: the page stays pre-compressed and the values
cost a CRC pass, not a recompression.

Members' pages (fanfold.works.memberpages) use the same pieces with more gaps: named
`slots` stand where the member's own parts go (their menu, banners, the buttons under
the work), and the entry keeps a few facts about the rendering (`meta`) that the fills
need.
"""

from __future__ import annotations

import re
import secrets
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import patch_vary_headers

from fanfold.archive.forms import form_stamp

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


def _marker(name: str) -> str:
    return f"~{name}~{secrets.token_hex(16)}~"


class Slots(dict):
    """Named stand-ins; a name first asked for gets one of its own, so a rendering may
    add gaps as it goes (a listing's per-work notes, fanfold.works.memberlistings)."""

    def __missing__(self, name: str) -> str:
        marker = self[name] = _marker(name)
        return marker


@dataclass(frozen=True)
class Markers:
    """Stand-ins for one rendering: `csrf` goes where the CSRF token would (the template
    context's `csrf_token`), `stamp` where the form stamp would (`form_stamp`)."""

    csrf: str
    stamp: str
    # Further stand-ins by name (members' pages): what the template prints for `slots.X`.
    slots: dict[str, str] = field(default_factory=dict)


def for_cache(context: dict, markers: Markers | None) -> dict:
    """The template context of a rendering meant for the cache (`markers` given), with
    the markers in place of this visitor's CSRF token and form stamp; `context` itself
    for a rendering of this visitor's own."""
    if markers is None:
        return context
    return {**context, "csrf_token": markers.csrf, "form_stamp": markers.stamp}


def new_markers(slot_names: tuple[str, ...] = ()) -> Markers:
    """Unguessable stand-ins, so only Fanfold's own forms hold them. The CSRF one has the
    length of a real masked token, and neither can be one (tokens are alphanumeric)."""
    return Markers(
        csrf=f"~csrf~{secrets.token_hex(28)}~~",
        stamp=f"~stamp~{secrets.token_hex(16)}~",
        slots=Slots({name: _marker(name) for name in slot_names}),
    )


def _split(
    body: bytes, markers: Markers
) -> tuple[tuple[bytes, ...], tuple[bytes, ...], tuple[str, ...]]:
    """The static pieces, each deflated, and which marker stood between each two."""
    kinds = {markers.csrf.encode(): "csrf", markers.stamp.encode(): "stamp"}
    kinds.update({marker.encode(): name for name, marker in markers.slots.items()})
    parts = re.split(b"(" + b"|".join(re.escape(m) for m in kinds) + b")", body)
    pieces, gaps = tuple(parts[::2]), tuple(kinds[m] for m in parts[1::2])
    last = len(pieces) - 1
    return pieces, tuple(_deflate(p, final=i == last) for i, p in enumerate(pieces)), gaps


def visitor_token(request: HttpRequest) -> str:
    """This visitor's CSRF token, masked once per request. Django masks the secret afresh
    on every `get_token` (32 draws from the system's random source); the forms of one
    page share one masked token, as they do when Django renders `{% csrf_token %}`."""
    token = getattr(request, "_fanfold_csrf_token", None)
    if token is None:
        token = request._fanfold_csrf_token = get_token(request)  # type: ignore[attr-defined]
    return token


def _fill(
    request: HttpRequest, gaps: tuple[str, ...], slots: dict[str, Callable[[], str]]
) -> list[bytes]:
    # One value of each kind per request: every form on the page shares them. Only
    # pages with forms ask for a token (and so set the CSRF cookie).
    fresh = {"csrf": lambda: visitor_token(request), "stamp": form_stamp, **slots}
    values = {kind: fresh[kind]().encode() for kind in set(gaps)}
    return [values[kind] for kind in gaps]


def _stored_blocks(data: bytes) -> list[bytes]:
    # A stored block holds at most 65,535 bytes; members' fills can be longer.
    step = 0xFFFF
    return [_stored_block(data[i : i + step]) for i in range(0, len(data), step)] or [b""]


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
            out.extend(_stored_blocks(fill))
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
        # An emptied cookie (the messages were shown) may still be sent by some clients.
        and not request.COOKIES.get("messages")
    )


@dataclass(frozen=True)
class Entry:
    """A cached page: its pieces (plain and deflated), the gaps between them, and what
    the rendering noted for the fills (`meta`)."""

    pieces: tuple[bytes, ...]
    deflated: tuple[bytes, ...]
    gaps: tuple[str, ...]
    content_type: str
    meta: dict
    hit: bool = True


def cached_entry(
    request: HttpRequest,
    key: str,
    render: Callable[[Markers], HttpResponse],
    slot_names: tuple[str, ...] = (),
) -> Entry | HttpResponse:
    """The entry under `key`, or `render(markers)` stored (its `page_meta` attribute, if
    any, kept as the entry's meta); the rendered response itself when it may not be
    shared (not a plain 200, or it printed this visitor's real token).

    Every key is per interface language, here rather than in each caller's key, so no
    cached page (guest, member or listing) can reach a reader of another language."""
    key = f"{key}:lang={translation.get_language() or settings.LANGUAGE_CODE}"
    entry = cache.get(key)
    if entry is not None:
        return entry
    markers = new_markers(slot_names)
    response = render(markers)
    if response.status_code != 200 or response.streaming:
        return response
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        # Something printed this visitor's real token: never share that page.
        return response
    pieces, deflated, gaps = _split(response.content, markers)
    meta = getattr(response, "page_meta", {})
    entry = Entry(pieces, deflated, gaps, response["Content-Type"], meta)
    cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    return Entry(pieces, deflated, gaps, response["Content-Type"], meta, hit=False)


def serve_cached(
    request: HttpRequest, key: str, render: Callable[[Markers], HttpResponse]
) -> HttpResponse:
    """The page under `key`, or `render(markers)` stored: `render` must put the markers
    in its template context as `csrf_token` and `form_stamp`."""
    entry = cached_entry(request, key, render)
    if isinstance(entry, HttpResponse):
        return entry
    return respond(request, entry)


def respond(
    request: HttpRequest, entry: Entry, slots: dict[str, Callable[[], str]] | None = None
) -> HttpResponse:
    """`entry` with this visitor's values in its gaps; `slots` gives each named slot's."""
    pieces, deflated, gaps, content_type = (
        entry.pieces,
        entry.deflated,
        entry.gaps,
        entry.content_type,
    )
    hit = entry.hit
    fills = _fill(request, gaps, slots or {})
    if _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(_assemble_gzip(pieces, deflated, fills), content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(_assemble(pieces, fills), content_type=content_type)
    patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
    response["X-Page-Cache"] = "hit" if hit else "miss"
    return response
