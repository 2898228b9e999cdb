"""Reads for works: what a viewer may read, and the data a page needs."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, IntegerField, Max, QuerySet, Subquery
from django.utils.safestring import SafeString

from fanfold.accounts.models import User
from fanfold.archive.models import SiteSettings
from fanfold.archive.precompiled import Precompiled
from fanfold.staff.permissions import is_administrator
from fanfold.tags.models import DISPLAY_ORDER, Tag
from fanfold.works.models import Chapter, Creatorship, SerialWork, Series, Work
from fanfold.works.querysets import WorkQuerySet


class WorkNotFound(Exception):
    """The work does not exist for this viewer (missing, draft, hidden or unapproved)."""


class LoginRequired(Exception):
    """A members-only work asked for by a guest."""


def creator_user_ids(work: Work) -> list[int]:
    """The accounts credited on `work` (accepted co-creators only)."""
    return list(work.creatorships.filter(approved=True).values_list("pseud__user_id", flat=True))


def user_can_edit_work(user: User | None, work: Work) -> bool:
    if user is None or not user.is_authenticated:
        return False
    # Administrators may correct any work; moderators act through hiding and
    # "needs re-rating", which leave the text to its creators.
    if is_administrator(user):
        return True
    return Creatorship.objects.filter(work=work, pseud__user=user, approved=True).exists()


def work_for_reader(*, viewer: User | None, work_id: int) -> tuple[Work, bool]:
    """The work `viewer` asked for and whether they may edit it, by the one visibility
    rule; raises WorkNotFound or LoginRequired."""
    work = (
        Work.objects.readable_by(viewer)
        .select_related("rating", "challenge")
        .filter(pk=work_id)
        .first()
    )
    if work is None:
        is_guest = viewer is None or not viewer.is_authenticated
        members_only = Work.objects.members_only().filter(pk=work_id)
        # Guests asking for a members-only work are sent to log in; anything else
        # they may not see does not exist for them.
        if is_guest and members_only.exists():
            raise LoginRequired
        raise WorkNotFound
    can_edit = user_can_edit_work(viewer, work)
    return work, can_edit


@dataclass
class WorkPage:
    """Everything the work and chapter pages show, loaded in a fixed number of queries."""

    work: Work
    creators: list[Creatorship]
    tag_groups: list[tuple[str, str, list[Tag]]]
    series: list[SerialWork]
    chapters: list[Chapter]  # readable chapters, without bodies
    # Co-creators invited but not answering yet: shown to the work's editors only.
    pending: list[Creatorship] = field(default_factory=list)

    def chapter_index(self, chapter_id: int) -> int | None:
        for index, chapter in enumerate(self.chapters):
            if chapter.pk == chapter_id:
                return index
        return None


def work_page(*, work: Work, can_edit: bool) -> WorkPage:
    creators = list(
        Creatorship.objects.filter(work=work, approved=True).select_related("pseud__user")
    )
    tags = list(work.tags.all())
    groups = []
    for tag_type in DISPLAY_ORDER:
        of_type = sorted(
            (t for t in tags if t.type == tag_type), key=lambda t: (t.sort_order, t.name.casefold())
        )
        groups.append((tag_type.value, str(tag_type.label), of_type))
    series = list(SerialWork.objects.filter(work=work, approved=True).select_related("series"))
    chapters = list(
        work.chapters.readable_by_creator(can_edit).defer(
            "body", "body_html", "notes", "endnotes", "summary"
        )
    )
    pending = pending_creatorships(work) if can_edit else []
    return WorkPage(
        work=work,
        creators=creators,
        tag_groups=groups,
        series=series,
        chapters=chapters,
        pending=pending,
    )


def pending_creatorships(work: Work) -> list[Creatorship]:
    """Invitations on `work` nobody has answered yet, for its editors' eyes only."""
    return list(Creatorship.objects.filter(work=work, approved=False).select_related("pseud__user"))


def invitations_for(*, user: User) -> QuerySet[Creatorship]:
    """Co-creator invitations waiting for `user`'s answer, newest first. The invitee
    sees the work's title even while it is a draft: the inviter chose to show it them."""
    return (
        Creatorship.objects.filter(pseud__user=user, approved=False)
        .select_related("work", "pseud", "invited_by")
        .order_by("-created_at", "-pk")
    )


def chapters_with_text(*, work: Work, can_edit: bool) -> QuerySet[Chapter]:
    return work.chapters.readable_by_creator(can_edit).defer("body", "notes", "endnotes", "summary")


# --- listings ---------------------------------------------------------------------------


@dataclass
class Listing:
    blurbs: list[SafeString]
    page: Page

    @property
    def page_range(self) -> list:
        return list(self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2))


