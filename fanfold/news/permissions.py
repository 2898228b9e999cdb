"""Who may write news: one function over the staff permissions, for querysets,
services and templates alike."""

from __future__ import annotations

from typing import Any

from fanfold.staff.permissions import has_perm

PERM = "post_news"


def can_post_news(user: Any) -> bool:
    """Whether `user` may write, edit, publish and delete news posts (and see drafts)."""
    return has_perm(user, PERM)
