"""Asking for invitations, staff batches, the daily automatic round, members' gifts."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fanfold.archive.models import SignupMode
from fanfold.audit.models import AuditEntry
from fanfold.invitations.models import Invitation, InvitationRequest, InvitationSource
from fanfold.invitations.services import (
    NOT_TAKING_REQUESTS,
    invitation_request_create,
    invitation_send_by_member,
    invitations_approve,
    invitations_give,
    invitations_send_due,
)
from fanfold.staff.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite_mode(site_settings):
    return site_settings(signup_mode=SignupMode.INVITE)


def ask(*emails):
    return [invitation_request_create(email=e) for e in emails]


def test_a_visitor_asks_once_and_is_told_so(client, invite_mode, stamped):
    response = client.post(reverse("invitations:request"), stamped({"email": "wren@example.org"}))
    assert "You are on the list" in response.text
    client.post(reverse("invitations:request"), stamped({"email": "WREN@example.org"}))
    assert InvitationRequest.objects.count() == 1


def test_requests_wait_for_invitation_mode(client, site_settings, stamped):
    page = client.get(reverse("invitations:request"))
    assert NOT_TAKING_REQUESTS in page.text
    with pytest.raises(PermissionDenied):
        invitation_request_create(email="wren@example.org")
    response = client.post(reverse("invitations:request"), stamped({"email": "w@example.org"}))
    assert response.status_code == 403 and not InvitationRequest.objects.exists()


def test_a_bot_request_is_refused_keeping_the_address(client, invite_mode, stamped):
    data = stamped({"email": "bot@example.org", "website": "spam.example"})
    response = client.post(reverse("invitations:request"), data)
    assert response.status_code == 400 and 'value="bot@example.org"' in response.text
    assert not InvitationRequest.objects.exists()


def test_staff_approve_a_batch_and_it_is_mailed_and_audited(
    make_user, client, invite_mode, mailoutbox, django_capture_on_commit_callbacks
):
    first, second, third = ask("a@example.org", "b@example.org", "c@example.org")
    moderator = make_user("keeper", roles=[Role.MODERATOR])
    client.force_login(moderator)
    page = client.get(reverse("invitations:staff")).text
    assert "a@example.org" in page and "3 waiting" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("invitations:staff"), {"action": "approve", "requests": [first.pk, third.pk]}
        )
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "c@example.org"]
    assert "/signup?invitation=" in mailoutbox[0].body
    assert list(InvitationRequest.objects.filter(invitation__isnull=True)) == [second]
    entry = AuditEntry.objects.get(action="invitation.approve")
    assert entry.actor_name == "keeper"
    assert sorted(entry.changes["emails"][1]) == ["a@example.org", "c@example.org"]
    # Approving the same requests again sends nothing twice.
    assert invitations_approve(actor=moderator, request_ids=[first.pk]) == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitations:staff"), {"action": "oldest", "oldest": "5"})
    assert len(mailoutbox) == 3 and not InvitationRequest.objects.filter(invitation=None).exists()


def test_only_invitation_staff_reach_the_queue(client, make_user):
    for who, status in ((make_user(), 403), (make_user(roles=[Role.SUPPORT]), 403)):
        client.force_login(who)
        assert client.get(reverse("invitations:staff")).status_code == status
    with pytest.raises(PermissionDenied):
        invitations_approve(actor=make_user(roles=[Role.WRANGLER]), oldest=1)


def test_the_site_sends_its_daily_allowance_oldest_first(
    site_settings, mailoutbox, django_capture_on_commit_callbacks
):
    site_settings(signup_mode=SignupMode.INVITE)
    ask(*[f"reader{n}@example.org" for n in range(5)])
    site_settings(invitations_per_day=2)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        first = invitations_send_due(now=now)
    assert first.sent == 2 and first.next_at is not None
    assert [m.to[0] for m in mailoutbox] == ["reader0@example.org", "reader1@example.org"]
    assert invitations_send_due(now=now + timedelta(hours=23)).sent == 0
    assert invitations_send_due(now=now + timedelta(hours=25)).sent == 2
    last = invitations_send_due(now=now + timedelta(hours=50))
    assert last.sent == 1 and last.next_at is None
    sources = set(Invitation.objects.values_list("source", flat=True))
    assert sources == {InvitationSource.AUTOMATIC}


def test_a_new_request_is_answered_at_once_while_the_allowance_lasts(
    site_settings, mailoutbox, django_capture_on_commit_callbacks
):
    site_settings(signup_mode=SignupMode.INVITE, invitations_per_day=1)
    with django_capture_on_commit_callbacks(execute=True):
        ask("early@example.org", "late@example.org")
    # The task ran on commit (tests' immediate backend): the first got the day's one.
    assert [m.to[0] for m in mailoutbox] == ["early@example.org"]


def test_nothing_is_sent_automatically_outside_invitation_mode(site_settings):
    site_settings(signup_mode=SignupMode.INVITE)
    ask("a@example.org")
    site_settings(signup_mode=SignupMode.OPEN, invitations_per_day=5)
    assert invitations_send_due().sent == 0


def test_members_give_the_invitations_staff_gave_them(
    client, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    member = make_user("mira")
    invitations_give(actor=make_user(roles=[Role.ADMINISTRATOR]), member=member, count=2)
    assert AuditEntry.objects.get(action="invitation.give").changes == {
        "invitations_to_give": [0, 2]
    }
    client.force_login(member)
    assert "You have 2 invitations to give" in client.get(reverse("accounts:preferences")).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitations:mine"), {"email": "friend@example.org"})
    assert (
        mailoutbox[-1].to == ["friend@example.org"]
        and "mira has invited you" in mailoutbox[-1].body
    )
    invitation_send_by_member(member=member, email="other@example.org")
    response = client.post(reverse("invitations:mine"), {"email": "third@example.org"})
    assert response.status_code == 400 and "no invitations left" in response.text
    assert 'value="third@example.org"' in response.text
    with pytest.raises(ValidationError):
        invitation_send_by_member(member=member, email="fourth@example.org")


def test_the_daily_upkeep_sends_the_allowance_too(
    site_settings, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    site_settings(signup_mode=SignupMode.INVITE)
    ask("a@example.org", "b@example.org")
    site_settings(invitations_per_day=1)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("daily", stdout=StringIO(), stderr=StringIO())
    assert [m.to[0] for m in mailoutbox] == ["a@example.org"]
