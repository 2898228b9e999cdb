"""The theme and text size form: a POST with CSRF that works without JavaScript."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _display_form(response) -> dict[str, str]:
    form = BeautifulSoup(response.text, "html.parser").select_one("form.display-form")
    assert form["method"] == "post"
    return {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}


def test_a_get_changes_no_saved_preference(client, make_user):
    member = make_user()
    client.force_login(member)
    response = client.get(reverse("archive:display"), {"theme": "dark", "size": "130"})
    assert response.status_code == 405
    member.refresh_from_db()
    assert (member.theme, member.font_size) == ("auto", 100)


def test_a_get_sets_no_guest_cookie(client):
    response = client.get(reverse("archive:display"), {"theme": "dark", "size": "130"})
    assert response.status_code == 405
    assert not response.cookies


def test_the_form_posts_with_the_members_token(make_user):
    member = make_user()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    fields = _display_form(browser.get(reverse("archive:home")))
    forged = browser.post(reverse("archive:display"), {"theme": "dark", "size": "130"})
    assert forged.status_code == 403
    response = browser.post(reverse("archive:display"), {**fields, "theme": "dark", "size": "130"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.theme, member.font_size) == ("dark", 130)


def test_guests_can_use_the_form_on_a_cached_page(make_work):
    work = make_work()
    Client().get(work.get_absolute_url())  # another guest fills the page cache
    guest = Client(enforce_csrf_checks=True)
    page = guest.get(work.get_absolute_url())
    assert page["X-Page-Cache"] == "hit"
    fields = _display_form(page)
    response = guest.post(reverse("archive:display"), {**fields, "theme": "sepia", "size": "90"})
    assert response["Location"] == work.get_absolute_url() + "#display"
    assert response.cookies["fanfold_theme"].value == "sepia"
    assert response.cookies["fanfold_size"].value == "90"
