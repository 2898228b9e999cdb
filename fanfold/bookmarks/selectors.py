"""Reading bookmarks. A bookmark never reveals a work its viewer may not see: such
bookmarks show as "no longer available" to their owner and are left out for others."""

from __future__ import annotations

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from fanfold.accounts.models import User
from fanfold.blocking.selectors import muted_user_ids
from fanfold.bookmarks.models import Bookmark
from fanfold.bookmarks.services import tag_key
from fanfold.works.models import Series, Work

SORTS = {
    "created": ("-created_at", "-pk"),
    "updated": ("-work__updated_at", "-created_at", "-pk"),
    "title": ("work__title", "series__title", "pk"),
}


def _for_output(qs: QuerySet[Bookmark]) -> QuerySet[Bookmark]:
    return qs.select_related("pseud__user", "work__rating", "series", "user")


def bookmarks_of_user(
    *,
    owner: User,
    viewer: User | None,
    q: str = "",
    tag: str = "",
    rec_only: bool = False,
    sort: str = "created",
) -> QuerySet[Bookmark]:
    """A member's bookmarks as `viewer` may see them: all of them for the owner (private
    ones included), public ones of visible works for everyone else."""
    qs = Bookmark.objects.filter(user=owner)
    own = viewer is not None and viewer.is_authenticated and viewer.pk == owner.pk
    if not own:
        visible = Work.objects.visible_to(viewer).values("pk")
        series = Series.objects.visible_to(viewer).values("pk")
        qs = qs.public().filter(Q(work__in=visible) | Q(series__in=series))
        muted = muted_user_ids(viewer)
        if muted:
            qs = qs.exclude(work__creatorships__pseud__user_id__in=muted)
    else:
        # The owner sees every bookmark; those whose work or series went away say so.
        readable = Work.objects.readable_by(viewer).values("pk")
        series = Series.objects.readable_by(viewer).values("pk")
        qs = qs.annotate(
            available=Case(
                When(Q(series__in=series) | Q(work__in=readable), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    if q:
        for word in q.split()[:8]:
            qs = qs.filter(
                Q(notes__icontains=word)
                | Q(work__title__icontains=word)
                | Q(series__title__icontains=word)
                | Q(tag_keys__contains=word.casefold())
            )
    if tag:
        qs = qs.filter(tag_keys__contains=tag_key(tag))
    if rec_only:
        qs = qs.filter(rec=True)
    return _for_output(qs).order_by(*SORTS.get(sort, SORTS["created"]))


def public_bookmarks_of_work(*, work: Work, viewer: User | None) -> QuerySet[Bookmark]:
    qs = Bookmark.objects.public().filter(work=work)
    muted = muted_user_ids(viewer)
    if muted:
        qs = qs.exclude(user_id__in=muted)
    return _for_output(qs).order_by("-created_at", "-pk")


def bookmark_of(*, user: User | None, work: Work | None = None, series=None) -> Bookmark | None:
    if user is None or not user.is_authenticated:
        return None
    if work is not None:
        return Bookmark.objects.filter(user=user, work=work).first()
    return Bookmark.objects.filter(user=user, series=series).first()


def bookmark_for_viewer(*, bookmark_id: int, viewer: User | None) -> Bookmark | None:
    """One bookmark, if it is on its owner's list as `viewer` sees that list."""
    bookmark = Bookmark.objects.select_related("user").filter(pk=bookmark_id).first()
    if bookmark is None:
        return None
    return bookmarks_of_user(owner=bookmark.user, viewer=viewer).filter(pk=bookmark_id).first()
