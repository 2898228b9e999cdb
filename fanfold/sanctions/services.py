"""Warnings, suspensions and bans, and lifting them.

Each is a staff action: checked against `sanction_members`, written to the audit log in
the same transaction, and mailed to the member once it commits. A suspension needs no
job to end: `Sanction.objects.active()` compares `until` with the time of asking. A ban
sets `is_active=False`, which ends every session of the member at their next request
(Django's backend refuses inactive accounts) and stops them logging in.
"""

from __future__ import annotations

import datetime

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.accounts.notices import member_notice
from fanfold.audit.services import audit_record
from fanfold.memberstate.services import member_state_bump
from fanfold.sanctions.models import Sanction, SanctionKind
from fanfold.sanctions.selectors import active_ban
from fanfold.staff.permissions import is_administrator, require_perm, roles_of
from fanfold.works.models import Work
from fanfold.works.staff_services import work_set_hidden

REASON_MAX = 5000
PERM = "sanction_members"


def sanction_checked(*, actor: User, member: User, reason: str) -> str:
    """Refuse unless `actor` may sanction `member`; returns the cleaned reason."""
    require_perm(actor, PERM)
    if member.pk == actor.pk:
        raise PermissionDenied(_("You can't sanction your own account."))
    # Staff answer to administrators: a moderator cannot ban the people who appoint them.
    if (roles_of(member) or member.is_superuser) and not is_administrator(actor):
        raise PermissionDenied(_("Only administrators can sanction staff members."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [gettext("Say why: the member is told this reason.")]})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": [gettext("At most %(count)s characters.") % {"count": intcomma(REASON_MAX)}]}
        )
    return reason


def _record(sanction: Sanction, *, actor: User, action: str, changes: dict | None = None):
    audit_record(
        action=action,
        actor=actor,
        perm=PERM,
        target=sanction,
        label_code=f"sanction.{sanction.kind}",
        message_values={"member": sanction.member.get_username()},
        member=sanction.member,
        reason=sanction.lift_reason if action == "sanction.lift" else sanction.reason,
        changes=changes,
    )


def _mail(sanction: Sanction, *, lifted: bool = False) -> None:
    member_notice(
        user_ids=[sanction.member_id],
        template="sanctions/email/lifted" if lifted else f"sanctions/email/{sanction.kind}",
        context={"sanction": sanction, "member": sanction.member},
    )


@transaction.atomic
def member_warn(*, actor: User, member: User, reason: str, notify: bool = True) -> Sanction:
    """Record a warning on the member's staff record and mail it to them (unless the
    caller sends its own mail, as a report's action does with its appeal link)."""
    reason = sanction_checked(actor=actor, member=member, reason=reason)
    sanction = Sanction.objects.create(
        member=member, kind=SanctionKind.WARNING, reason=reason, created_by=actor
    )
    _record(sanction, actor=actor, action="member.warn")
    if notify:
        _mail(sanction)
    return sanction


@transaction.atomic
def member_suspend(
    *, actor: User, member: User, until: datetime.datetime, reason: str, notify: bool = True
) -> Sanction:
    """Suspend the member until `until`: they may log in and read, but every write is
    refused (fanfold.sanctions.enforcement) and every page tells them why and until when.
    """
    reason = sanction_checked(actor=actor, member=member, reason=reason)
    if until <= timezone.now():
        raise ValidationError({"until": [gettext("The suspension must end in the future.")]})
    sanction = Sanction.objects.create(
        member=member, kind=SanctionKind.SUSPENSION, reason=reason, until=until, created_by=actor
    )
    member_state_bump(user_ids=[member.pk])  # the banner on their next page
    _record(sanction, actor=actor, action="member.suspend", changes={"until": [None, until]})
    if notify:
        _mail(sanction)
    return sanction


@transaction.atomic
def member_ban(
    *, actor: User, member: User, reason: str, hide_works: bool, notify: bool = True
) -> Sanction:
    """Ban the member: they cannot log in and their sessions end at once. With
    `hide_works` their visible works are hidden too; the ban remembers which, so lifting
    it shows exactly those again."""
    reason = sanction_checked(actor=actor, member=member, reason=reason)
    member = User.objects.select_for_update().get(pk=member.pk)
    if active_ban(member) is not None:
        raise ValidationError(_("This member is already banned."))
    sanction = Sanction.objects.create(
        member=member, kind=SanctionKind.BAN, reason=reason, hide_works=hide_works, created_by=actor
    )
    hidden: list[int] = []
    if hide_works:
        for work in Work.objects.created_by(member).filter(hidden_by_admin=False).distinct():
            work_set_hidden(work=work, hidden=True, actor=actor, reason=reason, notify=False)
            hidden.append(work.pk)
    sanction.hidden_work_ids = hidden
    sanction.save(update_fields=["hidden_work_ids"])
    member.is_active = False
    # Inactive accounts are already refused at each request; a new generation also keeps
    # today's sessions dead if the ban is lifted.
    member.session_generation += 1
    member.save(update_fields=["is_active", "session_generation"])
    _record(
        sanction,
        actor=actor,
        action="member.ban",
        changes={"is_active": [True, False], "hidden_works": [[], hidden]},
    )
    if notify:
        _mail(sanction)
    return sanction


@transaction.atomic
def sanction_lift(*, actor: User, sanction: Sanction, reason: str = "") -> Sanction:
    """Lift a warning, suspension or ban early. Lifting a ban lets the member log in
    again and shows the works the ban hid (those hidden for other reasons stay hidden)."""
    require_perm(actor, PERM)
    sanction = Sanction.objects.select_for_update().select_related("member").get(pk=sanction.pk)
    if sanction.lifted_at is not None:
        raise ValidationError(_("This sanction was already lifted."))
    sanction.lifted_at = timezone.now()
    sanction.lifted_by = actor
    sanction.lift_reason = reason.strip()[:REASON_MAX]
    sanction.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    member_state_bump(user_ids=[sanction.member_id])
    changes: dict = {}
    if sanction.kind == SanctionKind.BAN:
        changes = _unban(sanction, actor=actor)
    _record(sanction, actor=actor, action="sanction.lift", changes=changes)
    _mail(sanction, lifted=True)
    return sanction


def _unban(sanction: Sanction, *, actor: User) -> dict:
    member = sanction.member
    shown: list[int] = []
    for work in Work.objects.filter(pk__in=sanction.hidden_work_ids, hidden_by_admin=True):
        work_set_hidden(
            work=work, hidden=False, actor=actor, reason=sanction.lift_reason, notify=False
        )
        shown.append(work.pk)
    if active_ban(member) is None and not member.is_active:
        member.is_active = True
        member.save(update_fields=["is_active"])
        return {"is_active": [False, True], "shown_works": [[], shown]}
    return {"shown_works": [[], shown]}
