"""The guest page cache fills in each visitor's CSRF token where Fanfold's own forms put
it, and nowhere else: author text holding any fixed string shows literally."""

import gzip
import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from fanfold.comments.services import CommentFields, comment_create

pytestmark = pytest.mark.django_db

# The stand-in the cache once swapped everywhere in the page, and a look-alike.
PLANTED = ("~fanfold-csrf-token~".ljust(64, "~"), "~csrf~" + "0" * 56 + "~~")


def _planted_text() -> str:
    return " ".join(PLANTED)


def _work_full_of_placeholders(make_work, **extra):
    text = _planted_text()
    work = make_work(
        title=f"Title {text}",
        body=f'<p>Body {text}</p><p><img src="https://img.example/{PLANTED[0]}.png"></p>',
        freeforms=[f"Tag {PLANTED[0]}"],
        summary=f"Summary {text}",
        **extra,
    )
    comment_create(
        work=work,
        user=None,
        chapter=work.chapters.get(),
        data=CommentFields(body=f"Comment {text}", guest_name="Passer", guest_email="p@ex.org"),
    )
    return work


def _tokens_in_forms(html: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    return [i["value"] for i in page.select("input[name=csrfmiddlewaretoken]")]


def _assert_own_tokens_only(html: str, guest: Client, url: str) -> None:
    tokens = _tokens_in_forms(html)
    assert tokens, "cached reading pages carry forms"
    for planted in PLANTED:
        # Title, summary, body, image URL, tag and comment (some printed twice) keep it.
        assert html.count(planted) >= 5, planted
    for token in set(tokens):
        assert html.count(token) == tokens.count(token)  # only inside the forms
    _assert_token_is_theirs(tokens[0], guest, url)


def _assert_token_is_theirs(token: str, guest: Client, url: str) -> None:
    # A form posted with it passes the CSRF check.
    response = guest.post(
        reverse("archive:display"), {"csrfmiddlewaretoken": token, "theme": "dark", "next": url}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_author_text_keeps_the_placeholder_literally(make_work, encoding):
    work = _work_full_of_placeholders(make_work)
    url = work.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(url)
    response = second.get(url, headers={"accept-encoding": encoding})
    assert response["X-Page-Cache"] == "hit"
    body = gzip.decompress(response.content) if encoding else response.content
    _assert_own_tokens_only(body.decode(), second, url)


def test_no_token_of_another_guest_reaches_a_page(make_work):
    work = _work_full_of_placeholders(make_work)
    url = work.get_absolute_url()
    pages = []
    for _ in range(3):
        guest = Client(enforce_csrf_checks=True)
        pages.append((guest, guest.get(url).text))
    secrets = [guest.cookies["csrftoken"].value for guest, _ in pages]
    assert len(set(secrets)) == 3
    for guest, html in pages:
        _assert_own_tokens_only(html, guest, url)


def test_the_adult_gate_gives_each_guest_a_token_of_their_own(make_work):
    work = make_work(rating="Explicit")
    url = work.get_absolute_url()
    Client().get(url)  # someone else's visit fills the cache
    guest = Client(enforce_csrf_checks=True)
    gate = guest.get(url)
    assert gate["X-Page-Cache"] == "hit" and "view_adult=true" in gate.text
    tokens = _tokens_in_forms(gate.text)
    assert tokens and not re.search(r"~csrf~", gate.text)
    _assert_token_is_theirs(tokens[0], guest, url)
