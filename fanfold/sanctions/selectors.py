"""Reads about sanctions: what is in force on a member now."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from fanfold.sanctions.models import Sanction, SanctionKind


def active_suspension(member: Any, now=None) -> Sanction | None:
    """The suspension in force on `member` now (the one ending last), or None."""
    if member is None or not getattr(member, "is_authenticated", False):
        return None
    return (
        Sanction.objects.active(now)
        .filter(member=member, kind=SanctionKind.SUSPENSION)
        .order_by("-until")
        .first()
    )


def active_ban(member: Any) -> Sanction | None:
    return (
        Sanction.objects.active()
        .filter(member=member, kind=SanctionKind.BAN)
        .order_by("-created_at")
        .first()
    )


def sanctions_of(member: Any) -> QuerySet[Sanction]:
    """Every sanction on `member`, newest first, for the staff record."""
    return Sanction.objects.filter(member=member).select_related("created_by", "lifted_by")


def sanction_status(sanction: Sanction, now=None) -> str:
    """ "active", "lifted" or "ended" (a suspension whose date has passed)."""
    if sanction.lifted_at is not None:
        return "lifted"
    return "active" if sanction.is_active(now or timezone.now()) else "ended"
