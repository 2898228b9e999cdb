"""Members' addresses: recorded at sign-up, login and writes, bounded, and purged."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fanfold.accounts.models import User
from fanfold.accounts.tests.test_views_auth import SIGNUP
from fanfold.sanctions.addresses import address_record
from fanfold.sanctions.models import MemberAddress

pytestmark = pytest.mark.django_db


def test_sign_up_login_and_writes_are_recorded_once_per_address(client, make_work):
    client.post(reverse("accounts:signup"), SIGNUP, REMOTE_ADDR="198.51.100.1")
    wren = User.objects.get(username="Wren")
    assert list(MemberAddress.objects.values_list("ip", "at_signup")) == [("198.51.100.1", True)]
    client.post(reverse("accounts:logout"))
    client.post(
        reverse("accounts:login"),
        {"username": "wren", "password": "lamp-oil-and-salt"},
        REMOTE_ADDR="198.51.100.2",
    )
    work = make_work()
    for _ in range(3):
        client.post(reverse("kudos:create", args=[work.pk]), REMOTE_ADDR="198.51.100.3")
    seen = set(MemberAddress.objects.filter(member=wren).values_list("ip", flat=True))
    assert seen == {"198.51.100.1", "198.51.100.2", "198.51.100.3"}


def test_last_seen_moves_at_most_once_an_hour(make_user):
    member = make_user()
    start = timezone.now()
    address_record(member=member, ip="192.0.2.7", now=start)
    with CaptureQueriesContext(connection) as queries:
        address_record(member=member, ip="192.0.2.7", now=start + datetime.timedelta(minutes=5))
    assert len(queries) == 0  # remembered in the cache
    row = MemberAddress.objects.get()
    assert row.last_seen == start
    later = start + datetime.timedelta(hours=2)
    cache.clear()  # the hour the cache key lasts has passed too
    address_record(member=member, ip="192.0.2.7", now=later)
    row.refresh_from_db()
    assert (row.first_seen, row.last_seen) == (start, later)
    assert MemberAddress.objects.count() == 1


def test_old_addresses_are_purged_after_the_configured_days(make_user, settings):
    settings.MEMBER_ADDRESS_DAYS = 30
    member = make_user()
    now = timezone.now()
    address_record(member=member, ip="192.0.2.1", now=now - datetime.timedelta(days=31))
    address_record(member=member, ip="192.0.2.2", now=now - datetime.timedelta(days=29))
    out = io.StringIO()
    call_command("purge_member_addresses", stdout=out)
    assert list(MemberAddress.objects.values_list("ip", flat=True)) == ["192.0.2.2"]
    assert "Deleted 1 address" in out.getvalue()


def test_the_daily_command_runs_both_purges(make_user, settings):
    settings.MEMBER_ADDRESS_DAYS = 1
    address_record(
        member=make_user(), ip="192.0.2.1", now=timezone.now() - datetime.timedelta(days=2)
    )
    out = io.StringIO()
    call_command("daily", stdout=out)
    assert not MemberAddress.objects.exists()
    assert "spam account" in out.getvalue()
