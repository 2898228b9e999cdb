"""Writes for reports: filing one, the reasons list, and the queue's own state changes
(assigning, closing, reopening, writing to a reporter), each audited in its transaction.

Actions on the reported content go through `fanfold.reports.actions`, which calls the
owning apps' services; appeals live in `fanfold.reports.appeals`.
"""

from __future__ import annotations

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from fanfold.accounts.models import User
from fanfold.audit.services import audit_record, changes_between, snapshot
from fanfold.reports.mail import mail_on_commit
from fanfold.reports.models import (
    CLOSED,
    TEXT_MAX,
    ActionKind,
    ModerationAction,
    Report,
    ReportReason,
    ReportStatus,
    TargetKind,
)
from fanfold.reports.outcomes import outcome_sentence
from fanfold.reports.targets import Target
from fanfold.staff.permissions import require_perm
from fanfold.works.models import RevisionRequest

OPEN_STATES = (ReportStatus.OPEN, ReportStatus.ASSIGNED)
REASON_FIELDS = ("label", "description", "position", "active")


# --- the reasons list -------------------------------------------------------------------


@transaction.atomic
def reason_save(
    *,
    actor: User,
    label: str,
    description: str = "",
    position: int = 0,
    active: bool = True,
    reason: ReportReason | None = None,
) -> ReportReason:
    """Add a reason reporters can pick, or change one (`reason`)."""
    require_perm(actor, "manage_settings")
    label = label.strip()
    if not label:
        raise ValidationError({"label": gettext("A reason needs a name.")})
    clash = ReportReason.objects.filter(label__iexact=label)
    if reason is not None:
        clash = clash.exclude(pk=reason.pk)
    if clash.exists():
        raise ValidationError(
            {"label": gettext("There is already a reason called “%(name)s”.") % {"name": label}}
        )
    creating = reason is None
    reason = reason or ReportReason(label="")
    before = snapshot(reason, REASON_FIELDS)
    reason.label, reason.description = label, description.strip()
    reason.position, reason.active = position, active
    reason.save()
    audit_record(
        action="report_reason.create" if creating else "report_reason.update",
        actor=actor,
        perm="manage_settings",
        target=reason,
        changes=changes_between(before, snapshot(reason, REASON_FIELDS)),
    )
    return reason


# --- filing a report --------------------------------------------------------------------


@transaction.atomic
def report_create(
    *,
    target: Target,
    reason: ReportReason,
    text: str,
    reporter: User | None,
    email: str = "",
    ip: str | None = None,
) -> Report:
    """File a report about `target` (found for the reporter by `targets.target_for_viewer`)
    with a snapshot of it as it is now, and acknowledge it by e-mail."""
    member = reporter if reporter is not None and reporter.is_authenticated else None
    email = member.email if member is not None else email.strip()
    if member is None and not email:
        raise ValidationError(
            {"email": gettext("Give an e-mail address so we can tell you the outcome.")}
        )
    if not reason.active:
        raise ValidationError({"reason": gettext("Choose one of the reasons listed.")})
    if len(text) > TEXT_MAX:
        raise ValidationError(
            {"text": gettext("Keep it under %(count)s characters.") % {"count": intcomma(TEXT_MAX)}}
        )
    report = Report.objects.create(
        kind=target.kind,
        object_id=target.obj.pk,
        reason=reason,
        text=text.strip(),
        reporter=member,
        reporter_email=email,
        reporter_ip=ip,
        snapshot={**target.snapshot, "url": target.url},
        label=target.label[:255],
        url=target.url[:500],
    )
    report.subjects.set(target.subjects)
    audit_report(
        "report.create",
        report,
        actor=member,
        member=target.subjects[0] if target.subjects else None,
        reason=reason.label,
    )
    mail_on_commit(
        addresses=[email], template="acknowledge", context={"report": report, "target": target}
    )
    return report


# --- the queue's state ------------------------------------------------------------------


def reports_on(*, kind: str, object_id: int) -> QuerySet[Report]:
    return Report.objects.filter(kind=kind, object_id=object_id)


def audit_report(action: str, report: Report, *, actor: User | None, **extra) -> None:
    """Audit a change to one report, labelled by what it is about."""
    audit_record(
        action=action,
        actor=actor,
        target=report,
        target_label=f"{TargetKind(report.kind).label}: {report.label}",
        **extra,
    )


