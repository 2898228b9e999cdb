"""A member's state as their reading pages need it, from the cache when its version has
not moved.

The structure holds what would otherwise cost a query per item on every page: the works
they left kudos on, bookmarked, subscribed to or marked for later, whom they mute, who
blocks them, the works they commented on and a suspension in force. It is cached in the
"default" cache under (member, version): the version comes from the database
(`MemberState`, read with the page's visibility stamp), so a process whose cache still
holds an older entry simply never asks for that key again. Preferences (theme, text
size, adult consent, hidden warnings) are on the user row, which every request loads
anyway, so they need no copy here.

Last-read positions ("updated since you last read") are not here: the reading pages do
not show them, and they move on every page view (fanfold.history owns them).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from fanfold.blocking.models import Block, Mute
from fanfold.bookmarks.models import Bookmark
from fanfold.comments.models import Comment
from fanfold.history.models import Reading
from fanfold.kudos.models import Kudos
from fanfold.sanctions.models import Sanction, SanctionKind
from fanfold.subscriptions.models import Subscription

STATE_SECONDS = 60 * 60


@dataclass(frozen=True)
class ReaderState:
    kudos: frozenset[int]  # work ids
    bookmarks: dict[int, int]  # work id -> bookmark id
    subscriptions: dict[int, int]  # work id -> subscription id
    marked_for_later: frozenset[int]  # work ids
    muted: frozenset[int]  # user ids this member muted
    blocked_by: frozenset[int]  # user ids who blocked this member
    commented: frozenset[int]  # work ids this member commented on
    suspended_until: datetime.datetime | None

    def suspended(self, now: datetime.datetime | None = None) -> bool:
        # A suspension ends by itself at `until` (as Sanction.objects.active says); lifting
        # it early bumps the version.
        return self.suspended_until is not None and self.suspended_until > (now or timezone.now())


def _build(user_id: int) -> ReaderState:
    def work_ids(qs) -> frozenset[int]:
        return frozenset(qs.values_list("work_id", flat=True))

    suspension = (
        Sanction.objects.active()
        .filter(member_id=user_id, kind=SanctionKind.SUSPENSION)
        .order_by("-until")
        .values_list("until", flat=True)
        .first()
    )
    return ReaderState(
        kudos=work_ids(Kudos.objects.filter(user_id=user_id)),
        bookmarks=dict(
            Bookmark.objects.filter(user_id=user_id, work__isnull=False).values_list(
                "work_id", "pk"
            )
        ),
        subscriptions=dict(
            Subscription.objects.filter(user_id=user_id, work__isnull=False).values_list(
                "work_id", "pk"
            )
        ),
        marked_for_later=work_ids(Reading.objects.filter(user_id=user_id, marked_for_later=True)),
        muted=frozenset(Mute.objects.filter(muter_id=user_id).values_list("muted_id", flat=True)),
        blocked_by=frozenset(
            Block.objects.filter(blocked_id=user_id).values_list("blocker_id", flat=True)
        ),
        commented=work_ids(Comment.objects.filter(user_id=user_id, work__isnull=False)),
        suspended_until=suspension,
    )


def reader_state(*, user_id: int, version: int) -> ReaderState:
    """The member's state at `version` (read from `MemberState` by the caller)."""
    key = f"mstate:{user_id}:{version}"
    state = cache.get(key)
    if state is None:
        state = _build(user_id)
        cache.set(key, state, STATE_SECONDS)
    return state
