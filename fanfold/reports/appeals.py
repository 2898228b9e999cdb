"""Appeals: the member acted on replies once, from the link in the e-mail telling
them why; the appeal joins the queue, and staff grant it (the action is undone through
the owning app) or let the action stand. Either way the member is told.

The link carries a signed action id rather than needing a login, so a banned member
(who cannot log in) can appeal too; the view is exempt from the write gate so a
suspended member can send it.
"""

from __future__ import annotations

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.audit.models import AuditEntry
from fanfold.audit.services import audit_record
from fanfold.reports.actions import APPEAL_SALT, HIDERS, REVISIONS, action_record
from fanfold.reports.mail import mail_on_commit
from fanfold.reports.models import TEXT_MAX, ActionKind, Appeal, ModerationAction, ReportStatus
from fanfold.reports.targets import Target, target_current, work_of
from fanfold.sanctions.models import Sanction
from fanfold.sanctions.services import sanction_lift
from fanfold.staff.permissions import require_perm
from fanfold.works.revisions import revision_cancel


def action_for_token(token: str) -> ModerationAction | None:
    """The action an appeal link names, or None for a link that was tampered with."""
    try:
        action_id = signing.loads(token, salt=APPEAL_SALT)
    except signing.BadSignature:
        return None
    return ModerationAction.objects.select_related("member", "report").filter(pk=action_id).first()


def _label(appeal: Appeal) -> str:
    action = appeal.action
    return f"Appeal of “{action.get_kind_display()}” on {action.label}"


@transaction.atomic
def appeal_create(*, action: ModerationAction, text: str, sender: User | None) -> Appeal:
    """The member's one appeal of `action`."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Say why you think this was wrong.")})
    if len(text) > TEXT_MAX:
        raise ValidationError(
            {"text": gettext("Keep it under %(count)s characters.") % {"count": intcomma(TEXT_MAX)}}
        )
    if action.reversed_at is not None:
        raise ValidationError(_("This action was already undone."))
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(action=action, text=text)
    except IntegrityError:
        raise ValidationError(_("You have already appealed this; staff will answer it.")) from None
    member = sender if sender is not None and sender.is_authenticated else None
    audit_record(
        action="appeal.create",
        actor=member,
        target=appeal,
        target_label=_label(appeal),
        member=action.member,
        reason=text,
    )
    return appeal


@transaction.atomic
def appeal_assign(*, appeal: Appeal, actor: User) -> Appeal:
    require_perm(actor, "handle_reports")
    if appeal.status != ReportStatus.OPEN:
        return appeal
    appeal.status, appeal.assigned_to = ReportStatus.ASSIGNED, actor
    appeal.save(update_fields=["status", "assigned_to"])
    audit_record(
        action="appeal.assign",
        actor=actor,
        perm="handle_reports",
        target=appeal,
        target_label=_label(appeal),
        member=appeal.action.member,
        changes={"status": [ReportStatus.OPEN, ReportStatus.ASSIGNED]},
    )
    return appeal


def _undo(action: ModerationAction, actor: User, answer: str) -> None:
    """Reverse `action` through the app that made it."""
    if action.kind == ActionKind.HIDE:
        target = target_current(kind=action.target_kind, object_id=action.object_id)
        if target is not None:
            HIDERS[target.kind](target.obj, hidden=False, actor=actor, reason=answer, notify=False)
    elif action.kind in REVISIONS:
        target = target_current(kind=action.target_kind, object_id=action.object_id)
        work = work_of(target) if target is not None else None
        if work is not None:
            revision_cancel(work=work, actor=actor, reason=answer)
    elif action.sanction_id is not None:
        sanction = Sanction.objects.filter(pk=action.sanction_id, lifted_at=None).first()
        if sanction is not None:
            sanction_lift(actor=actor, sanction=sanction, reason=answer)


@transaction.atomic
def appeal_decide(*, appeal: Appeal, actor: User, grant: bool, answer: str) -> Appeal:
    """Grant the appeal (undo the action) or let the action stand; the member is sent
    `answer` either way."""
    require_perm(actor, "handle_reports")
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("action__member")
        .get(pk=appeal.pk)
    )
    if appeal.status not in (ReportStatus.OPEN, ReportStatus.ASSIGNED):
        raise ValidationError(_("This appeal was already answered."))
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer the member will read.")})
    action = appeal.action
    if grant:
        _undo(action, actor, answer)
        action.reversed_at = timezone.now()
        action.save(update_fields=["reversed_at"])
    before = appeal.status
    appeal.status = ReportStatus.RESOLVED if grant else ReportStatus.DISMISSED
    appeal.decided_by, appeal.decided_at, appeal.answer = actor, timezone.now(), answer
    appeal.save(update_fields=["status", "decided_by", "decided_at", "answer"])
    audit_record(
        action="appeal.grant" if grant else "appeal.uphold",
        actor=actor,
        perm="handle_reports",
        target=appeal,
        target_label=_label(appeal),
        member=action.member,
        reason=answer,
        changes={"status": [before, appeal.status]},
    )
    if action.member is not None:
        mail_on_commit(
            addresses=[action.member.email],
            template="appeal_answer",
            context={"appeal": appeal, "action": action},
        )
    return appeal


# --- content hidden outside the queue ---------------------------------------------------

# A hide from the queue, or a re-rating request (which hides the work), is what the
# member appeals when they follow the "Appeal" link on their hidden content.
HIDING_KINDS = (ActionKind.HIDE, *REVISIONS)


def hidden_for_appeal(
    *, kind: str, object_id: int, member: User
) -> tuple[Target, ModerationAction | None] | None:
    """`member`'s hidden work, chapter, comment or bookmark and the action that hid it
    (None when staff hid it outside the queue); None if there is nothing they may appeal."""
    target = target_current(kind=kind, object_id=object_id)
    if target is None or kind not in HIDERS or not getattr(target.obj, "hidden_by_admin", False):
        return None
    if member.pk not in {u.pk for u in target.subjects}:
        return None
    action = (
        ModerationAction.objects.filter(
            target_kind=kind, object_id=object_id, kind__in=HIDING_KINDS, reversed_at=None
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return target, action


@transaction.atomic
def appeal_hidden(*, target: Target, member: User, text: str) -> Appeal:
    """Appeal a hiding staff did from the content's own page rather than the queue: the
    hiding is recorded as an action first (who did it comes from the audit log), so the
    appeal reads and is answered like any other."""
    hid = (
        AuditEntry.objects.filter(
            action=f"{target.kind}.hide", target_type=target.kind, target_id=str(target.obj.pk)
        )
        .select_related("actor")
        .first()
    )
    action = action_record(
        target,
        kind=ActionKind.HIDE,
        member=member,
        actor=hid.actor if hid is not None else None,
        # Empty when staff gave none: the pages say so in the reader's language.
        reason=getattr(target.obj, "hidden_reason", ""),
    )
    return appeal_create(action=action, text=text, sender=member)
