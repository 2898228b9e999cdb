"""The staff record and member search pages, and the forms on the record."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fanfold.audit.models import AuditEntry
from fanfold.sanctions.addresses import address_record
from fanfold.sanctions.models import Cleanup, Sanction, SanctionKind
from fanfold.sanctions.services import member_warn

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_user):
    return make_user("wren", email="wren@example.org")


def record_url(member) -> str:
    return reverse("sanctions:record", args=[member.username])


@pytest.mark.parametrize(
    "role, status",
    [(None, 403), ("wrangler", 403), ("support", 200), ("moderator", 200), ("administrator", 200)],
)
def test_record_and_search_by_role(client, make_staff, member, role, status):
    client.force_login(make_staff(*([role] if role else [])))
    assert client.get(record_url(member)).status_code == status
    assert client.get(reverse("sanctions:members") + "?q=wren").status_code == status


def test_guests_are_sent_to_log_in(client, member):
    response = client.get(record_url(member))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_support_reads_the_record_but_sees_no_forms_and_cannot_post(client, make_staff, member):
    client.force_login(make_staff("support"))
    page = client.get(record_url(member)).text
    assert "Staff record: wren" in page and "Warn wren" not in page
    url = reverse("sanctions:act", args=["wren", "warn"])
    assert client.post(url, {"warn-reason": "x"}).status_code == 403
    assert not Sanction.objects.exists()


def test_the_record_shows_sanctions_actions_addresses_and_counts(
    client, moderator, member, make_work
):
    make_work(member)
    member_warn(actor=moderator, member=member, reason="Tag your spoilers.")
    client.force_login(moderator)
    page = client.get(record_url(member)).text
    assert "Tag your spoilers." in page and "member.warn" in page
    assert "1 work," in page and "0 comments" in page
    assert "wren@example.org" in page


def test_search_finds_by_name_email_and_address(client, moderator, make_user):
    make_user("Wren Harbour", email="keeper@lighthouse.example")
    other = make_user("someone")
    client.post(
        reverse("accounts:login"),
        {"username": "someone", "password": "a-long-passphrase"},
        REMOTE_ADDR="203.0.113.9",
    )
    client.force_login(moderator)
    search = reverse("sanctions:members")
    assert "Wren Harbour" in client.get(search + "?q=harb").text
    assert "Wren Harbour" in client.get(search + "?q=lighthouse.example").text
    by_address = client.get(search + "?q=203.0.113.9").text
    assert other.username in by_address and "Wren Harbour" not in by_address
    assert "Nobody matches" in client.get(search + "?q=zzzz").text
    assert "Null characters are not allowed" in client.get(search + "?q=%00zz").text


def test_suspend_from_the_record(client, moderator, member):
    client.force_login(moderator)
    until = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("sanctions:act", args=["wren", "suspend"]),
        {"suspend-until": until, "suspend-reason": "Cooling off."},
    )
    assert response.status_code == 302
    assert Sanction.objects.get().kind == SanctionKind.SUSPENSION
    assert "Suspended until" in client.get(record_url(member)).text


def test_an_invalid_form_keeps_what_was_typed(client, moderator, member):
    client.force_login(moderator)
    past = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("sanctions:act", args=["wren", "suspend"]),
        {"suspend-until": past, "suspend-reason": "Typed with care."},
    )
    assert response.status_code == 400
    assert "Typed with care." in response.text and "Choose a time in the future." in response.text
    assert not Sanction.objects.exists()


def test_ban_and_lift_from_the_record(client, moderator, member, make_work):
    work = make_work(member)
    client.force_login(moderator)
    client.post(
        reverse("sanctions:act", args=["wren", "ban"]),
        {"ban-works": "hide", "ban-reason": "Harassment."},
    )
    ban = Sanction.objects.get(kind=SanctionKind.BAN)
    assert ban.hidden_work_ids == [work.pk]
    response = client.post(
        reverse("sanctions:lift", args=[ban.pk]), {f"lift{ban.pk}-reason": "Appeal."}
    )
    assert response.status_code == 302
    ban.refresh_from_db()
    assert ban.lifted_at is not None and ban.lift_reason == "Appeal."
    assert AuditEntry.objects.filter(action="sanction.lift", member=member).exists()


def test_clean_up_needs_the_box_ticked_then_restores(client, moderator, member, make_work):
    make_work(member)
    client.force_login(moderator)
    url = reverse("sanctions:act", args=["wren", "delete_spam"])
    refused = client.post(url, {"delete_spam-reason": "Spam."})
    assert refused.status_code == 400 and "Tick the box" in refused.text
    client.post(url, {"delete_spam-reason": "Spam.", "delete_spam-confirm": "on"})
    cleanup = Cleanup.objects.get()
    assert "Restore" in client.get(record_url(member)).text
    client.post(reverse("sanctions:restore", args=[cleanup.pk]))
    member.refresh_from_db()
    assert member.is_active and Cleanup.objects.get().restored_at is not None


def test_forms_need_csrf(moderator, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    response = client.post(reverse("sanctions:act", args=["wren", "warn"]), {"warn-reason": "x"})
    assert response.status_code == 403 and not Sanction.objects.exists()


def test_unknown_members_actions_and_ids_are_404s_not_errors(client, moderator, member):
    client.force_login(moderator)
    assert client.get(reverse("sanctions:record", args=["nobody"])).status_code == 404
    assert client.post(reverse("sanctions:lift", args=[999])).status_code == 404
    assert client.post(reverse("sanctions:restore", args=[999])).status_code == 404
    response = client.post(reverse("sanctions:act", args=["wren", "explode"]))
    assert response.status_code == 302


def test_the_record_costs_the_same_queries_for_a_long_history(client, moderator, member, make_work):
    client.force_login(moderator)
    member_warn(actor=moderator, member=member, reason="First.")
    client.get(record_url(member))  # warm the session and site settings
    with CaptureQueriesContext(connection) as short:
        client.get(record_url(member))
    for n in range(8):
        member_warn(actor=moderator, member=member, reason=f"Again {n}.")
        address_record(member=member, ip=f"192.0.2.{n + 1}")
    make_work(member)
    with CaptureQueriesContext(connection) as long:
        page = client.get(record_url(member)).text
    assert "Again 7." in page and "192.0.2.8" in page
    assert len(long) == len(short)
