"""Wrong passwords typed by others cannot lock a member out of a browser they use."""

import pytest
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse

from fanfold.accounts.devices import DEVICE_COOKIE, DEVICE_MAX_AGE

pytestmark = pytest.mark.django_db
RIGHT = {"username": "wren", "password": "lamp-oil-and-salt"}
WRONG = {"username": "wren", "password": "nope"}


@pytest.fixture
def wren(make_user):
    return make_user("wren", password=RIGHT["password"])


def _known_browser() -> Client:
    browser = Client()
    assert browser.post(reverse("accounts:login"), RIGHT).status_code == 302
    browser.post(reverse("accounts:logout"))
    return browser


def _lock_out(attacker: Client, data=WRONG) -> None:
    for _ in range(5):
        attacker.post(reverse("accounts:login"), data)
    assert attacker.post(reverse("accounts:login"), data).status_code == 429


def test_a_browser_that_logged_in_before_gets_through_a_lockout(wren, enable_ratelimit):
    browser = _known_browser()
    _lock_out(Client(REMOTE_ADDR="203.0.113.9"))
    assert Client().post(reverse("accounts:login"), RIGHT).status_code == 429
    response = browser.post(reverse("accounts:login"), {**RIGHT, "username": "Wren"})
    assert response.status_code == 302
    assert get_user(browser) == wren


def test_a_known_browser_is_still_throttled_for_its_own_failures(wren, enable_ratelimit):
    browser = _known_browser()
    for _ in range(5):
        assert browser.post(reverse("accounts:login"), WRONG).status_code == 200
    assert browser.post(reverse("accounts:login"), RIGHT).status_code == 429


def test_the_cookie_only_helps_the_member_it_names(make_user, wren, enable_ratelimit):
    make_user("heron", password="grey-wings-at-dusk")
    browser = _known_browser()  # knows wren, not heron
    _lock_out(Client(REMOTE_ADDR="203.0.113.9"), {"username": "heron", "password": "nope"})
    response = browser.post(
        reverse("accounts:login"), {"username": "heron", "password": "grey-wings-at-dusk"}
    )
    assert response.status_code == 429


def test_a_forged_cookie_does_not_help(wren, enable_ratelimit):
    _lock_out(Client(REMOTE_ADDR="203.0.113.9"))
    forger = Client()
    forger.cookies[DEVICE_COOKIE] = f"{wren.pk}:made-up"
    assert forger.post(reverse("accounts:login"), RIGHT).status_code == 429


def test_the_cookie_is_long_lived_http_only_and_secure_under_https(wren, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = Client().post(reverse("accounts:login"), RIGHT)
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["secure"]
    assert cookie["max-age"] == DEVICE_MAX_AGE
    assert Client().post(reverse("accounts:login"), WRONG).cookies.get(DEVICE_COOKIE) is None
