"""Reads for invitations: the queue staff work through and a member's own invitations."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from fanfold.accounts.models import User
from fanfold.invitations.models import Invitation, InvitationRequest, InvitationSource
from fanfold.invitations.services import AUTOMATIC_WINDOW


@dataclass(frozen=True)
class QueueSummary:
    waiting: int
    sent_automatically_today: int
    sent: int
    used: int


def queue_summary() -> QueueSummary:
    sent = Invitation.objects.filter(sent_at__isnull=False)
    return QueueSummary(
        waiting=InvitationRequest.objects.filter(invitation__isnull=True).count(),
        sent_automatically_today=sent.filter(
            source=InvitationSource.AUTOMATIC, sent_at__gt=timezone.now() - AUTOMATIC_WINDOW
        ).count(),
        sent=sent.count(),
        used=sent.filter(used_at__isnull=False).count(),
    )


def waiting_page(limit: int = 200) -> QuerySet[InvitationRequest]:
    return InvitationRequest.objects.filter(invitation__isnull=True).order_by("created_at", "pk")[
        :limit
    ]


def member_invitations(member: User) -> tuple[int, list[Invitation]]:
    """How many invitations `member` still has to give, and the ones they gave."""
    mine = Invitation.objects.filter(owner=member)
    left = mine.filter(sent_at__isnull=True).count()
    given = list(mine.filter(sent_at__isnull=False).order_by("-sent_at").select_related("used_by"))
    return left, given
