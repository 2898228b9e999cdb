"""The time trap and honeypot every public form shares (fanfold.archive.forms)."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.accounts.models import User
from fanfold.archive.forms import (
    BROKEN_MESSAGE,
    EXPIRED_MESSAGE,
    HONEYPOT_MESSAGE,
    STAMP_MAX_AGE,
    TOO_FAST_MESSAGE,
    form_stamp,
    stamp_problem,
)
from fanfold.comments.models import Comment

SIGNUP = {
    "username": "Wren",
    "email": "wren@example.org",
    "password1": "lamp-oil-and-salt",
    "password2": "lamp-oil-and-salt",
}


@pytest.fixture
def trap(settings):
    settings.FORM_MIN_SECONDS = 3


def stamp_in(html: str) -> str:
    return re.search(r'name="form_stamp" value="([^"]+)"', html).group(1)


def test_a_stamp_is_good_from_a_few_seconds_to_a_day(trap):
    now = time.time()
    stamp = form_stamp(now)
    assert stamp_problem(stamp, now + 1) == TOO_FAST_MESSAGE
    assert stamp_problem(stamp, now + 4) is None
    assert stamp_problem(stamp, now + STAMP_MAX_AGE - 1) is None
    assert stamp_problem(stamp, now + STAMP_MAX_AGE + 1) == EXPIRED_MESSAGE


def test_forged_missing_or_future_stamps_are_refused(trap):
    now = time.time()
    moment, signature = form_stamp(now - 60).split(":")
    assert stamp_problem(f"{int(moment) - 600}:{signature}", now) == BROKEN_MESSAGE
    assert stamp_problem("", now) == BROKEN_MESSAGE
    assert stamp_problem(form_stamp(now + 3600), now) == BROKEN_MESSAGE


@pytest.mark.django_db
def test_an_instant_sign_up_is_refused_keeping_what_was_typed(client, trap, mailoutbox):
    stamp = stamp_in(client.get(reverse("accounts:signup")).text)
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "form_stamp": stamp})
    assert response.status_code == 400
    assert TOO_FAST_MESSAGE in response.text
    assert 'value="Wren"' in response.text and 'value="wren@example.org"' in response.text
    assert not User.objects.exists() and not mailoutbox
    # The same form, sent again once a person could have filled it in, goes through.
    late = {**SIGNUP, "form_stamp": form_stamp(time.time() - 5)}
    assert client.post(reverse("accounts:signup"), late).status_code == 302
    assert User.objects.filter(username="Wren").exists()


@pytest.mark.django_db
def test_a_filled_honeypot_refuses_a_sign_up(client, stamped):
    response = client.post(reverse("accounts:signup"), stamped({**SIGNUP, "website": "x.example"}))
    assert response.status_code == 400 and HONEYPOT_MESSAGE in response.text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_an_instant_comment_is_refused_keeping_what_was_typed(client, make_work, trap):
    work = make_work()
    chapter = work.chapters.get()
    stamp = stamp_in(client.get(chapter.get_absolute_url()).text)
    data = {
        "chapter": chapter.pk,
        "guest_name": "Quick",
        "guest_email": "q@example.org",
        "body": "Lovely harbour scenes.",
        "form_stamp": stamp,
    }
    response = client.post(reverse("comments:new", args=[work.pk]), data)
    assert response.status_code == 400
    assert TOO_FAST_MESSAGE in response.text and "Lovely harbour scenes." in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_cached_pages_give_each_visitor_a_stamp_of_their_own(
    make_work, trap, monkeypatch, settings
):
    """The page cache must not freeze one stamp into the page: a bot fetching a page
    cached a minute ago would otherwise post at once with an old enough stamp."""
    settings.PAGE_CACHE_SECONDS = 3600
    work = make_work()
    url = work.chapters.get().get_absolute_url()
    clock = [time.time() - 60]
    monkeypatch.setattr("fanfold.archive.forms.time.time", lambda: clock[0])
    first = Client().get(url)
    clock[0] += 60
    second = Client().get(url)
    assert second["X-Page-Cache"] == "hit"
    old, fresh = stamp_in(first.text), stamp_in(second.text)
    assert old != fresh
    assert stamp_problem(fresh, clock[0]) == TOO_FAST_MESSAGE
    assert stamp_problem(old, clock[0]) is None
