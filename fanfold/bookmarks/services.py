"""Bookmarks of works and series. Public bookmarks are counted on the work, in the same
transaction as the bookmark itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from fanfold.accounts.models import Pseud, User
from fanfold.bookmarks.models import NOTES_MAX, TAGS_MAX, Bookmark
from fanfold.filters.services import mark_changed
from fanfold.markup import Profile, render_text
from fanfold.memberstate.services import member_state_bump
from fanfold.moderation.hiding import PERM as HIDE_PERM
from fanfold.moderation.hiding import hidden_fields_set, hiding_recorded
from fanfold.staff.permissions import has_perm, require_perm
from fanfold.works.models import Series, Work

TAG_MAX = 100
SEP = "\x1f"


@dataclass
class BookmarkFields:
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    private: bool = False
    rec: bool = False
    pseud: Pseud | None = None


def parse_tags(raw: str) -> list[str]:
    """Comma-separated tags, trimmed and de-duplicated case-insensitively, in order."""
    seen: set[str] = set()
    names = []
    for part in raw.split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def tag_key(name: str) -> str:
    return f"{SEP}{' '.join(name.split()).casefold()}{SEP}"


def _validate(data: BookmarkFields, user: User) -> None:
    errors: dict[str, list[str]] = {}
    if len(data.notes) > NOTES_MAX:
        errors["notes"] = [f"Notes can be at most {NOTES_MAX:,} characters long."]
    if len(data.tags) > TAGS_MAX:
        errors["tags"] = [f"At most {TAGS_MAX} tags per bookmark."]
    elif any(len(t) > TAG_MAX for t in data.tags):
        errors["tags"] = [f"Each tag can be at most {TAG_MAX} characters long."]
    if data.pseud is not None and data.pseud.user_id != user.pk:
        errors["pseud"] = ["Choose one of your own pseuds."]
    if errors:
        raise ValidationError(errors)


def _apply(bookmark: Bookmark, data: BookmarkFields) -> None:
    bookmark.notes = data.notes.strip()
    bookmark.notes_html = render_text(
        bookmark.notes,
        "html" if "<" in bookmark.notes else "plain",
        Profile.COMMENT,
        field="notes",
    )
    bookmark.tag_names = data.tags
    bookmark.tag_keys = "".join(tag_key(t) for t in data.tags)
    bookmark.private = data.private
    bookmark.rec = data.rec and not data.private


def _count(work_id: int | None, delta: int) -> None:
    if work_id:
        Work.objects.filter(pk=work_id).update(
            bookmark_count=F("bookmark_count") + delta, render_version=F("render_version") + 1
        )
        if delta:
            mark_changed(work_ids=[work_id], text=False)  # bookmark counts sort and filter


@transaction.atomic
def bookmark_create(
    *, user: User, data: BookmarkFields, work: Work | None = None, series: Series | None = None
) -> Bookmark:
    if (work is None) == (series is None):
        raise ValidationError(_("Bookmark either a work or a series."))
    if work is not None and not Work.objects.readable_by(user).filter(pk=work.pk).exists():
        raise PermissionDenied(_("You can't bookmark this work."))
    if work is not None and not work.posted:
        raise ValidationError(_("Drafts can't be bookmarked."))
    if series is not None and not Series.objects.readable_by(user).filter(pk=series.pk).exists():
        raise PermissionDenied(_("You can't bookmark this series."))
    _validate(data, user)
    bookmark = Bookmark(user=user, pseud=data.pseud or user.default_pseud, work=work, series=series)
    _apply(bookmark, data)
    try:
        with transaction.atomic():
            bookmark.save()
    except IntegrityError:
        raise ValidationError(
            _("You have already bookmarked this; edit that bookmark instead.")
        ) from None
    if bookmark.counted:
        _count(bookmark.work_id, +1)
    member_state_bump(user_ids=[user.pk])  # the work page's "Edit bookmark" link
    return bookmark


@transaction.atomic
def bookmark_update(*, bookmark: Bookmark, user: User, data: BookmarkFields) -> Bookmark:
    if bookmark.user_id != user.pk:
        raise PermissionDenied(_("This bookmark is not yours."))
    _validate(data, user)
    was_counted = bookmark.counted
    if data.pseud is not None:
        bookmark.pseud = data.pseud
    _apply(bookmark, data)
    bookmark.save()
    if was_counted != bookmark.counted:
        _count(bookmark.work_id, -1 if was_counted else +1)
    elif was_counted:
        _count(bookmark.work_id, 0)  # notes changed: refresh cached pages
    return bookmark


@transaction.atomic
def bookmark_delete(*, bookmark: Bookmark, user: User) -> None:
    if bookmark.user_id != user.pk and not has_perm(user, "hide_content"):
        raise PermissionDenied(_("This bookmark is not yours."))
    counted = bookmark.counted
    work_id = bookmark.work_id
    owner_id = bookmark.user_id
    bookmark.delete()
    if counted:
        _count(work_id, -1)
    member_state_bump(user_ids=[owner_id])


@transaction.atomic
def bookmark_set_hidden(
    *, bookmark: Bookmark, hidden: bool, actor: User, reason: str = "", notify: bool = True
) -> Bookmark:
    """Staff hide a bookmark from every public list and from the work's count (or show
    it again). Its owner keeps it, sees `reason` on it, and is mailed."""
    require_perm(actor, HIDE_PERM)
    changes = hidden_fields_set(bookmark, hidden=hidden, reason=reason, refresh=("private",))
    if not changes:
        return bookmark
    if "hidden_by_admin" in changes and not bookmark.private:
        _count(bookmark.work_id, -1 if hidden else +1)
    hiding_recorded(
        bookmark,
        kind="bookmark",
        title=str(bookmark.target),
        changes=changes,
        reason=reason,
        actor=actor,
        member=bookmark.user,
        user_ids=[bookmark.user_id],
        link=reverse("bookmarks:user", args=[bookmark.user.username]),
        notify=notify,
    )
    return bookmark
