"""Who may write the archive's pages: one function over the staff permissions."""

from __future__ import annotations

from typing import Any

from fanfold.staff.permissions import has_perm

PERM = "edit_pages"


def can_edit_pages(user: Any) -> bool:
    """Whether `user` may create, edit and delete pages."""
    return has_perm(user, PERM)
