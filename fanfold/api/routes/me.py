"""/me: the token's member's own bookmarks, reading history and subscriptions.

Each row stays listed, as on the member's own pages; a work or series that is no longer
visible to them (listings' rule) is `available: false` and named by nothing.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from fanfold.api.auth import viewer_of
from fanfold.api.cursors import keyset_slice, scope_of
from fanfold.api.schemas import (
    BookmarkList,
    Error,
    HistoryQuery,
    Invalid,
    Limit,
    ReadingList,
    SubscriptionList,
)
from fanfold.api.selectors import visible_ids, visible_series_ids
from fanfold.api.serialize import bookmark_out, reading_out, subscription_out
from fanfold.bookmarks.models import Bookmark
from fanfold.history.models import Reading
from fanfold.history.visits import pending_visits_write
from fanfold.subscriptions.models import Subscription

router = Router(tags=["me"])
LISTED = {400: Invalid | Error, 401: Error, 429: Error}


def _member(request: HttpRequest):
    member = viewer_of(request)
    assert member is not None  # these operations require a token
    return member


@router.get("/me/bookmarks", response={200: BookmarkList, **LISTED}, summary="Your bookmarks")
def my_bookmarks(request: HttpRequest, query: Query[Limit]):
    member = _member(request)
    rows = Bookmark.objects.filter(user=member).select_related("work", "series")
    part = keyset_slice(
        rows,
        order=("-pk",),
        scope=scope_of(f"bookmarks:{member.pk}", query.dict()),
        cursor=query.cursor,
        limit=query.limit,
    )
    works = visible_ids(member, [b.work_id for b in part.items if b.work_id])
    series = visible_series_ids(member, [b.series_id for b in part.items if b.series_id])
    return {
        "results": [
            bookmark_out(b, b.work_id in works if b.work_id else b.series_id in series)
            for b in part.items
        ],
        "next_cursor": part.next_cursor,
    }


@router.get("/me/history", response={200: ReadingList, **LISTED}, summary="Your reading history")
def my_history(request: HttpRequest, query: Query[HistoryQuery]):
    """Most recent visit first; `marked_for_later=true` for the reading list instead
    (most recently marked first)."""
    member = _member(request)
    # As on the history page: visits this process still buffers are written first.
    pending_visits_write(user_id=member.pk)
    rows = Reading.objects.filter(user=member).select_related("work")
    order: tuple[str, ...]
    if query.marked_for_later:
        rows, order = rows.filter(marked_for_later=True), ("-pk",)
    else:
        rows, order = rows.filter(visit_count__gt=0), ("-last_visit", "-pk")
    part = keyset_slice(
        rows,
        order=order,
        scope=scope_of(f"history:{member.pk}", query.dict()),
        cursor=query.cursor,
        limit=query.limit,
    )
    works = visible_ids(member, [r.work_id for r in part.items])
    return {
        "results": [reading_out(r, r.work_id in works) for r in part.items],
        "next_cursor": part.next_cursor,
    }


@router.get(
    "/me/subscriptions", response={200: SubscriptionList, **LISTED}, summary="Your subscriptions"
)
def my_subscriptions(request: HttpRequest, query: Query[Limit]):
    member = _member(request)
    rows = Subscription.objects.filter(user=member).select_related("work", "series", "creator")
    part = keyset_slice(
        rows,
        order=("-pk",),
        scope=scope_of(f"subscriptions:{member.pk}", query.dict()),
        cursor=query.cursor,
        limit=query.limit,
    )
    works = visible_ids(member, [s.work_id for s in part.items if s.work_id])
    series = visible_series_ids(member, [s.series_id for s in part.items if s.series_id])

    def available(sub: Subscription) -> bool:
        if sub.work_id:
            return sub.work_id in works
        if sub.series_id:
            return sub.series_id in series
        return sub.creator is not None and sub.creator.is_active

    return {
        "results": [subscription_out(s, available(s)) for s in part.items],
        "next_cursor": part.next_cursor,
    }
