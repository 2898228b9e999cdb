"""Signing up, confirming the address, logging in and out, rate limits, passwords."""

import time

import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from fanfold.accounts.models import User
from fanfold.accounts.services import user_change_email
from fanfold.accounts.tests.conftest import link_in
from fanfold.accounts.tokens import make_email_token
from fanfold.archive.forms import form_stamp

pytestmark = pytest.mark.django_db

SIGNUP = {
    "username": "Wren",
    "email": "wren@example.org",
    "password1": "lamp-oil-and-salt",
    "password2": "lamp-oil-and-salt",
    # As a person sends the form: shown a minute ago, honeypot empty.
    "form_stamp": form_stamp(time.time() - 60),
}


def test_signup_page_has_csrf_token(client):
    page = client.get(reverse("accounts:signup")).text
    assert "csrfmiddlewaretoken" in page


def test_signup_creates_member_logs_in_and_sends_one_link(client, mailoutbox):
    response = client.post(reverse("accounts:signup"), SIGNUP, follow=True)
    user = User.objects.get()
    assert (user.username, user.email, user.email_verified) == ("Wren", "wren@example.org", False)
    assert user.default_pseud.name == "Wren"
    assert get_user(client).pk == user.pk
    assert "We have sent a link to wren@example.org" in response.text
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["wren@example.org"]

    response = client.get(link_in(mailoutbox[0], "/verify-email/"), follow=True)
    user.refresh_from_db()
    assert user.email_verified
    assert "wren@example.org is confirmed" in response.text


def test_signup_survives_a_mail_outage(client, monkeypatch, mailoutbox):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("fanfold.accounts.emails.send_mail", refuse)
    response = client.post(reverse("accounts:signup"), SIGNUP, follow=True)
    assert User.objects.filter(username="Wren").exists()
    assert get_user(client).is_authenticated
    assert "could not send the confirmation e-mail" in response.text


def test_invalid_signup_keeps_what_was_typed(client, mailoutbox):
    data = {**SIGNUP, "email": "wren@example.org", "password2": "something-else-entirely"}
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 200
    assert 'value="Wren"' in response.text and 'value="wren@example.org"' in response.text
    assert "The two passwords are different." in response.text
    assert "lamp-oil-and-salt" not in response.text
    assert not User.objects.exists() and not mailoutbox


def test_signup_applies_password_validators(client):
    data = {**SIGNUP, "password1": "12345678", "password2": "12345678"}
    response = client.post(reverse("accounts:signup"), data)
    assert "form-errors" in response.text and not User.objects.exists()


def test_signup_refuses_a_name_taken_in_other_capitals(client, make_user):
    make_user("wren")
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert "That user name is taken." in response.text
    assert User.objects.count() == 1


def test_verify_with_bad_token_explains_and_offers_a_new_link(client, make_user):
    client.force_login(make_user())
    response = client.get(reverse("accounts:verify_email", args=["not-a-real-token"]))
    assert response.status_code == 400
    assert "This link is not valid" in response.text
    assert reverse("accounts:verify_email_resend") in response.text
    assert "csrfmiddlewaretoken" in response.text


def test_link_for_a_previous_address_does_not_verify(client, make_user):
    user = make_user(email="old@example.org")
    token = make_email_token(user)
    user_change_email(user=user, email="new@example.org")
    response = client.get(reverse("accounts:verify_email", args=[token]))
    assert response.status_code == 400 and "no longer on the account" in response.text
    user.refresh_from_db()
    assert not user.email_verified


def test_send_link_again(client, make_user, mailoutbox):
    user = make_user(email="wren@example.org")
    client.force_login(user)
    response = client.post(reverse("accounts:verify_email_resend"))
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    client.get(link_in(mailoutbox[0], "/verify-email/"))
    user.refresh_from_db()
    assert user.email_verified


def test_send_link_again_needs_post_and_login(client, make_user):
    assert client.post(reverse("accounts:verify_email_resend")).status_code == 302
    client.force_login(make_user())
    assert client.get(reverse("accounts:verify_email_resend")).status_code == 405


def test_login_ignores_capitals_in_the_user_name(client, make_user):
    user = make_user("Wren", password="lamp-oil-and-salt")
    response = client.post(
        reverse("accounts:login"), {"username": "wREN", "password": "lamp-oil-and-salt"}
    )
    assert response.status_code == 302
    assert get_user(client).pk == user.pk


