"""Reads for feeds and the OPDS catalogue: which works a feed lists, always through the
selectors the pages use (`works_filtered_listing`, `visible_to`), and whose private
feeds a secret opens. Nothing here restates who may see what."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import QueryDict
from django.urls import Resolver404, resolve

from fanfold.accounts.models import User
from fanfold.accounts.selectors import public_pseuds, public_users
from fanfold.blocking.selectors import muted_user_ids
from fanfold.challenges.models import Challenge
from fanfold.challenges.selectors import challenge_response_ids
from fanfold.feeds.models import FeedKey
from fanfold.feeds.services import secret_digest
from fanfold.filters.listing import works_filtered_listing
from fanfold.filters.models import SavedFilter
from fanfold.filters.selectors import FilterResult
from fanfold.subscriptions.models import Subscription
from fanfold.tags.models import Tag
from fanfold.tags.selectors import tag_by_url_name
from fanfold.works.models import Chapter, Creatorship, SerialWork, Series, Work
from fanfold.works.querysets import WorkQuerySet, is_member
from fanfold.works.selectors import series_parts

# Most chapters a subscriptions feed lists.
CHAPTER_ITEMS = 30
SECRET_MAX = 100


def member_for_feed_secret(secret: str) -> User | None:
    """The active member whose feed key this is, or None (unknown, revoked, or the
    account closed or banned since)."""
    if not secret or len(secret) > SECRET_MAX:
        return None
    key = FeedKey.objects.select_related("user").filter(secret_digest=secret_digest(secret))
    found = key.first()
    if found is None or not is_member(found.user):
        return None
    return found.user


def feed_key_of(user: User) -> FeedKey | None:
    return FeedKey.objects.filter(user=user).first()


# --- works, as the listings have them ---------------------------------------------------


def listed_works(
    *,
    viewer: User | None,
    params: Mapping[str, Any] | None = None,
    fixed_tag: Tag | None = None,
    within_work_ids: Iterable[int] | None = None,
) -> FilterResult:
    """One page of a works listing (`work_ids` in order, `total`, `has_next`): the very
    selector the listing pages use, without their sidebar."""
    listing = works_filtered_listing(
        viewer=viewer,
        params=params or {},
        fixed_tag=fixed_tag,
        within_work_ids=within_work_ids,
        sidebar=False,
    )
    return listing.result


def works_in_order(work_ids: list[int]) -> list[Work]:
    """The works with what an entry shows (creators, tags, series), in the order given."""
    works = {w.pk: w for w in Work.objects.filter(pk__in=work_ids).with_blurb_data()}
    return [works[pk] for pk in work_ids if pk in works]


def work_versions(work_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(id, render_version) pairs: every edit, kudos, comment or tag rename moves one."""
    ids = list(work_ids)
    versions = dict(Work.objects.filter(pk__in=ids).values_list("pk", "render_version"))
    return [(pk, versions.get(pk, 0)) for pk in ids]


def creator_work_ids(owner: User) -> list[int]:
    return list(Work.objects.created_by(owner).values_list("pk", flat=True).distinct())


def series_work_ids(series: Series) -> list[int]:
    return list(series_parts(series).values_list("pk", flat=True).distinct())


# --- a member's saved filters -----------------------------------------------------------


def _scope_of_path(path: str, viewer: User) -> dict[str, Any] | None:
    """The listing a saved filter's path names, as `works_filtered_listing` arguments
    (None when the path is no longer a works listing the member may see)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    kw = match.kwargs
    name = match.view_name
    if name == "works:index":
        return {}
    if name == "tags:works":
        tag = tag_by_url_name(kw["name"], viewer=viewer)
        return None if tag is None else {"fixed_tag": tag.merger or tag}
    if name == "works:user_works":
        owner = public_users().filter(username__iexact=kw["username"]).first()
        return None if owner is None else {"within_work_ids": creator_work_ids(owner)}
    if name == "works:pseud_works":
        pseud = (
            public_pseuds()
            .filter(user__username__iexact=kw["username"], name__iexact=kw["pseud"])
            .first()
        )
        if pseud is None:
            return None
        ids = Work.objects.by_pseud(pseud).values_list("pk", flat=True).distinct()
        return {"within_work_ids": list(ids)}
    if name == "works:series":
        series = Series.objects.readable_by(viewer).filter(pk=kw["series_id"]).first()
        return None if series is None else {"within_work_ids": series_work_ids(series)}
    if name == "challenges:detail":
        challenge = Challenge.objects.filter(pk=kw["challenge_id"]).first()
        if challenge is None:
            return None
        return {"within_work_ids": challenge_response_ids(challenge=challenge)}
    return None


def saved_filter_work_ids(*, member: User, saved: SavedFilter) -> list[int] | None:
    """The newest works a member's saved filter matches, as `member` sees them (their
    members-only works included, muted creators and standing exclusions left out), or
    None when the filter no longer names a listing.

    A feed is about what is new, so the listing is sorted by date updated (or posted, if
    the filter was saved that way) whatever order the filter was saved with."""
    scope = _scope_of_path(saved.path, member)
    if scope is None:
        return None
    params = QueryDict(saved.query, mutable=True)
    params.pop("page", None)
    if params.get("sort") != "posted":
        params["sort"] = "updated"
    return listed_works(viewer=member, params=params, **scope).work_ids


# --- subscriptions ----------------------------------------------------------------------


def subscribed_works(member: User) -> WorkQuerySet:
    """Works a member follows (subscribed to the work, a series it is part of, or one of
    its creators) that they may see, less muted creators' works."""
    subs = Subscription.objects.filter(user=member)
    in_series = SerialWork.objects.filter(
        series__in=subs.filter(series__isnull=False).values("series"), approved=True
    ).values("work")
    by_creator = Creatorship.objects.filter(
        pseud__user__in=subs.filter(creator__isnull=False).values("creator"), approved=True
    ).values("work")
    followed = (
        Q(pk__in=subs.filter(work__isnull=False).values("work"))
        | Q(pk__in=in_series)
        | Q(pk__in=by_creator)
    )
    works = Work.objects.visible_to(member).filter(followed)
    muted = muted_user_ids(member)
    if muted:
        works = works.exclude(creatorships__pseud__user_id__in=muted)
    return works


def subscribed_chapters(member: User, limit: int = CHAPTER_ITEMS) -> list[Chapter]:
    """The newest chapters readers can see of the works a member follows."""
    chapters: QuerySet[Chapter] = (
        Chapter.objects.public()
        .filter(work__in=subscribed_works(member).values("pk"))
        .select_related("work")
        .defer("body", "body_html")
        .order_by(F("published_at").desc(nulls_last=True), "-pk")
    )
    return list(chapters[:limit])
