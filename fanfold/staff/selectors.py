"""Reads about staff: who holds which role, and wranglers' fandoms."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from fanfold.accounts.models import User
from fanfold.staff.models import WranglerAssignment
from fanfold.staff.roles import Role


def staff_members() -> QuerySet[User]:
    """Everyone holding a role (or superuser), with their roles and fandoms prefetched."""
    return (
        User.objects.filter(Q(is_superuser=True) | Q(groups__name__in=Role.values))
        .distinct()
        .order_by("username")
        .prefetch_related(
            "groups",
            Prefetch(
                "wrangler_assignments",
                queryset=WranglerAssignment.objects.select_related("fandom").order_by(
                    "fandom__name"
                ),
            ),
        )
    )


def fandoms_of(wrangler: User) -> QuerySet:
    return WranglerAssignment.objects.filter(wrangler=wrangler).select_related("fandom")
