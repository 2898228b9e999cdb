"""Acting on a report: one service per click in the queue.

The change itself is made, checked and audited by the app that owns what changes
(works, comments and bookmarks hide their own rows; sanctions warns, suspends and bans;
works asks for a re-rating). This module records the action against the report, so the
member can appeal it once and reporters hear the outcome, and mails the member the
reason with the appeal link (the owning apps' own notice is left out where they allow
it, so the member gets one message that says how to appeal).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.bookmarks.services import bookmark_set_hidden
from fanfold.comments.services import comment_set_hidden
from fanfold.reports.mail import mail_on_commit
from fanfold.reports.models import ActionKind, ModerationAction, Report, TargetKind
from fanfold.reports.outcomes import MEMBER_ACTIONS
from fanfold.reports.services import audit_report, reports_close
from fanfold.reports.targets import Target, target_current, work_of
from fanfold.sanctions.services import member_ban, member_suspend, member_warn
from fanfold.staff.permissions import require_perm
from fanfold.works.revisions import revision_request
from fanfold.works.staff_services import chapter_set_hidden, work_set_hidden

APPEAL_SALT = "fanfold.reports.appeal"

HIDERS: dict[str, Callable[..., Any]] = {
    TargetKind.WORK: lambda obj, **kw: work_set_hidden(work=obj, **kw),
    TargetKind.CHAPTER: lambda obj, **kw: chapter_set_hidden(chapter=obj, **kw),
    TargetKind.COMMENT: lambda obj, **kw: comment_set_hidden(comment=obj, **kw),
    TargetKind.BOOKMARK: lambda obj, **kw: bookmark_set_hidden(bookmark=obj, **kw),
}

REVISIONS: dict[str, str] = {ActionKind.REQUIRE_RATING: "rating", ActionKind.REQUIRE_TAGS: "tags"}


@dataclass
class ActionFields:
    """What the moderator filled in on the action's form."""

    kind: str
    reason: str
    member: User | None = None
    until: datetime.datetime | None = None
    hide_works: bool = False
    close: bool = True


def appeal_token(action: ModerationAction) -> str:
    return signing.dumps(action.pk, salt=APPEAL_SALT)


def appeal_url(action: ModerationAction) -> str:
    return reverse("reports:appeal_new", args=[appeal_token(action)])


def action_record(target: Target, **fields: Any) -> ModerationAction:
    """Write down an action on `target` (made already by the owning app)."""
    return ModerationAction.objects.create(
        target_kind=target.kind, object_id=target.obj.pk, label=target.label[:255], **fields
    )


def available_actions(target: Target) -> list[str]:
    """The actions that make sense for this kind of thing."""
    kinds: list[str] = []
    if target.kind in HIDERS:
        kinds.append(ActionKind.HIDE)
    if work_of(target) is not None:
        kinds += [ActionKind.REQUIRE_RATING, ActionKind.REQUIRE_TAGS]
    if target.subjects:
        kinds += [ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN]
    return kinds


def _apply(target: Target, data: ActionFields, actor: User) -> int | None:
    """Make the change through the owning app; returns a sanction's id. The owning
    services send no mail of their own: the member gets one, the action's, which carries
    the reason and the appeal link."""
    member = data.member
    if data.kind == ActionKind.HIDE:
        HIDERS[target.kind](target.obj, hidden=True, actor=actor, reason=data.reason, notify=False)
    elif data.kind in REVISIONS:
        work = work_of(target)
        assert work is not None  # available_actions offered it
        revision_request(work=work, actor=actor, kind=REVISIONS[data.kind], reason=data.reason)
    elif member is None:  # _validate required one for the member actions below
        return None
    elif data.kind == ActionKind.WARN:
        return member_warn(actor=actor, member=member, reason=data.reason, notify=False).pk
    elif data.kind == ActionKind.SUSPEND:
        if data.until is None:
            raise ValidationError({"until": _("Say until when.")})
        return member_suspend(
            actor=actor, member=member, until=data.until, reason=data.reason, notify=False
        ).pk
    elif data.kind == ActionKind.BAN:
        return member_ban(
            actor=actor, member=member, reason=data.reason, hide_works=data.hide_works, notify=False
        ).pk
    return None


def _validate(target: Target, data: ActionFields) -> None:
    if data.kind not in available_actions(target):
        raise ValidationError(
            _("“{action}” does not apply to this.").format(action=ActionKind(data.kind).label)
        )
    if not data.reason.strip():
        raise ValidationError({"reason": _("Say why: the member is told this reason.")})
    responsible = {u.pk for u in target.subjects}
    if data.kind in MEMBER_ACTIONS and (data.member is None or data.member.pk not in responsible):
        raise ValidationError({"member": _("Choose the member responsible for this.")})


@transaction.atomic
def action_take(*, report: Report, actor: User, data: ActionFields) -> ModerationAction:
    """Take one action on what `report` is about; with `data.close`, close every open
    report on it (reporters are told the outcome)."""
    require_perm(actor, "handle_reports")
    target = target_current(kind=report.kind, object_id=report.object_id)
    if target is None:
        raise ValidationError(_("The reported content no longer exists."))
    _validate(target, data)
    sanction_id = _apply(target, data, actor)
    member = data.member if data.kind in MEMBER_ACTIONS else None
    action = action_record(
        target,
        kind=data.kind,
        report=report,
        member=member or (target.subjects[0] if target.subjects else None),
        actor=actor,
        reason=data.reason.strip(),
        until=data.until if data.kind == ActionKind.SUSPEND else None,
        hide_works=data.hide_works if data.kind == ActionKind.BAN else False,
        sanction_id=sanction_id,
    )
    audit_report(
        "report.action",
        report,
        actor=actor,
        perm="handle_reports",
        member=action.member,
        reason=f"{action.get_kind_display()}: {action.reason}",
    )
    recipients = [member] if member is not None else target.subjects
    mail_on_commit(
        addresses=[u.email for u in recipients],
        template="action",
        context={"action": action, "target": target, "appeal_url": appeal_url(action)},
    )
    if data.close:
        reports_close(kind=report.kind, object_id=report.object_id, actor=actor)
    return action
