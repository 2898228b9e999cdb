from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from fanfold.accounts.models import User
from fanfold.blocking.selectors import muted_user_ids
from fanfold.kudos.models import Kudos
from fanfold.works.models import Work

# The work page names this many givers and counts the rest.
NAMES_SHOWN = 50


@dataclass
class KudosSummary:
    names: list[str]
    more_members: int
    guests: int

    @property
    def total(self) -> int:
        return len(self.names) + self.more_members + self.guests


def _members(work: Work, viewer: User | None) -> QuerySet[Kudos]:
    members = Kudos.objects.filter(work=work, user__isnull=False)
    muted = muted_user_ids(viewer)
    if muted:
        members = members.exclude(user_id__in=muted)
    return members


def kudos_givers(*, work: Work, viewer: User | None = None) -> QuerySet:
    """Every member who left kudos, newest first, as user names; members `viewer` muted
    are left out, as on the work page."""
    return (
        _members(work, viewer)
        .order_by("-created_at", "-pk")
        .values_list("user__username", flat=True)
    )


def kudos_summary(*, work: Work, viewer: User | None = None) -> KudosSummary:
    """Who left kudos, newest first: member names (muted ones left out) and a guest count.
    Two queries whatever the number of kudos."""
    members = _members(work, viewer)
    names = list(kudos_givers(work=work, viewer=viewer)[: NAMES_SHOWN + 1])
    counts = members.aggregate(n=Count("pk"))
    guests = Kudos.objects.filter(work=work, user__isnull=True).count()
    member_total = counts["n"]
    shown = names[:NAMES_SHOWN]
    return KudosSummary(names=shown, more_members=max(member_total - len(shown), 0), guests=guests)


def has_left_kudos(*, work: Work, user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Kudos.objects.filter(work=work, user=user).exists()
