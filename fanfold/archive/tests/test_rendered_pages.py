"""What every page prints, rendered: the resolver's URL list filled with a small archive's
ids and names, fetched as a guest, a member and staff (so staff-only pages are walked
too), and forms posted empty so their error states render."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from fanfold.accounts.services import user_set_language
from fanfold.archive.tests.test_malformed_requests import ROUTES, _fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(small_archive):
    a = small_archive
    values = {
        "work_id": a.work.pk,
        "chapter_id": a.chapter.pk,
        "comment_id": a.comment.pk,
        "series_id": a.series_id,
        "username": "author",
        "pseud": "author",
        "name": "Fluff",
        "slug": "rules",
        "kind": "work",
        "object_id": a.work.pk,
    }
    return {k: str(v) for k, v in values.items()}, a.author, a.staff


def _posts_to_itself(html: str, url: str) -> bool:
    # The header's log-out and the footer's display forms are on every page; only a
    # form the page posts back to itself has errors of its own to show.
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>", html)
    return any("action=" not in f or f'action="{url}"' in f or 'action=""' in f for f in forms)


def _pages(archive, language: str = "") -> dict[str, str]:
    """Every HTML page the archive answers with, by URL and viewer (in `language`: the
    guest by the language menu's cookie, the member and staff by their preference)."""
    values, author, staff = archive
    guest, member, admin = Client(), Client(), Client()
    if language:
        guest.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for user in (author, staff):
            user_set_language(user=user, language=language)
    member.force_login(author)
    admin.force_login(staff)
    pages = {}
    urls = [_fill(route, values) for route, _ in ROUTES if not route.startswith("admin/")]
    viewers = (("guest", guest), ("author", member), ("staff", admin))
    for url in urls:
        for who, client in viewers:
            response = client.get(url)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                pages[f"{who} GET {url}"] = response.content.decode()
    # Then each form a member was shown, posted empty, so its errors render (after every
    # GET: an empty POST may delete what a later page shows). Guests' are the same forms.
    for key in [k for k in pages if not k.startswith("guest")]:
        who, _, url = key.split(" ", 2)
        if _posts_to_itself(pages[key], url):
            response = dict(viewers)[who].post(url)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                pages[f"{who} POST {url}"] = response.content.decode()
    return pages


def test_no_page_prints_a_template_comment_or_loses_the_site_name(archive):
    # Django's {# #} is one line only; one spanning lines is printed on the page as text.
    pages = _pages(archive)
    # The walk reaches the page types a reader and staff see (not only error pages).
    for url in ("guest GET /works", "author POST /works/new", "staff GET /staff/reports"):
        assert url in pages, sorted(pages)[:20]
    assert any("/chapters/" in url for url in pages)
    printed = [url for url, html in pages.items() if "{#" in html or "#}" in html]
    assert not printed, printed
    # One walk, two checks (the walk is the slow part): a view whose context names its
    # own "site" (Django's login view did) hides the archive's name from the layout.
    nameless = [url for url, html in pages.items() if "> runs on Fanfold." in html]
    assert not nameless, nameless
