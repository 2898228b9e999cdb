"""Who may write the archive's pages. One function, so the switch to staff roles is one
line."""

from __future__ import annotations

from typing import Any


def can_edit_pages(user: Any) -> bool:
    """Whether `user` may create, edit and delete pages."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)
