"""What every page prints, rendered: the resolver's URL list filled with a small archive's
ids and names, fetched as a guest, a member and staff (so staff-only pages are walked
too), and forms posted empty so their error states render."""

from __future__ import annotations

import pytest
from django.test import Client

from fanfold.archive.tests.test_malformed_requests import ROUTES, _fill
from fanfold.comments.services import CommentFields, comment_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(make_user, make_work):
    author = make_user("author")
    work = make_work(author, chapters=2, series_title="A Series", freeforms=["Fluff"])
    chapter = work.chapters.first()
    comment = comment_create(
        work=work, user=make_user(), chapter=chapter, data=CommentFields(body="Lovely.")
    )
    staff = make_user("staffer", is_staff=True, is_superuser=True)
    values = {
        "work_id": work.pk,
        "chapter_id": chapter.pk,
        "comment_id": comment.pk,
        "series_id": work.serial_works.first().series_id,
        "username": "author",
        "pseud": "author",
        "name": "Fluff",
        "slug": "rules",
        "kind": "work",
        "object_id": work.pk,
    }
    return {k: str(v) for k, v in values.items()}, author, staff


def _pages(archive) -> dict[str, str]:
    """Every HTML page the archive answers with, by URL and viewer."""
    values, author, staff = archive
    guest, member, admin = Client(), Client(), Client()
    member.force_login(author)
    admin.force_login(staff)
    pages = {}
    urls = [_fill(route, values) for route, _ in ROUTES if not route.startswith("admin/")]
    # Every GET first: an empty POST may delete what a later page shows (or log out).
    for method in ("get", "post"):
        for url in urls:
            if url == "/logout":
                continue
            for who, client in (("guest", guest), ("author", member), ("staff", admin)):
                if method == "post" and who == "guest":
                    continue  # a guest's empty POST is refused or the same form as GET
                response = getattr(client, method)(url)
                if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    pages[f"{who} {method.upper()} {url}"] = response.content.decode()
    return pages


def test_no_page_prints_a_template_comment_or_loses_the_site_name(archive):
    # Django's {# #} is one line only; one spanning lines is printed on the page as text.
    pages = _pages(archive)
    # The walk reaches the page types a reader and staff see (not only error pages).
    for url in ("guest GET /works", "author GET /works/new", "staff GET /staff/reports"):
        assert url in pages, sorted(pages)[:20]
    assert any("/chapters/" in url for url in pages)
    printed = [url for url, html in pages.items() if "{#" in html or "#}" in html]
    assert not printed, printed
    # One walk, two checks (the walk is the slow part): a view whose context names its
    # own "site" (Django's login view did) hides the archive's name from the layout.
    nameless = [url for url, html in pages.items() if "> runs on Fanfold." in html]
    assert not nameless, nameless
