"""Warnings, suspensions, bans and lifting: who may, what is recorded, who is told."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fanfold.audit.models import AuditEntry
from fanfold.sanctions.models import Sanction, SanctionKind
from fanfold.sanctions.selectors import active_ban, active_suspension
from fanfold.sanctions.services import member_ban, member_suspend, member_warn, sanction_lift
from fanfold.works.models import Work
from fanfold.works.staff_services import work_set_hidden

pytestmark = pytest.mark.django_db

SOON = datetime.timedelta(days=7)


def in_a_week():
    return timezone.now() + SOON


@pytest.mark.parametrize("role", [None, "wrangler", "support"])
def test_each_non_moderator_role_is_refused(make_staff, make_user, role):
    actor = make_staff(*([role] if role else []))
    member = make_user()
    for sanction in (
        lambda: member_warn(actor=actor, member=member, reason="r"),
        lambda: member_suspend(actor=actor, member=member, until=in_a_week(), reason="r"),
        lambda: member_ban(actor=actor, member=member, reason="r", hide_works=True),
    ):
        with pytest.raises(PermissionDenied):
            sanction()
    warning = member_warn(actor=make_staff("moderator"), member=member, reason="r")
    with pytest.raises(PermissionDenied):
        sanction_lift(actor=actor, sanction=warning)
    assert Sanction.objects.count() == 1


def test_moderators_cannot_sanction_staff_or_themselves(make_staff, moderator):
    with pytest.raises(PermissionDenied):
        member_warn(actor=moderator, member=moderator, reason="r")
    with pytest.raises(PermissionDenied):
        member_ban(actor=moderator, member=make_staff("support"), reason="r", hide_works=False)
    admin = make_staff("administrator")
    member_warn(actor=admin, member=moderator, reason="Be kinder in the queue.")


def test_a_warning_is_recorded_audited_and_mailed(
    make_user, moderator, django_capture_on_commit_callbacks
):
    member = make_user("wren")
    with django_capture_on_commit_callbacks(execute=True):
        warning = member_warn(actor=moderator, member=member, reason="No spoilers in tags.")
    assert warning.kind == SanctionKind.WARNING and warning.created_by == moderator
    entry = AuditEntry.objects.exclude(action="role.change").get()
    assert (entry.action, entry.member, entry.reason) == (
        "member.warn",
        member,
        "No spoilers in tags.",
    )
    [message] = mail.outbox
    assert message.to == ["wren@example.org"] and "No spoilers in tags." in message.body


def test_a_reason_is_required(make_user, moderator):
    with pytest.raises(ValidationError):
        member_warn(actor=moderator, member=make_user(), reason="   ")


def test_a_suspension_ends_by_itself(make_user, moderator, django_capture_on_commit_callbacks):
    member = make_user("wren")
    until = in_a_week()
    with django_capture_on_commit_callbacks(execute=True):
        suspension = member_suspend(actor=moderator, member=member, until=until, reason="Spam.")
    assert active_suspension(member) == suspension
    assert active_suspension(member, now=until + datetime.timedelta(seconds=1)) is None
    assert "suspended until" in mail.outbox[0].subject
    assert AuditEntry.objects.exclude(action="role.change").get().action == "member.suspend"


def test_a_suspension_must_end_in_the_future(make_user, moderator):
    with pytest.raises(ValidationError):
        member_suspend(
            actor=moderator, member=make_user(), until=timezone.now(), reason="Too late."
        )


def test_a_ban_hides_the_works_and_lifting_it_shows_exactly_those(
    make_user, make_work, moderator, django_capture_on_commit_callbacks
):
    member = make_user("wren")
    shown = make_work(member, title="Shown")
    already = make_work(member, title="Hidden before")
    other = make_work(make_user(), title="Someone else's")
    work_set_hidden(work=already, hidden=True, actor=moderator, reason="Plagiarism.")
    with django_capture_on_commit_callbacks(execute=True):
        ban = member_ban(actor=moderator, member=member, reason="Harassment.", hide_works=True)
    member.refresh_from_db()
    assert not member.is_active and active_ban(member) == ban
    assert set(Work.objects.visible_to(None)) == {other}
    assert ban.hidden_work_ids == [shown.pk]
    # One mail about the ban, not one per hidden work.
    [message] = mail.outbox
    assert message.subject.endswith("Your account has been banned")
    with django_capture_on_commit_callbacks(execute=True):
        sanction_lift(actor=moderator, sanction=ban, reason="Appeal upheld.")
    member.refresh_from_db()
    assert member.is_active and active_ban(member) is None
    assert set(Work.objects.visible_to(None)) == {other, shown}
    assert "lifted" in mail.outbox[-1].subject and "Appeal upheld." in mail.outbox[-1].body
    assert [e.action for e in AuditEntry.objects.filter(member=member).order_by("pk")] == [
        "work.hide",
        "work.hide",
        "member.ban",
        "work.unhide",
        "sanction.lift",
    ]


def test_a_ban_that_keeps_the_works(make_user, make_work, moderator):
    member = make_user()
    work = make_work(member)
    member_ban(actor=moderator, member=member, reason="Spam.", hide_works=False)
    assert list(Work.objects.visible_to(None)) == [work]
    with pytest.raises(ValidationError):
        member_ban(actor=moderator, member=member, reason="Again.", hide_works=False)


def test_lifting_twice_is_refused(make_user, moderator):
    warning = member_warn(actor=moderator, member=make_user(), reason="r")
    sanction_lift(actor=moderator, sanction=warning)
    with pytest.raises(ValidationError):
        sanction_lift(actor=moderator, sanction=warning)
