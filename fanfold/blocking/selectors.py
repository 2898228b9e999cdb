"""Who blocks or mutes whom. Other apps ask here before letting one member reach another."""

from __future__ import annotations

from collections.abc import Iterable

from fanfold.accounts.models import User
from fanfold.blocking.models import Block, Mute


def blocked_by_any(*, user: User | None, owners: Iterable[int]) -> bool:
    """Whether any of `owners` (user ids) has blocked `user`. Guests are never blocked by
    account; per-work comment settings and rate limits cover them."""
    if user is None or not user.is_authenticated:
        return False
    return Block.objects.filter(blocker_id__in=list(owners), blocked=user).exists()


def has_blocked(*, blocker_id: int, user_id: int) -> bool:
    return Block.objects.filter(blocker_id=blocker_id, blocked_id=user_id).exists()


def muted_user_ids(viewer: User | None) -> list[int]:
    """Members whose works and comments `viewer` has asked not to see."""
    if viewer is None or not viewer.is_authenticated:
        return []
    cached = getattr(viewer, "_muted_ids", None)
    if cached is None:
        cached = list(Mute.objects.filter(muter=viewer).values_list("muted_id", flat=True))
        viewer._muted_ids = cached  # type: ignore[attr-defined]
    return cached


def blocked_users(user: User):
    return User.objects.filter(blocked_by__blocker=user).order_by("username")


def muted_users(user: User):
    return User.objects.filter(muted_by__muter=user).order_by("username")
