"""Whole-page cache for guests' listings (the home page, /works, a tag's works).

A guest's listing is the same for every guest with the same query string and display
settings, so it is served by the page cache (fanfold.works.pagecache: each visitor's
own CSRF token spliced in) under a key holding a stamp of everything it is built from:

- the newest row of the filter change log: every write that changes what a work is
  listed or filtered by (posting, hiding, approval, members-only, tags, edits, deletion,
  counters) appends one in its own transaction, which is what keeps the filter index
  right in every process (fanfold.filters.services.mark_changed), so a work hidden or
  edited leaves the cached listing at the next request;
- the site settings' version (texts around the listing) and the newest news post;
- a ten-second time bucket, for what reaches a blurb without the change log (a
  series or pseud renamed, a work featured or unfeatured on the home page) and for a
  change-log row PostgreSQL commits after a later one: such changes show within ten
  seconds.

One small query per request (compiled once from the models, then run as SQL).

Members' listings (fanfold.works.memberlistings) are keyed by the same stamp, read in
one query with what decides whether the shared rendering is the member's page.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, Subquery
from django.http import HttpRequest, HttpResponse

from fanfold.archive.models import SiteSettings
from fanfold.archive.precompiled import Precompiled
from fanfold.archive.selectors import reader_display
from fanfold.filters.models import FilterChange, SavedFilter, StandingExclusion
from fanfold.memberstate.models import MemberState
from fanfold.news.models import NewsPost
from fanfold.works import pagecache
from fanfold.works.memberpages import plain_menu_columns
from fanfold.works.menu import COUNT_COLUMNS, MenuCounts, counts_from_row

BUCKET_SECONDS = 10
_SENTINEL_USER = -7_310_541


def _newest(alias: str) -> tuple[Subquery, Subquery]:
    # The newest filter change and news post: what a listing stamp is made of, beside
    # the settings row's version.
    newest_change = FilterChange.objects.using(alias).order_by("-id").values("id")[:1]
    newest_news = NewsPost.objects.using(alias).order_by("-updated_at").values("updated_at")[:1]
    return Subquery(newest_change), Subquery(newest_news)


@functools.cache
def _stamp(alias: str) -> Precompiled:
    change, news = _newest(alias)
    query = (
        SiteSettings.objects.using(alias)
        .filter(pk=1)
        .annotate(change=change, news=news)
        .values_list("version", "change", "news")
    )
    return Precompiled(query)


def _as_stamp(row: tuple) -> str:
    # Digested: the row holds a timestamp, whose spaces no cache key should carry.
    state = hashlib.blake2b(repr(tuple(row)).encode(), digest_size=12).hexdigest()
    return f"{state}:{int(time.time() // BUCKET_SECONDS)}"


def listing_stamp(alias: str = "default") -> str:
    return _as_stamp(_stamp(alias).fetchone() or ())


@dataclass(frozen=True)
class MemberListingStamp:
    """The listings' stamp and what of the member's own a listing depends on."""

    stamp: str
    state_version: int
    standing_exclusions: bool  # tags they always leave out: their own result set
    saved_filters: bool  # listed in the filter sidebar
    counts: MenuCounts  # the menu's, for a member who mutes nobody


@functools.cache
def _member_stamp(alias: str) -> Precompiled:
    state = MemberState.objects.using(alias).filter(user_id=_SENTINEL_USER).values("version")
    standing = StandingExclusion.objects.using(alias).filter(user_id=_SENTINEL_USER)
    saved = SavedFilter.objects.using(alias).filter(user_id=_SENTINEL_USER)
    change, news = _newest(alias)
    query = (
        SiteSettings.objects.using(alias)
        .filter(pk=1)
        .annotate(
            change=change,
            news=news,
            state_version=Subquery(state[:1]),
            standing=Exists(standing),
            saved=Exists(saved),
            **plain_menu_columns(_SENTINEL_USER),
        )
        .values_list(
            "version", "change", "news", "state_version", "standing", "saved", *COUNT_COLUMNS
        )
    )
    return Precompiled(query, user_id=_SENTINEL_USER)


def member_listing_stamp(user_id: int, alias: str = "default") -> MemberListingStamp:
    """`listing_stamp` and the member's side of it, in one query."""
    row = _member_stamp(alias).fetchone(user_id=user_id)
    if row is None:  # no settings row yet: nothing else to read either
        row = (None,) * 6 + (0,) * len(COUNT_COLUMNS)
    return MemberListingStamp(
        stamp=_as_stamp(row[:3]),
        state_version=row[3] or 0,
        standing_exclusions=bool(row[4]),
        saved_filters=bool(row[5]),
        counts=counts_from_row(row[6:]),
    )


def listing_where(request: HttpRequest) -> str:
    """The listing's path and query string, digested (a tag's name: any length, any
    characters); the parameters sorted, so their order makes no second entry."""
    where = request.path + "?" + "&".join(sorted(request.GET.urlencode().split("&")))
    return hashlib.blake2b(where.encode(), digest_size=16).hexdigest()


def serve_guest_listing(
    request: HttpRequest, name: str, render: Callable[[pagecache.Markers], HttpResponse]
) -> HttpResponse:
    """The listing page `name` for a guest, from the cache when its stamp still holds.
    `render(markers)` renders it the normal way, with the markers in its context."""
    digest = listing_where(request)
    key = f"listing:{name}:{digest}:{listing_stamp()}:{reader_display(request).cache_variant}"
    return pagecache.serve_cached(request, key, render)