def works_listing(
    *,
    viewer: User | None,
    page: str | int | None,
    base: WorkQuerySet | None = None,
    order: tuple[str, ...] = ("-updated_at", "-pk"),
) -> Listing:
    """A page of work blurbs visible to `viewer`, newest updates first.

    `base` narrows the set (a user's works, a tag's works) but visibility is always
    applied here, so no caller can forget it.
    """
    from fanfold.blocking.selectors import muted_user_ids
    from fanfold.works.blurbs import blurbs_for_viewer

    works = (base if base is not None else Work.objects.all()).visible_to(viewer)
    muted = muted_user_ids(viewer)
    if muted:
        # Muting is applied in the query, so counts and pages agree with what is shown.
        works = works.exclude(creatorships__pseud__user_id__in=muted)
    works = works.order_by(*order)
    paginator = Paginator(works.values_list("pk", "render_version"), settings.WORKS_PER_PAGE)
    page_obj = paginator.get_page(page)
    blurbs = blurbs_for_viewer(list(page_obj.object_list), viewer)
    return Listing(blurbs=blurbs, page=page_obj)


def series_list(*, viewer: User | None, page: str | int | None) -> Page:
    """A page of the series listed for `viewer` (`Series.objects.visible_to`, the one
    series rule) with a part by a creator they have not muted (what the series page
    lists); the most recently updated first. Each carries `part_count` and
    `part_updated_at`, over those parts only, so a hidden or draft part shows in neither."""
    from fanfold.blocking.selectors import muted_user_ids

    readable = Work.objects.visible_to(viewer)
    muted = muted_user_ids(viewer)
    if muted:
        readable = readable.exclude(creatorships__pseud__user_id__in=muted)
    parts = Series.objects.parts_among(readable).order_by()
    count = parts.values("series").annotate(n=Count("pk")).values("n")
    latest = parts.values("series").annotate(d=Max("work__updated_at")).values("d")
    series = (
        # `visible_to`'s own test, over the parts left once muted creators are out.
        Series.objects.with_parts_among(readable)
        .select_related("owner")
        .annotate(
            part_count=Subquery(count, output_field=IntegerField()),
            part_updated_at=Subquery(latest),
        )
        .order_by("-part_updated_at", "-pk")
    )
    return Paginator(series, settings.WORKS_PER_PAGE).get_page(page)


FEATURED_ON_HOME = 5


def featured_blurbs(*, viewer: User | None, limit: int = FEATURED_ON_HOME) -> list[SafeString]:
    """Blurbs of up to `limit` works staff featured, visible to `viewer`, latest update
    first; one query for the rows, then the blurb cache."""
    from fanfold.blocking.selectors import muted_user_ids
    from fanfold.works.blurbs import blurbs_for_viewer

    works = Work.objects.visible_to(viewer).filter(featured=True)
    muted = muted_user_ids(viewer)
    if muted:
        works = works.exclude(creatorships__pseud__user_id__in=muted)
    rows = list(works.order_by("-updated_at", "-pk").values_list("pk", "render_version")[:limit])
    return blurbs_for_viewer(rows, viewer) if rows else []


# --- the guest fast path ----------------------------------------------------------------


@dataclass(frozen=True)
class ReadingStamp:
    """What a guest's cached reading page depends on."""

    work_id: int
    render_version: int
    adult: bool
    site_version: int


_SENTINEL_ID = -7_310_531


@functools.cache
def _guest_stamp(alias: str) -> Precompiled:
    # Compiled from `visible_to(None)` itself, so this cannot drift from the visibility
    # rule; compiling the ORM query costs ~1 ms, executing the SQL ~60 µs. The site
    # settings' version rides along, so a disclaimer edit also shows at once.
    site_version = SiteSettings.objects.using(alias).filter(pk=1).values("version")[:1]
    query = (
        Work.objects.using(alias)
        .visible_to(None)
        .filter(pk=_SENTINEL_ID)
        .annotate(site_version=Subquery(site_version))
        .values_list("render_version", "rating_id", "rating__adult", "site_version")
    )
    return Precompiled(query, work_id=_SENTINEL_ID)


def guest_reading_stamp(work_id: int, alias: str = DEFAULT_DB_ALIAS) -> ReadingStamp | None:
    """The stamp of a work guests may read, or None (missing, draft, hidden, members-only)."""
    row = _guest_stamp(alias).fetchone(work_id=work_id)
    if row is None:
        return None
    render_version, rating_id, rating_adult, site_version = row
    # No rating counts as adult, as on the work itself.
    adult = rating_id is None or bool(rating_adult)
    return ReadingStamp(work_id, render_version, adult, site_version or 0)


def series_parts(series) -> WorkQuerySet:
    """The works a series shows readers (approved parts), before the viewer's rules."""
    # Both conditions in one filter(): they must hold for the same SerialWork row.
    return Work.objects.filter(serial_works__series=series, serial_works__approved=True)


def series_visible(*, series, viewer: User | None) -> bool:
    """Whether `series` exists for `viewer`: the series' own rule (owner, or a part the
    viewer may read), asked for one series."""
    return Series.objects.readable_by(viewer).filter(pk=series.pk).exists()