def test_failed_login_keeps_the_user_name(client, make_user):
    make_user("wren", password="lamp-oil-and-salt")
    response = client.post(reverse("accounts:login"), {"username": "wren", "password": "wrong"})
    assert response.status_code == 200
    assert 'value="wren"' in response.text and "do not match" in response.text
    assert not get_user(client).is_authenticated


def test_login_follows_next(client, make_user):
    make_user("wren", password="lamp-oil-and-salt")
    url = reverse("accounts:login") + "?next=/preferences"
    assert 'name="next" value="/preferences"' in client.get(url).text
    response = client.post(
        url, {"username": "wren", "password": "lamp-oil-and-salt", "next": "/preferences"}
    )
    assert response["Location"] == "/preferences"


def test_logout(client, make_user):
    client.force_login(make_user())
    response = client.post(reverse("accounts:logout"), follow=True)
    assert not get_user(client).is_authenticated
    assert "You are logged out" in response.text


def test_login_is_rate_limited_per_user_name(client, make_user, enable_ratelimit):
    make_user("wren", password="lamp-oil-and-salt")
    url = reverse("accounts:login")
    for attempt in range(5):
        name = "wren" if attempt % 2 else "WREN"  # capitals share one counter
        assert client.post(url, {"username": name, "password": "nope"}).status_code == 200
    response = client.post(url, {"username": "wren", "password": "lamp-oil-and-salt"})
    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert not get_user(client).is_authenticated


def test_login_is_rate_limited_per_address(client, enable_ratelimit):
    url = reverse("accounts:login")
    for attempt in range(10):
        data = {"username": f"guess{attempt}", "password": "nope"}
        assert client.post(url, data).status_code == 200
    assert client.post(url, {"username": "another", "password": "nope"}).status_code == 429
    # Reading the page is not an attempt.
    assert client.get(url).status_code == 200


def test_signup_is_rate_limited_per_address(client, enable_ratelimit):
    url = reverse("accounts:signup")
    for attempt in range(5):
        data = {**SIGNUP, "username": f"member{attempt}"}
        client.post(url, data)
        client.logout()
    response = client.post(url, {**SIGNUP, "username": "onemore"})
    assert response.status_code == 429
    assert User.objects.count() == 5


def test_password_reset_by_mail(client, make_user, mailoutbox):
    make_user("wren", email="wren@example.org", password="old-lamp-oil")
    response = client.post(reverse("accounts:password_reset"), {"email": "WREN@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1 and "wren" in mailoutbox[0].body

    response = client.get(link_in(mailoutbox[0], "/password-reset/"), follow=True)
    assert 'name="new_password1"' in response.text
    new = {"new_password1": "fresh-harbour-wind", "new_password2": "fresh-harbour-wind"}
    response = client.post(response.redirect_chain[-1][0], new)
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert client.login(username="wren", password="fresh-harbour-wind")


def test_password_reset_for_unknown_address_looks_the_same(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "who@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert not mailoutbox


def test_password_reset_with_bad_link(client, make_user):
    user = make_user(password="old-lamp-oil")
    url = reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"])
    response = client.get(url)
    assert "This link cannot be used" in response.text
    assert reverse("accounts:password_reset") in response.text
    user.refresh_from_db()
    assert user.check_password("old-lamp-oil")


def test_password_change(client, make_user):
    user = make_user("wren", password="old-lamp-oil")
    client.force_login(user)
    data = {
        "old_password": "old-lamp-oil",
        "new_password1": "fresh-harbour-wind",
        "new_password2": "fresh-harbour-wind",
    }
    response = client.post(reverse("accounts:password_change"), data, follow=True)
    assert "Your password is changed" in response.text
    assert get_user(client).is_authenticated  # this session survives the change
    user.refresh_from_db()
    assert user.check_password("fresh-harbour-wind")


def test_password_change_with_wrong_current_password(client, make_user):
    client.force_login(make_user(password="old-lamp-oil"))
    data = {"old_password": "nope", "new_password1": "x-y-z-1234", "new_password2": "x-y-z-1234"}
    response = client.post(reverse("accounts:password_change"), data)
    assert "That is not your current password." in response.text


def test_password_change_needs_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and "/login" in response["Location"]
