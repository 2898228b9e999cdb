"""Members' listings (the home page, /works) from a shared cache, with each member's own
parts filled in.

A plain member's listing is the page every member with the same display preferences
sees for the same query: members all see the same works (`members_q`), in the same
order, with the same facet counts. So it is rendered once for a stand-in member
(fanfold.works.memberpages.stand_in) and cached under the guests' listing stamp
(fanfold.works.listing_cache: the filter change log, the site version, the news, a
ten-second bucket), the display variant and the blurb options; each request fills in:

- `nav`, `banners`, the CSRF token and form stamp, as on members' reading pages;
- a gap at the end of every blurb: "Updated since you last read" for the works this
  member has read since they changed (their reading history: one query), else nothing.

Who takes the slow path (the full render, as before): a member who mutes someone (their
works leave the member's listings), who always leaves some tags out (their own result
set), who is suspended (the banner), and on /works one who saved filters (listed in the
sidebar); staff, and anyone with a flash message waiting (`memberpages.plain_member`).
Whether a member qualifies is read each request in the stamp's own query (their state
version, standing exclusions and saved filters), so a mute, an exclusion or a saved
filter shows on the very next request in every process.

Budget for a warm page: the session with its member, the stamp (with the menu's
counts) and (with reading history on) the history query.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from fanfold.accounts.models import User
from fanfold.archive.selectors import reader_display
from fanfold.history.selectors import updated_since_read
from fanfold.memberstate.selectors import reader_state
from fanfold.works import memberpages, pagecache
from fanfold.works.blurbs import updated_note
from fanfold.works.listing_cache import (
    listing_where,
    member_listing_stamp,
    serve_guest_listing,
)

SLOT_NAMES = ("nav", "banners")
_NOTE_SLOT = "updated-{}"

# render(markers, viewer): the listing rendered the normal way, for the cache when there
# are markers (then with them in its context), and for `viewer` (a stand-in) when it is
# the members' shared rendering; render(None, None) is the visitor's own page.
Render = Callable[[pagecache.Markers | None, User | None], HttpResponse]


def serve_listing(
    request: HttpRequest, name: str, render: Render, *, sidebar: bool
) -> HttpResponse:
    """The listing page `name` (the home page, /works) for anyone: guests' from the
    guests' cache (fanfold.works.listing_cache), plain members' from the shared cache
    below, anyone else's rendered for them. `sidebar`: the page lists the member's saved
    filters."""
    if pagecache.cacheable(request):
        return serve_guest_listing(request, name, lambda markers: render(markers, None))
    return serve_member_listing(request, name, render, sidebar=sidebar) or render(None, None)


def serve_member_listing(
    request: HttpRequest, name: str, render: Render, *, sidebar: bool
) -> HttpResponse | None:
    """The listing page `name` for a plain member from the shared cache, or None when
    this member's page needs the full render (see the module docstring). `sidebar`: the
    page lists the member's saved filters."""
    member = request.user
    if not memberpages.plain_member(request) or not isinstance(member, User):
        return None
    stamp = member_listing_stamp(member.pk)
    if stamp.standing_exclusions or (sidebar and stamp.saved_filters):
        return None
    state = reader_state(user_id=member.pk, version=stamp.state_version)
    if state.muted or state.suspended():
        return None
    memberpages.prime(member, state)
    key = (
        f"mlisting:{name}:{listing_where(request)}:{stamp.stamp}:"
        f"{reader_display(request).cache_variant}:{member.hide_warnings:d}{member.hide_freeform:d}"
    )
    entry = pagecache.cached_entry(request, key, _shared(member, render), SLOT_NAMES)
    if isinstance(entry, HttpResponse):
        return None  # not shareable: render it for the member
    fills = memberpages.frame_fills(request, member, stamp.counts)
    fills.update(_note_fills(member, entry.meta.get("listed", ())))
    return pagecache.respond(request, entry, fills)


def _shared(member: User, render: Render) -> Callable[[pagecache.Markers], HttpResponse]:
    def shared(markers: pagecache.Markers) -> HttpResponse:
        viewer = memberpages.stand_in(member, markers)
        listed: list[int] = []

        def gap(work_id: int) -> str:
            listed.append(work_id)
            return markers.slots[_NOTE_SLOT.format(work_id)]

        viewer.listing_gaps = gap  # type: ignore[attr-defined]  # read by blurbs_for_viewer
        response = render(markers, viewer)
        response.page_meta = {"listed": tuple(dict.fromkeys(listed))}  # type: ignore[attr-defined]
        return response

    return shared


def _note_fills(member: User, listed: tuple[int, ...]) -> dict[str, Callable[[], str]]:
    updated: set[int] | None = None

    def note(work_id: int) -> str:
        nonlocal updated
        if updated is None:  # one query for the page, on its first gap
            updated = updated_since_read(user=member, work_ids=list(listed))
        return updated_note() if work_id in updated else ""

    return {_NOTE_SLOT.format(pk): functools.partial(note, pk) for pk in listed}
