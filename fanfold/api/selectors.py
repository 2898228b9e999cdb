"""Reads for the API: the pages' own selectors, shaped for JSON.

Nothing here decides visibility. Works come from `Work.objects.visible_to` (through
`works_filtered_listing` for listings), tags from `tags_visible_to`, series from
`Series.objects.visible_to`. The API shows what listings show: unlike the work page, it
never serves a creator's own drafts or a moderator's view of a hidden work, so a token
that leaks cannot reveal them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext

from fanfold.accounts.models import User
from fanfold.accounts.selectors import public_users
from fanfold.api.errors import ApiError
from fanfold.api.models import ApiToken
from fanfold.filters.listing import muted_work_ids
from fanfold.filters.selectors import tag_work_counts
from fanfold.tags.models import Tag
from fanfold.tags.selectors import tags_visible_to
from fanfold.works.models import Chapter, Series, Work
from fanfold.works.querysets import SeriesQuerySet
from fanfold.works.selectors import LoginRequired, WorkNotFound, series_parts, work_for_reader


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def works_in_order(work_ids: list[int], viewer: User | None) -> list[Work]:
    """These works with everything a WorkOut shows, in the given order; any that are
    not visible to `viewer` left out."""
    works = Work.objects.visible_to(viewer).filter(pk__in=work_ids).with_blurb_data()
    by_id = {w.pk: w for w in works}
    return [by_id[pk] for pk in work_ids if pk in by_id]


def work_for_api(*, viewer: User | None, work_id: int) -> Work:
    """The reader's rule (`work_for_reader`: a guest asking for a members-only work is
    told to authenticate), narrowed to what listings show (see the module docstring)."""
    try:
        work, _can_edit = work_for_reader(viewer=viewer, work_id=work_id)
    except LoginRequired:
        raise ApiError(
            401, gettext("This work is for members: send a member's API token.")
        ) from None
    except WorkNotFound:
        work = None
    found = works_in_order([work.pk], viewer) if work is not None else []
    if not found:
        raise ApiError(404, gettext("No such work."))
    return found[0]


def chapters_for_api(work: Work) -> QuerySet[Chapter]:
    """The chapters every reader of `work` gets (posted, not hidden)."""
    return Chapter.objects.public().filter(work=work)


def tags_for_api(
    viewer: User | None, *, tag_type: str | None, q: str | None, canonical: bool | None
) -> QuerySet[Tag]:
    tags = tags_visible_to(viewer).select_related("merger")
    if tag_type:
        tags = tags.filter(type=tag_type)
    if q:
        tags = tags.filter(key__contains=" ".join(q.split()).casefold())
    if canonical is not None:
        tags = tags.filter(canonical=canonical)
    return tags


def tag_for_api(*, viewer: User | None, tag_id: int) -> Tag:
    tag = tags_visible_to(viewer).select_related("merger").filter(pk=tag_id).first()
    if tag is None:
        raise ApiError(404, gettext("No such tag."))
    return tag


def works_counts(tags: Iterable[Tag], viewer: User | None) -> dict[int, int]:
    return tag_work_counts([t.pk for t in tags], viewer, exclude_work_ids=muted_work_ids(viewer))


def series_for_api(viewer: User | None) -> SeriesQuerySet:
    """Series listed for `viewer`, each with `works_count`: its parts they may see."""
    parts = Series.objects.parts_among(Work.objects.visible_to(viewer)).order_by()
    counted = parts.values("series").annotate(n=Count("pk")).values("n")
    return (
        Series.objects.visible_to(viewer)
        .select_related("owner")
        .annotate(works_count=Subquery(counted, output_field=IntegerField()))
    )


def series_one(*, viewer: User | None, series_id: int) -> tuple[Series, list[Work]]:
    series = series_for_api(viewer).filter(pk=series_id).first()
    if series is None:
        raise ApiError(404, gettext("No such series."))
    ids = list(
        series_parts(series)
        .visible_to(viewer)
        .order_by("serial_works__position", "pk")
        .values_list("pk", flat=True)
    )
    return series, works_in_order(list(dict.fromkeys(ids)), viewer)


def user_for_api(*, viewer: User | None, username: str) -> tuple[User, int]:
    """A public profile and how many of its owner's works `viewer` may see."""
    user = public_users().filter(username__iexact=username).first()
    if user is None:
        raise ApiError(404, gettext("No such member."))
    works = Work.objects.visible_to(viewer).filter(
        Exists(Work.objects.created_by(user).filter(pk=OuterRef("pk")))
    )
    return user, works.count()


def visible_ids(viewer: User, work_ids: Iterable[int]) -> set[int]:
    """Which of these works `viewer` may see (their own lists name only those)."""
    return set(
        Work.objects.visible_to(viewer).filter(pk__in=list(work_ids)).values_list("pk", flat=True)
    )


def visible_series_ids(viewer: User, series_ids: Iterable[int]) -> set[int]:
    return set(
        Series.objects.visible_to(viewer)
        .filter(pk__in=list(series_ids))
        .values_list("pk", flat=True)
    )
