"""The lockdown switches as visitors meet them, cached guest pages included."""

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.accounts.models import User
from fanfold.archive.lockdown import (
    GUEST_COMMENTS_PAUSED,
    GUEST_KUDOS_PAUSED,
    GUESTS_PAUSED,
    READ_ONLY,
    READ_ONLY_STAFF,
    SIGNUP_PAUSED,
)
from fanfold.comments.models import Comment
from fanfold.kudos.models import Kudos
from fanfold.staff.roles import Role

pytestmark = pytest.mark.django_db


def guest_comment(work, **extra):
    return {
        "chapter": work.chapters.get().pk,
        "guest_name": "Wanderer",
        "guest_email": "w@example.org",
        "body": "Such a calm harbour.",
        **extra,
    }


def test_paused_guests_cannot_comment_leave_kudos_or_sign_up(
    client, make_work, site_settings, stamped
):
    work = make_work()
    site_settings(guests_paused=True)
    response = client.post(reverse("comments:new", args=[work.pk]), stamped(guest_comment(work)))
    assert response.status_code == 403 and GUEST_COMMENTS_PAUSED in response.text
    assert "Such a calm harbour." in response.text  # what they typed is still there
    response = client.post(reverse("kudos:create", args=[work.pk]), follow=True)
    assert GUEST_KUDOS_PAUSED in response.text
    signup = {
        "username": "Wren",
        "email": "wren@example.org",
        "password1": "lamp-oil-and-salt",
        "password2": "lamp-oil-and-salt",
    }
    response = client.post(reverse("accounts:signup"), stamped(signup))
    assert response.status_code == 403 and SIGNUP_PAUSED in response.text
    assert not Comment.objects.exists() and not Kudos.objects.exists()
    assert not User.objects.filter(username="Wren").exists()


def test_members_carry_on_while_guests_are_paused(
    client, make_user, make_work, site_settings, stamped
):
    work = make_work()
    site_settings(guests_paused=True)
    client.force_login(make_user())
    response = client.post(
        reverse("comments:new", args=[work.pk]),
        stamped({"chapter": work.chapters.get().pk, "body": "Still here."}),
    )
    assert response.status_code == 302
    client.post(reverse("kudos:create", args=[work.pk]))
    assert Comment.objects.count() == 1 and Kudos.objects.count() == 1
    assert GUESTS_PAUSED not in client.get("/").text


def test_cached_guest_pages_show_the_pause_at_once(make_work, site_settings):
    work = make_work()
    url = work.chapters.get().get_absolute_url()
    Client().get(url)
    before = Client().get(url)
    assert before["X-Page-Cache"] == "hit" and 'id="add_comment"' in before.text
    site_settings(guests_paused=True)
    after = Client().get(url)
    assert GUESTS_PAUSED in after.text and GUEST_COMMENTS_PAUSED in after.text
    assert 'id="add_comment"' not in after.text and 'id="new_kudo"' not in after.text
    # And back: the switch is part of what the cached copy depends on.
    site_settings(guests_paused=False)
    again = Client().get(url)
    assert GUESTS_PAUSED not in again.text and 'id="add_comment"' in again.text


def test_read_only_refuses_members_and_guests_but_not_staff(
    client, make_user, make_work, site_settings, stamped
):
    work = make_work()
    site_settings(read_only=True)
    data = stamped({"chapter": work.chapters.get().pk, "body": "Hello?"})
    client.force_login(make_user())
    response = client.post(reverse("comments:new", args=[work.pk]), data)
    assert response.status_code == 403 and READ_ONLY in response.text
    guest = Client()
    response = guest.post(reverse("kudos:create", args=[work.pk]))
    assert response.status_code == 403 and READ_ONLY in response.text
    client.force_login(make_user(roles=[Role.MODERATOR]))
    assert client.post(reverse("comments:new", args=[work.pk]), data).status_code == 302
    assert READ_ONLY_STAFF in client.get("/").text
    assert Comment.objects.count() == 1 and not Kudos.objects.exists()


def test_cached_guest_pages_carry_the_read_only_banner(make_work, site_settings):
    work = make_work()
    url = work.chapters.get().get_absolute_url()
    Client().get(url)
    assert READ_ONLY not in Client().get(url).text
    site_settings(read_only=True)
    page = Client().get(url)
    assert READ_ONLY in page.text
    assert READ_ONLY in Client().get(url).text  # the cached copy, too
