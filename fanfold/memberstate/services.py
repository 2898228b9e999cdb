"""Moving a member's state version: every service that changes what a member's reading
pages show of them calls `member_state_bump` inside its own transaction, so the new
version and the change it stands for commit together."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from fanfold.memberstate.models import MemberState


def member_state_bump(*, user_ids: Iterable[int | None]) -> None:
    """Make every process rebuild these members' cached state on their next page."""
    ids = sorted({pk for pk in user_ids if pk is not None})
    if not ids:
        return
    MemberState.objects.filter(user_id__in=ids).update(version=F("version") + 1)
    # A member's first change creates the row; a missing row reads as version 0, so 1 is
    # already new. `ignore_conflicts` covers a concurrent first bump (which the update
    # above, in a transaction of its own, will then have moved or will move on).
    MemberState.objects.bulk_create(
        [MemberState(user_id=pk, version=1) for pk in ids], ignore_conflicts=True
    )
