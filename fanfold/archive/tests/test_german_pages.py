"""No English left on German pages: every page the archive answers with, walked as a
German guest, a German member (the author) and German staff, forms posted empty so
their errors show too, is checked for English a German reader should not see
(`english_left`: our catalogue's English, and sentences nobody marked).

What is content, not interface, is allowed through: tag names (AO3's canonical
ratings and warnings are tags), the site's own pages and report reasons, which staff
write in the archive's language, and the names the test archive was built with.
"""

from __future__ import annotations

import pytest
from django.test import Client

from fanfold.archive.tests.english_left import english_left, visible_texts
from fanfold.archive.tests.test_rendered_pages import _pages, archive  # noqa: F401 (fixture)
from fanfold.pages.models import Page
from fanfold.reports.models import ReportReason
from fanfold.tags.models import Tag

pytestmark = pytest.mark.django_db


def _content() -> frozenset[str]:
    names = {
        *Tag.objects.values_list("name", flat=True),
        *Page.objects.values_list("title", flat=True),
    }
    for label, description in ReportReason.objects.values_list("label", "description"):
        names |= {label, description}
    return frozenset(" ".join(name.split()) for name in names if name)


def test_no_english_on_any_german_page(archive):  # noqa: F811 (the fixture)
    pages = _pages(archive, "de")
    # The walk reaches what a reader, an author and staff see, not only error pages.
    for url in (
        "guest GET /works",
        "author GET /works/new",
        "author POST /works/new",
        "staff GET /staff/settings",
        "staff GET /staff/audit",
        "guest GET /login",
    ):
        assert url in pages, sorted(pages)[:20]
    assert len(pages) > 150
    allowed = _content()
    left = {
        url: found for url, html in pages.items() if (found := english_left(html, "de", allowed))
    }
    assert left == {}


def test_the_check_finds_english_it_is_meant_to_find(archive):  # noqa: F811 (the fixture)
    """The same pages in English are caught, and so are an unmarked sentence and a
    marked one left untranslated, dropped into a German page."""
    values, author, _staff = archive
    german, english = Client(), Client()
    german.cookies["fanfold_language"] = "de"
    work = f"/works/{values['work_id']}"
    for client in (german, english):
        client.force_login(author)
    allowed = _content()
    for url in (work, "/works/new", "/inbox"):
        assert english_left(english.get(url).content.decode(), "de", allowed), url
        assert english_left(german.get(url).content.decode(), "de", allowed) == [], url
    page = german.get(work).content.decode()
    assert len(visible_texts(page)) > 50  # the page is read, not skipped
    unmarked = page.replace("</main>", "<p>This work has been moved to the archive.</p></main>")
    untranslated = page.replace("</main>", "<button>Mark for later</button></main>")
    attribute = page.replace("</main>", '<a href="/" title="Subscribe to this work">x</a></main>')
    assert english_left(unmarked, "de", allowed) == ["This work has been moved to the archive."]
    assert english_left(untranslated, "de", allowed) == ["Mark for later"]
    assert english_left(attribute, "de", allowed) == ["Subscribe to this work"]


def test_a_missing_work_is_said_in_german(client):
    client.cookies["fanfold_language"] = "de"
    response = client.get("/works/999999")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Dieses Werk gibt es nicht." in page and '<html lang="de"' in page
    assert english_left(page, "de", _content()) == []


def test_djangos_own_404_message_is_not_shown(client, make_user):
    # get_object_or_404 says "No User matches the given query." in English.
    client.cookies["fanfold_language"] = "de"
    response = client.get("/users/nobody-here")
    assert response.status_code == 404
    assert "matches the given query" not in response.content.decode()
