"""Reading the audit trail (staff pages and members' staff records)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from fanfold.audit.models import AuditEntry


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_entries(
    *,
    member: str = "",
    actor: str = "",
    action: str = "",
    target_type: str = "",
    target_id: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries newest first, narrowed by whichever filters are given. Names match the
    name kept on the entry, so actions on since-deleted members are still found."""
    entries = AuditEntry.objects.select_related("actor", "member")
    if member:
        entries = entries.filter(member_name__iexact=member)
    if actor:
        entries = entries.filter(actor_name__iexact=actor)
    if action:
        entries = entries.filter(Q(action=action) | Q(action__startswith=f"{action}."))
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    if since:
        entries = entries.filter(created_at__gte=_day_start(since))
    if until and until < datetime.date.max:
        entries = entries.filter(created_at__lt=_day_start(until + datetime.timedelta(days=1)))
    return entries


def audit_entries_about(member: Any, limit: int = 100) -> list[AuditEntry]:
    """The latest entries concerning `member` (for the member's staff record)."""
    return list(audit_entries().filter(member=member)[:limit])
