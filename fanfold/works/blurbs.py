"""Blurbs (a work's summary box in listings), cached as HTML per work.

A blurb is keyed by the work's `render_version`, which every edit bumps, so a listing
costs two queries and one cache round trip once its blurbs are warm; only works whose
blurb is missing are loaded with their tags and creators.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from fanfold.works.models import Work


@dataclass(frozen=True)
class BlurbOptions:
    """Reader preferences that change a blurb's HTML."""

    hide_warnings: bool = False
    hide_freeform: bool = False

    @classmethod
    def for_viewer(cls, viewer) -> BlurbOptions:
        if viewer is None or not viewer.is_authenticated:
            return cls()
        return cls(hide_warnings=viewer.hide_warnings, hide_freeform=viewer.hide_freeform)

    @property
    def variant(self) -> str:
        return f"{int(self.hide_warnings)}{int(self.hide_freeform)}"


# Bumped when the blurb template's markup changes, so cached blurbs in the old shape
# are not served after an upgrade (2: no role="article" on the list item).
BLURB_FORMAT = 2


def _key(work_id: int, version: int, options: BlurbOptions) -> str:
    # Blurbs carry interface words ("Words", "Chapters"): one copy per language.
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"blurb{BLURB_FORMAT}:{work_id}:{version}:{options.variant}:{language}"


def render_blurb(work: Work, options: BlurbOptions) -> SafeString:
    # The template escapes everything it prints; sanitised fields arrive marked safe.
    return SafeString(render_to_string("works/_blurb.html", {"work": work, "options": options}))


def blurbs_for(rows: Sequence[tuple[int, int]], options: BlurbOptions) -> list[SafeString]:
    """HTML blurbs for (work id, render_version) rows, in the order given."""
    keys = {work_id: _key(work_id, version, options) for work_id, version in rows}
    found = cache.get_many(list(keys.values()))
    missing = [work_id for work_id, key in keys.items() if key not in found]
    if missing:
        fresh = {}
        for work in Work.objects.filter(pk__in=missing).with_blurb_data():
            fresh[_key(work.pk, work.render_version, options)] = render_blurb(work, options)
            keys[work.pk] = _key(work.pk, work.render_version, options)
        cache.set_many(fresh, settings.PAGE_CACHE_SECONDS)
        found.update(fresh)
    return [SafeString(found[keys[work_id]]) for work_id, _ in rows if keys[work_id] in found]


def updated_note() -> str:
    """The "updated since you last read" line of a blurb, in the active language (the
    member listing cache splices it into shared listings too)."""
    # Escaped: a translation is text, never markup.
    return format_html(
        '<p class="history-note updated">{}</p>', gettext("Updated since you last read")
    )


def blurbs_for_viewer(rows: Sequence[tuple[int, int]], viewer) -> list[SafeString]:
    """`blurbs_for` in the viewer's display options, plus the personal "updated since
    you last read" line. Cached blurbs are shared between readers, so the line is
    spliced in after the cache, before the blurb's closing tag."""
    from fanfold.history.selectors import updated_since_read

    blurbs = blurbs_for(rows, BlurbOptions.for_viewer(viewer))
    gaps = getattr(viewer, "listing_gaps", None)
    if gaps is not None:
        # A listing shared by members (fanfold.works.memberlistings): each blurb ends in
        # a gap that each member's own note (or nothing) fills.
        return [
            mark_safe(blurb[: blurb.rfind("</li>")] + gaps(pk) + blurb[blurb.rfind("</li>") :])  # noqa: S308
            for (pk, _), blurb in zip(rows, blurbs, strict=True)
        ]
    updated = updated_since_read(user=viewer, work_ids=[pk for pk, _ in rows])
    if not updated:
        return blurbs
    note = updated_note() + "</li>"
    return [
        # Both parts are our own safe HTML: the cached blurb and an escaped note.
        mark_safe(blurb[: blurb.rfind("</li>")] + note) if pk in updated else blurb  # noqa: S308
        for (pk, _), blurb in zip(rows, blurbs, strict=True)
    ]


def blurbs_by_work(*, work_ids: Iterable[int], viewer) -> dict[int, SafeString]:
    """The blurb of each of these works `viewer` may still read, by work id: what a list
    of the member's own things (bookmarks, history, subscriptions) shows beside each
    entry. A work missing from the answer is one they may no longer read, and its list
    entry says so without naming it.

    `readable_by`, as those lists' own "available" rule, so an owner's draft on their
    own bookmark list keeps its blurb. One query for the versions, then `blurbs_for_viewer`
    (the cache, and a fixed number of queries for the works it lacks): the same count
    for one work as for a page of them.
    """
    ids = list(dict.fromkeys(work_ids))
    if not ids:
        return {}
    rows = list(
        Work.objects.readable_by(viewer)
        .filter(pk__in=ids)
        .order_by()
        .values_list("pk", "render_version")
    )
    blurbs = blurbs_for_viewer(rows, viewer)
    return {pk: blurb for (pk, _), blurb in zip(rows, blurbs, strict=True)}


def attach_blurbs(items: Iterable, *, viewer) -> list:
    """Set `blurb` on each list entry that points at a work (its `work_id`): the work's
    blurb, or None when the viewer may no longer read it. Entries without a work (a
    series, a creator) get None too. Returns the entries as a list."""
    items = list(items)
    blurbs = blurbs_by_work(
        work_ids=[item.work_id for item in items if item.work_id], viewer=viewer
    )
    for item in items:
        item.blurb = blurbs.get(item.work_id) if item.work_id else None
    return items
