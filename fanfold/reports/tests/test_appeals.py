"""Appeals: once per action, from a signed link, back into the queue; granting undoes
the action through the app that made it."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fanfold.audit.models import AuditEntry
from fanfold.comments.services import comment_set_hidden
from fanfold.reports.actions import ActionFields, action_take, appeal_token, appeal_url
from fanfold.reports.appeals import action_for_token, appeal_assign, appeal_create, appeal_decide
from fanfold.reports.models import ActionKind, Appeal, ModerationAction, ReportStatus
from fanfold.sanctions.selectors import active_suspension

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(member_comment, file_report, moderator):
    report = file_report("comment", member_comment.pk)
    return action_take(
        report=report, actor=moderator, data=ActionFields(kind=ActionKind.HIDE, reason="Insults.")
    )


def test_the_link_names_the_action_and_cannot_be_forged(hidden):
    token = appeal_token(hidden)
    assert action_for_token(token) == hidden
    assert action_for_token(token[:-2] + "xx") is None
    assert action_for_token("not-a-token") is None


def test_a_member_appeals_once_and_it_is_audited(hidden):
    writer = hidden.member
    appeal = appeal_create(action=hidden, text="It was a joke between friends.", sender=writer)
    assert appeal.status == ReportStatus.OPEN
    entry = AuditEntry.objects.get(action="appeal.create")
    assert entry.actor == writer and entry.member == writer
    with pytest.raises(ValidationError):
        appeal_create(action=hidden, text="And another thing.", sender=writer)
    with pytest.raises(ValidationError):
        appeal_create(action=hidden, text="   ", sender=writer)
    assert Appeal.objects.count() == 1


def test_granting_unhides_and_tells_the_member(
    hidden, moderator, django_capture_on_commit_callbacks
):
    appeal = appeal_create(action=hidden, text="Context matters.", sender=None)
    appeal_assign(appeal=appeal, actor=moderator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appeal_decide(appeal=appeal, actor=moderator, grant=True, answer="You are right.")
    comment = hidden.member.comments.get()
    assert not comment.hidden_by_admin
    hidden.refresh_from_db()
    assert hidden.reversed_at is not None
    appeal.refresh_from_db()
    assert appeal.status == ReportStatus.RESOLVED and appeal.granted
    [answer] = mail.outbox
    assert answer.to == [hidden.member.email] and "granted your appeal" in answer.body
    assert {"appeal.assign", "appeal.grant", "comment.unhide"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )
    with pytest.raises(ValidationError):
        appeal_decide(appeal=appeal, actor=moderator, grant=False, answer="Changed my mind.")


def test_upholding_keeps_the_suspension(member_comment, file_report, moderator):
    report = file_report("comment", member_comment.pk)
    writer = member_comment.user
    action = action_take(
        report=report,
        actor=moderator,
        data=ActionFields(
            kind=ActionKind.SUSPEND,
            reason="Abuse.",
            member=writer,
            until=timezone.now() + datetime.timedelta(days=3),
        ),
    )
    appeal = appeal_create(action=action, text="Please reconsider.", sender=writer)
    appeal_decide(appeal=appeal, actor=moderator, grant=False, answer="It stands.")
    assert active_suspension(writer) is not None
    appeal.refresh_from_db()
    assert appeal.status == ReportStatus.DISMISSED


def test_granting_a_suspension_appeal_lifts_it(member_comment, file_report, moderator):
    report = file_report("comment", member_comment.pk)
    writer = member_comment.user
    action = action_take(
        report=report,
        actor=moderator,
        data=ActionFields(
            kind=ActionKind.SUSPEND,
            reason="Abuse.",
            member=writer,
            until=timezone.now() + datetime.timedelta(days=3),
        ),
    )
    appeal = appeal_create(action=action, text="Wrong account.", sender=writer)
    appeal_decide(appeal=appeal, actor=moderator, grant=True, answer="Sorry, lifted.")
    assert active_suspension(writer) is None


def test_support_cannot_decide_appeals(hidden, make_staff):
    appeal = appeal_create(action=hidden, text="Please.", sender=None)
    support = make_staff("support")
    with pytest.raises(PermissionDenied):
        appeal_decide(appeal=appeal, actor=support, grant=True, answer="ok")
    with pytest.raises(PermissionDenied):
        appeal_assign(appeal=appeal, actor=support)


def test_a_comment_hidden_outside_the_queue_can_be_appealed_from_its_page(
    client, member_comment, moderator, make_user
):
    comment_set_hidden(comment=member_comment, hidden=True, actor=moderator, reason="Rude.")
    writer = member_comment.user
    url = reverse("reports:appeal_hidden", args=["comment", member_comment.pk])
    assert client.get(url).status_code == 302  # guests log in first
    client.force_login(make_user("stranger"))
    assert client.get(url).status_code == 404
    client.force_login(writer)
    assert url in client.get(member_comment.get_absolute_url()).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and b"Rude." in page.content
    assert not ModerationAction.objects.exists()  # nothing recorded by looking
    response = client.post(url, {"text": "Please look again."})
    action = ModerationAction.objects.get()
    assert (action.kind, action.actor, action.member, action.reason) == (
        ActionKind.HIDE,
        moderator,
        writer,
        "Rude.",
    )
    assert response["Location"] == appeal_url(action)
    assert Appeal.objects.get().action == action
    # Back on the link, the member lands on their appeal.
    assert client.get(url)["Location"] == appeal_url(action)
    # Once it is visible again there is nothing to appeal.
    comment_set_hidden(comment=member_comment, hidden=False, actor=moderator)
    assert client.get(url).status_code == 404


def test_hidden_content_from_the_queue_links_to_its_action(client, hidden):
    client.force_login(hidden.member)
    url = reverse("reports:appeal_hidden", args=["comment", hidden.object_id])
    assert client.get(url)["Location"] == appeal_url(hidden)
