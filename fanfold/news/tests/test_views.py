"""News pages: reading, staff forms, access, CSRF, drafts, the home page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.news.models import NewsPost

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Kudos counts fixed",
    "text_format": "markdown",
    "body": "They were *off by one*.",
    "published": "on",
    "comments_enabled": "on",
}


def test_list_is_newest_first_and_paginated(client, make_post):
    for n in range(12):
        make_post(title=f"Post {n}")
    first = client.get("/news").content.decode()
    assert first.index("Post 11") < first.index("Post 2")
    assert "Post 1<" not in first and "Older" in first
    second = client.get("/news?page=2").content.decode()
    assert "Post 1<" in second and "Post 0" in second
    # A malformed or too-large page number shows a real page, never an error.
    for page in ("abc", "99999", "-1"):
        assert client.get(f"/news?page={page}").status_code == 200


def test_drafts_are_for_staff_only(client, make_post, make_user, writer):
    draft = make_post(title="Secret plans", published=False)
    assert "Secret plans" not in client.get("/news").content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(make_user())
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(writer)
    page = client.get("/news").content.decode()
    assert "Secret plans" in page and "Draft" in page
    assert client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("url", ["/news/new", "/news/{pk}/edit", "/news/{pk}/delete"])
def test_forms_send_guests_to_log_in_and_refuse_members(client, make_post, make_user, url):
    url = url.format(pk=make_post().pk)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login?next=")
    client.force_login(make_user())
    assert client.get(url).status_code == 403
    assert client.post(url, FORM).status_code == 403
    assert NewsPost.objects.count() == 1
    assert NewsPost.objects.get().title == "Server move on Sunday"


def test_staff_write_edit_and_delete_on_the_site(client, writer):
    client.force_login(writer)
    assert client.get("/news/new").status_code == 200
    response = client.post("/news/new", FORM)
    post = NewsPost.objects.get()
    assert response["Location"] == post.get_absolute_url()
    assert post.author == writer and post.body_html == "<p>They were <em>off by one</em>.</p>"
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Kudos counts fixed" in page and "off by one" in page

    client.post(f"/news/{post.pk}/edit", FORM | {"title": "Kudos fixed", "published": ""})
    post.refresh_from_db()
    assert (post.title, post.published) == ("Kudos fixed", False)

    assert client.get(f"/news/{post.pk}/delete").status_code == 200  # asks first
    assert NewsPost.objects.exists()
    assert client.post(f"/news/{post.pk}/delete")["Location"] == "/news"
    assert not NewsPost.objects.exists()


def test_invalid_form_comes_back_with_what_was_typed(client, writer):
    client.force_login(writer)
    typed = FORM | {"title": "", "body": "A long announcement I do not want to retype."}
    response = client.post("/news/new", typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "A long announcement I do not want to retype." in page
    assert "Give the post a title." in page or "This field is required." in page
    # Only markup that sanitising removes: the service's message, on the field.
    response = client.post(
        "/news/new", FORM | {"body": "<script>x</script>", "text_format": "html"}
    )
    assert response.status_code == 400
    assert "unsafe HTML" in response.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in response.content.decode()
    assert not NewsPost.objects.exists()


def test_posts_are_sanitised_on_the_page(client, writer, make_post):
    post = make_post(
        body='<p>Hi <a href="javascript:steal()">there</a><img src=x onerror="x()"></p>',
        text_format="html",
    )
    page = client.get(post.get_absolute_url()).content.decode()
    assert "javascript:" not in page and "onerror" not in page and "Hi" in page


def test_state_changes_need_a_csrf_token(writer, make_post):
    post = make_post()
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    assert client.post("/news/new", FORM).status_code == 403
    assert client.post(f"/news/{post.pk}/delete").status_code == 403
    assert NewsPost.objects.count() == 1


def test_missing_posts_are_not_found(client, writer):
    client.force_login(writer)
    for url in ("/news/999", "/news/999/edit", "/news/999/delete"):
        assert client.get(url).status_code == 404


def test_home_page_shows_the_three_newest_published_posts(client, make_post):
    for n in range(5):
        make_post(title=f"Update {n}")
    make_post(title="Unfinished draft", published=False)
    page = client.get(reverse("archive:home")).content.decode()
    assert all(f"Update {n}" in page for n in (2, 3, 4))
    assert "Update 1" not in page and "Unfinished draft" not in page
