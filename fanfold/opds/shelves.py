"""A member's shelves in the catalogue, each from the selector its own page uses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.bookmarks.selectors import bookmarks_of_user
from fanfold.feeds.selectors import subscribed_works
from fanfold.history.selectors import available_work_ids, readings_of

SHELVES = {
    "bookmarks": (_("Your bookmarks"), _("Works you bookmarked, newest bookmark first.")),
    "later": (_("Marked for later"), _("Works you marked to read later.")),
    "subscriptions": (
        _("Your subscriptions"),
        _("Works you follow, by themselves, their series or creators; latest update first."),
    ),
}


def shelf_work_ids(shelf: str, member: User) -> list[int]:
    """The works on one of `member`'s shelves that they may still read, in shelf order."""
    if shelf == "bookmarks":
        marks = bookmarks_of_user(owner=member, viewer=member).filter(
            work__isnull=False, available=True
        )
        return list(marks.values_list("work_id", flat=True))
    if shelf == "later":
        readings = list(readings_of(user=member, marked_only=True))
        readable = available_work_ids(user=member, readings=readings)
        return [r.work_id for r in readings if r.work_id in readable]
    if shelf == "subscriptions":
        works = subscribed_works(member).order_by("-updated_at", "-pk")
        return list(works.values_list("pk", flat=True).distinct())
    raise ValueError(shelf)
