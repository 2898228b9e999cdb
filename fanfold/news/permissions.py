"""Who may write news. One function, so the switch to staff roles is one line."""

from __future__ import annotations

from typing import Any


def can_post_news(user: Any) -> bool:
    """Whether `user` may write, edit, publish and delete news posts (and see drafts)."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)
