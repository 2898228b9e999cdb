"""Acting on reports: the owning apps make the change, the report records it, the member
gets the reason and the appeal link, reporters get the outcome."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fanfold.audit.models import AuditEntry
from fanfold.comments.models import Comment
from fanfold.reports.actions import ActionFields, action_take, available_actions
from fanfold.reports.appeals import action_for_token
from fanfold.reports.models import ActionKind, ModerationAction, ReportStatus
from fanfold.reports.targets import target_current
from fanfold.sanctions.models import Sanction, SanctionKind
from fanfold.sanctions.selectors import active_suspension
from fanfold.works.fields import WorkFields
from fanfold.works.models import RevisionRequest, Work
from fanfold.works.services import work_update

pytestmark = pytest.mark.django_db


def next_week():
    return timezone.now() + datetime.timedelta(days=7)


def test_hide_then_suspend_closes_the_reports_once(
    member_comment, file_report, moderator, django_capture_on_commit_callbacks
):
    report = file_report("comment", member_comment.pk, email="reporter@example.org")
    writer = member_comment.user
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        hide = action_take(
            report=report,
            actor=moderator,
            data=ActionFields(kind=ActionKind.HIDE, reason="Personal insults.", close=False),
        )
    member_comment.refresh_from_db()
    assert member_comment.hidden_by_admin and member_comment.hidden_reason == "Personal insults."
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN  # left open for the next step
    [notice] = mail.outbox
    assert notice.to == [writer.email] and "Personal insults." in notice.body
    link = re.search(r"http://\S+/appeal/(\S+)", notice.body)
    assert link and action_for_token(link.group(1)) == hide

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        suspension = action_take(
            report=report,
            actor=moderator,
            data=ActionFields(
                kind=ActionKind.SUSPEND, reason="Repeated abuse.", member=writer, until=next_week()
            ),
        )
    assert active_suspension(writer) is not None
    assert Sanction.objects.get(pk=suspension.sanction_id).kind == SanctionKind.SUSPENSION
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED and report.closed_by == moderator
    assert report.outcome == (
        "We looked at the comment you reported and hid it and took action on the account "
        "responsible."
    )
    recipients = sorted(m.to[0] for m in mail.outbox)
    # One mail to the member (the action's: reason, end date and appeal link) and the
    # reporter's outcome.
    assert recipients == sorted([writer.email, "reporter@example.org"])
    notice = next(m for m in mail.outbox if m.to == [writer.email])
    assert "Repeated abuse." in notice.body and "/appeal/" in notice.body
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"comment.hide", "member.suspend", "report.action", "report.resolve"} <= actions


def test_the_outcome_never_says_how_a_member_was_sanctioned(
    member_comment, file_report, moderator, django_capture_on_commit_callbacks
):
    report = file_report("comment", member_comment.pk, email="r@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        action_take(
            report=report,
            actor=moderator,
            data=ActionFields(kind=ActionKind.WARN, reason="Tone.", member=member_comment.user),
        )
    outcome = next(m for m in mail.outbox if m.to == ["r@example.org"])
    assert "took action on the account responsible" in outcome.body
    assert "warn" not in outcome.body.lower() and "Tone." not in outcome.body


def test_actions_that_do_not_apply_are_refused(
    guest_comment, member_comment, make_user, file_report, moderator
):
    guest_report = file_report("comment", guest_comment.pk)
    target = target_current(kind="comment", object_id=guest_comment.pk)
    # A guest's comment can be hidden, not re-rated, and has no account to sanction.
    assert available_actions(target) == [ActionKind.HIDE]
    with pytest.raises(ValidationError):
        action_take(
            report=guest_report,
            actor=moderator,
            data=ActionFields(kind=ActionKind.REQUIRE_RATING, reason="x"),
        )
    report = file_report("comment", member_comment.pk)
    bystander = make_user("bystander")
    with pytest.raises(ValidationError) as error:
        action_take(
            report=report,
            actor=moderator,
            data=ActionFields(kind=ActionKind.WARN, reason="x", member=bystander),
        )
    assert "member" in error.value.message_dict
    with pytest.raises(ValidationError):
        action_take(report=report, actor=moderator, data=ActionFields(kind="hide", reason=" "))
    assert not ModerationAction.objects.exists()
    assert not Comment.objects.filter(hidden_by_admin=True).exists()


@pytest.mark.parametrize("role", ["support", "wrangler"])
def test_only_handlers_take_actions(member_comment, file_report, make_staff, role):
    report = file_report("comment", member_comment.pk)
    with pytest.raises(PermissionDenied):
        action_take(
            report=report, actor=make_staff(role), data=ActionFields(kind="hide", reason="x")
        )
    member_comment.refresh_from_db()
    assert not member_comment.hidden_by_admin


def _fields_of(work: Work, **changes) -> WorkFields:
    by_type = work.tags_by_type
    fields = WorkFields(
        title=work.title,
        rating=work.rating,
        warnings=by_type["warning"],
        fandoms=[t.name for t in by_type["fandom"]],
    )
    for name, value in changes.items():
        setattr(fields, name, value)
    return fields


def test_a_rerating_hides_the_work_until_the_creator_edits_it(
    make_work, make_staff, file_report, moderator, django_capture_on_commit_callbacks
):
    work = make_work(title="Storm Season", rating="General Audiences")
    creator = work.creators[0].user
    report = file_report("work", work.pk, label="Content not tagged as required")
    with django_capture_on_commit_callbacks(execute=True):
        action_take(
            report=report,
            actor=moderator,
            data=ActionFields(kind=ActionKind.REQUIRE_RATING, reason="Chapter 1 is explicit."),
        )
    work.refresh_from_db()
    assert work.hidden_by_admin
    assert not Work.objects.visible_to(None).filter(pk=work.pk).exists()
    assert RevisionRequest.objects.get(work=work).reason == "Chapter 1 is explicit."
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED

    # An administrator correcting the work does not count as the creator's revision.
    work_update(work=work, editor=make_staff("administrator"), data=_fields_of(work))
    assert RevisionRequest.objects.filter(work=work).exists()

    from fanfold.tags.models import Tag

    work_update(
        work=work, editor=creator, data=_fields_of(work, rating=Tag.objects.get(name="Explicit"))
    )
    work.refresh_from_db()
    assert not work.hidden_by_admin and not RevisionRequest.objects.filter(work=work).exists()
    assert Work.objects.visible_to(None).filter(pk=work.pk).exists()
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN  # back in front of staff
    reopen = AuditEntry.objects.get(action="report.reopen")
    assert reopen.actor == creator and "edited the work" in reopen.reason
    assert AuditEntry.objects.filter(action="work.revised", member=creator).exists()


def test_a_revision_request_on_a_work_staff_hid_leaves_it_hidden(make_work, file_report, moderator):
    from fanfold.works.staff_services import work_set_hidden

    work = make_work(title="Kept Hidden")
    creator = work.creators[0].user
    report = file_report("work", work.pk)
    work_set_hidden(work=work, hidden=True, actor=moderator, reason="Under review.", notify=False)
    action_take(
        report=report,
        actor=moderator,
        data=ActionFields(kind=ActionKind.REQUIRE_TAGS, reason="Add the character tags."),
    )
    work_update(work=work, editor=creator, data=_fields_of(work))
    work.refresh_from_db()
    assert work.hidden_by_admin and work.hidden_reason == "Under review."


def test_a_ban_can_hide_the_members_works(make_work, file_report, moderator):
    work = make_work(title="Spam Tower")
    creator = work.creators[0].user
    other = make_work(creator, title="More Spam")
    report = file_report("user", creator.pk, label="Spam")
    action = action_take(
        report=report,
        actor=moderator,
        data=ActionFields(kind=ActionKind.BAN, reason="Spam.", member=creator, hide_works=True),
    )
    creator.refresh_from_db()
    assert not creator.is_active and action.hide_works
    assert set(Work.objects.filter(hidden_by_admin=True).values_list("pk", flat=True)) == {
        work.pk,
        other.pk,
    }
