"""Which language a reader gets: member preference, cookie, browser, site default, English;
and a cached page never crosses from one language to another."""

from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from fanfold.accounts.services import user_set_language
from fanfold.archive.language import from_accept_language, language_for
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db

GERMAN = "Zum Inhalt springen"
ENGLISH = "Skip to content"
FRENCH = "Aller au contenu"


def _page(client: Client, path: str = "/", **headers) -> str:
    response = client.get(path, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_middleware_runs_after_authentication():
    order = settings.MIDDLEWARE
    language = order.index("fanfold.archive.language.LanguageMiddleware")
    assert language > order.index("fanfold.accounts.middleware.MemberSessionMiddleware")


def test_english_by_default(client):
    page = _page(client)
    assert ENGLISH in page and '<html lang="en"' in page


def test_the_cookie_chooses(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = _page(client)
    assert GERMAN in page and '<html lang="de"' in page


def test_an_unknown_cookie_is_ignored(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx-evil"
    assert ENGLISH in _page(client)


def test_the_browser_language_when_the_site_follows_it(client, site_settings):
    assert GERMAN in _page(client, HTTP_ACCEPT_LANGUAGE="de-AT,de;q=0.9,en;q=0.5")
    site_settings(follow_browser_language=False)
    assert ENGLISH in _page(client, HTTP_ACCEPT_LANGUAGE="de-AT,de;q=0.9")


def test_the_site_default_when_the_browser_says_nothing_we_ship(client, site_settings):
    site_settings(default_language="fr")
    assert FRENCH in _page(client, HTTP_ACCEPT_LANGUAGE="ja,ko;q=0.8")
    assert FRENCH in _page(client)


def test_the_cookie_beats_the_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert FRENCH in _page(client, HTTP_ACCEPT_LANGUAGE="de")


def test_a_members_preference_beats_the_cookie(client, make_user):
    member = make_user()
    user_set_language(user=member, language="de")
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert GERMAN in _page(client, HTTP_ACCEPT_LANGUAGE="es")


def test_accept_language_weights():
    assert from_accept_language("en;q=0.2, fr;q=0.9, de;q=0.5") == "fr"
    assert from_accept_language("pt-BR, es-MX;q=0.8") == "es"
    assert from_accept_language("*, ja;q=x") is None


def test_a_database_without_tables_falls_back_to_english(rf):
    request = rf.get("/", HTTP_ACCEPT_LANGUAGE="de")
    with mock.patch(
        "fanfold.archive.models.SiteSettings.current", side_effect=OperationalError("no table")
    ):
        assert language_for(request) == "en"


def test_the_language_menu_sets_the_guests_cookie_and_returns(client):
    response = client.post(reverse("archive:language"), {"language": "de", "next": "/works"})
    assert response.status_code == 302 and response["Location"] == "/works"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    assert GERMAN in _page(client)


def test_the_language_menu_saves_a_members_preference(client, make_user):
    member = make_user()
    client.force_login(member)
    client.post(reverse("archive:language"), {"language": "es", "next": "/"})
    member.refresh_from_db()
    assert member.language == "es"


def test_the_language_menu_refuses_other_sites_and_get(client):
    response = client.post(
        reverse("archive:language"), {"language": "de", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert client.get(reverse("archive:language")).status_code == 405


def test_the_language_menu_needs_csrf():
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("archive:language"), {"language": "de"}).status_code == 403


def test_a_cached_chapter_page_is_kept_per_language(make_work):
    work = make_work(chapters=2)
    second = work.chapters.order_by("position")[1]
    path = reverse("works:chapter", args=[work.pk, second.pk])
    german, english = Client(), Client()
    german.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    first = german.get(path)
    assert first["X-Page-Cache"] == "miss" and GERMAN in first.content.decode()
    second_reader = english.get(path)
    assert second_reader["X-Page-Cache"] == "miss"
    assert ENGLISH in second_reader.content.decode()
    assert GERMAN not in second_reader.content.decode()
    again = german.get(path)
    assert again["X-Page-Cache"] == "hit" and GERMAN in again.content.decode()


def test_a_cached_listing_is_kept_per_language(make_work):
    make_work()
    german, english = Client(), Client()
    german.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert GERMAN in german.get("/works").content.decode()
    assert ENGLISH in english.get("/works").content.decode()


def test_work_text_follows_the_works_language(client, make_work):
    work = make_work(language="ar")
    page = _page(client, work.get_absolute_url())
    assert 'lang="ar" dir="rtl"' in page
    assert '<html lang="en" dir="ltr"' in page


def test_numbers_follow_the_language(make_work):
    work = make_work()
    Work.objects.filter(pk=work.pk).update(word_count=12345)
    german, english = Client(), Client()
    german.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert '<dd class="words">12.345</dd>' in _page(german, work.get_absolute_url())
    assert '<dd class="words">12,345</dd>' in _page(english, work.get_absolute_url())