@transaction.atomic
def reports_assign(*, kind: str, object_id: int, actor: User) -> int:
    """Take the open reports on one object ("assign to me"). Returns how many."""
    require_perm(actor, "handle_reports")
    reports = list(reports_on(kind=kind, object_id=object_id).filter(status__in=OPEN_STATES))
    reports = [r for r in reports if r.assigned_to_id != actor.pk]
    for report in reports:
        before = [report.status, report.assigned_to_id]
        report.status, report.assigned_to = ReportStatus.ASSIGNED, actor
        report.save(update_fields=["status", "assigned_to"])
        audit_report(
            "report.assign",
            report,
            actor=actor,
            perm="handle_reports",
            changes={"status": [before[0], report.status], "assigned_to": [before[1], actor.pk]},
        )
    return len(reports)


@transaction.atomic
def reports_close(
    *,
    kind: str,
    object_id: int,
    actor: User,
    dismiss: bool = False,
    note: str = "",
) -> list[Report]:
    """Close every open report on one object, resolved (by the actions taken on it
    since) or dismissed, and send each reporter the outcome in one sentence."""
    require_perm(actor, "handle_reports")
    reports = list(
        reports_on(kind=kind, object_id=object_id)
        .filter(status__in=OPEN_STATES)
        .select_for_update()
    )
    if not reports:
        return []
    since = min(r.created_at for r in reports)
    actions = list(
        ModerationAction.objects.filter(
            target_kind=kind, object_id=object_id, created_at__gte=since, reversed_at=None
        ).values_list("kind", flat=True)
    )
    status = ReportStatus.DISMISSED if dismiss or not actions else ReportStatus.RESOLVED
    outcome = outcome_sentence(kind=kind, actions=[] if dismiss else actions)
    now = timezone.now()
    for report in reports:
        before = report.status
        report.status, report.closed_at, report.closed_by = status, now, actor
        report.outcome = outcome
        report.save(update_fields=["status", "closed_at", "closed_by", "outcome"])
        audit_report(
            f"report.{'dismiss' if status == ReportStatus.DISMISSED else 'resolve'}",
            report,
            actor=actor,
            perm="handle_reports",
            reason=note or outcome,
            changes={"status": [before, status]},
        )
        mail_on_commit(
            addresses=[report.reporter_email], template="outcome", context={"report": report}
        )
    return reports


@transaction.atomic
def reports_reopen(
    *,
    kind: str,
    object_id: int,
    note: str = "",
    note_code: str = "",
    note_values: dict | None = None,
    actor: User | None = None,
) -> int:
    """Put the reports on an object back in front of staff (the creator edited a work
    they were asked to re-rate or re-tag). Reporters are not mailed again until staff
    close them again."""
    reports = list(reports_on(kind=kind, object_id=object_id).filter(status__in=CLOSED))
    for report in reports:
        before = report.status
        report.status, report.assigned_to, report.closed_at = ReportStatus.OPEN, None, None
        report.save(update_fields=["status", "assigned_to", "closed_at"])
        audit_report(
            "report.reopen",
            report,
            actor=actor,
            reason=note,
            note_code=note_code,
            message_values=note_values,
            changes={"status": [before, ReportStatus.OPEN]},
        )
    return len(reports)


@transaction.atomic
def reporter_message(*, report: Report, actor: User, text: str) -> None:
    """Support writes to the person who filed `report` (by e-mail; their address stays
    hidden from the member reported)."""
    require_perm(actor, "answer_reporters")
    text = text.strip()
    if not text:
        raise ValidationError({"text": gettext("Write something to send.")})
    if not report.reporter_email:
        raise ValidationError({"text": gettext("This reporter left no address.")})
    audit_report("report.message", report, actor=actor, perm="answer_reporters", reason=text)
    mail_on_commit(
        addresses=[report.reporter_email],
        template="message",
        context={"report": report, "text": text},
    )


def reports_reopen_on_revision(request: RevisionRequest, editor: User) -> None:
    """Registered with `works.revisions`: the creator edited a work they were asked to
    re-rate or re-tag, so the reports behind the request come back to staff to check."""
    chapter_ids = list(request.work.chapters.values_list("pk", flat=True))
    asked = ModerationAction.objects.filter(
        Q(target_kind=TargetKind.WORK, object_id=request.work_id)
        | Q(target_kind=TargetKind.CHAPTER, object_id__in=chapter_ids),
        kind__in=(ActionKind.REQUIRE_RATING, ActionKind.REQUIRE_TAGS),
        reversed_at=None,
    )
    for kind, object_id in set(asked.values_list("target_kind", "object_id")):
        reports_reopen(
            kind=kind,
            object_id=object_id,
            note_code=f"reopened.{request.kind}",
            note_values={"member": editor.username},
            actor=editor,
        )
