"""Pages: the defaults a new archive has, the footer, staff forms and their rules."""

from __future__ import annotations

import pytest
from django.test import Client

from fanfold.pages.models import Page

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Style guide",
    "slug": "style-guide",
    "text_format": "markdown",
    "body": "Use **British** spelling.",
    "show_in_footer": "on",
    "order": "5",
}


def test_a_new_archive_has_its_pages_in_the_footer(client):
    expected = {"about", "faq", "rules", "terms", "contact"}
    assert set(Page.objects.values_list("slug", flat=True)) == expected
    page = client.get("/").content.decode()
    footer = page[page.index('<footer class="site-footer"') :]
    for slug in expected:
        assert f'href="/pages/{slug}"' in footer
    rules = client.get("/pages/rules").content.decode()
    for subject in ("harassment", "warnings", "plagiarism", "spam", "Report"):
        assert subject in rules
    terms = client.get("/pages/terms").content.decode()
    for subject in ("yours", "licence", "13 years old", "Privacy", "Deleting your account"):
        assert subject in terms


def test_sign_up_links_to_the_rules_and_terms(client):
    page = client.get("/signup").content.decode()
    assert 'href="/pages/rules"' in page and 'href="/pages/terms"' in page


def test_unknown_pages_are_not_found(client):
    assert client.get("/pages/nothing-here").status_code == 404
    assert client.get("/pages/no%20such").status_code == 404


@pytest.mark.parametrize("url", ["/pages/new", "/pages/about/edit", "/pages/about/delete"])
def test_forms_send_guests_to_log_in_and_refuse_members(client, make_user, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login?next=")
    client.force_login(make_user())
    assert client.get(url).status_code == 403
    assert client.post(url, FORM).status_code == 403
    assert Page.objects.filter(slug="about").exists()
    assert not Page.objects.filter(slug="style-guide").exists()


def test_staff_create_edit_and_delete_a_page(client, editor):
    client.force_login(editor)
    response = client.post("/pages/new", FORM)
    assert response["Location"] == "/pages/style-guide"
    page = Client().get("/pages/style-guide").content.decode()
    assert "<strong>British</strong>" in page
    assert 'href="/pages/style-guide">Style guide</a>' in Client().get("/").content.decode()

    client.post("/pages/style-guide/edit", FORM | {"slug": "house-style", "show_in_footer": ""})
    moved = Page.objects.get(slug="house-style")
    assert not moved.show_in_footer
    assert "/pages/house-style" not in Client().get("/").content.decode()

    assert client.get("/pages/house-style/delete").status_code == 200  # asks first
    assert client.post("/pages/house-style/delete")["Location"] == "/pages"
    assert not Page.objects.filter(slug="house-style").exists()


def test_rules_and_terms_can_be_edited_but_not_moved_or_deleted(client, editor):
    client.force_login(editor)
    response = client.post(
        "/pages/rules/edit", FORM | {"title": "House rules", "slug": "elsewhere"}
    )
    rules = Page.objects.get(slug="rules")  # the disabled address field is ignored
    assert response["Location"] == "/pages/rules" and rules.title == "House rules"
    response = client.post("/pages/terms/delete")
    assert response["Location"] == "/pages/terms"
    assert Page.objects.filter(slug="terms").exists()
    assert "edited but not deleted" in client.get("/pages/terms").content.decode()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"slug": "about"}, "There is already a page at /pages/about."),
        ({"slug": "new"}, "used by the pages"),
        ({"slug": "Not A Slug"}, "lower-case letters"),
        ({"title": ""}, "This field is required."),
        ({"order": "-3"}, "greater than or equal to 0"),
    ],
)
def test_invalid_forms_come_back_with_what_was_typed(client, editor, changes, message):
    client.force_login(editor)
    response = client.post("/pages/new", FORM | changes)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Use **British** spelling." in page
    assert not Page.objects.filter(title="Style guide").exists()


def test_page_text_is_sanitised(client, editor):
    client.force_login(editor)
    body = '<h3>Hi</h3><p onclick="x()">there<script>alert(1)</script></p>'
    client.post("/pages/new", FORM | {"body": body, "text_format": "html"})
    page = Client().get("/pages/style-guide").content.decode()
    assert "<h3>Hi</h3>" in page and "onclick" not in page and "alert(1)" not in page


def test_state_changes_need_a_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post("/pages/new", FORM).status_code == 403
    assert client.post("/pages/about/delete").status_code == 403
    assert Page.objects.filter(slug="about").exists()


def test_a_footer_edit_shows_at_once_on_cached_work_pages(client, editor, make_work):
    work = make_work()
    url = work.chapters.get().get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    staff = Client()
    staff.force_login(editor)
    staff.post("/pages/new", FORM)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "/pages/style-guide" in response.content.decode()
