"""fanfold.archive.returns: only paths on this site are followed back, and a message
given a place shows there, once."""

import pytest
from django.test import RequestFactory

from fanfold.archive.returns import here, redirect_back, safe_path, with_anchor

# Every way we know of to name another host (or split a header) in a `next` field.
REFUSED = [
    "",
    "works/1",
    "//evil.example",
    "//evil.example/works/1",
    "///evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "/works/1\\..\\..",
    "https://evil.example/",
    "http://evil.example",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    "data:text/html,hi",
    " /works/1",
    "\t//evil.example",
    "/works/1\r\nSet-Cookie: x=1",
    "/works/1\nLocation: //evil.example",
    "/works/\x00",
    "/works/\x7f",
    "/" + "a" * 1001,
    None,
    ["/works/1"],
]

ACCEPTED = [
    ("/", "/"),
    ("/works/1", "/works/1"),
    ("/works/1/chapters/3", "/works/1/chapters/3"),
    ("/works/1?view_full_work=true", "/works/1?view_full_work=true"),
    ("/works/1/chapters/3#comment_9", "/works/1/chapters/3"),
    ("/works/%2F%2Fevil.example", "/works/%2F%2Fevil.example"),
    ("/tags/Ada%20Vell", "/tags/Ada%20Vell"),
]


@pytest.mark.parametrize("value", REFUSED, ids=repr)
def test_refused(value):
    assert safe_path(value) is None


@pytest.mark.parametrize(("value", "path"), ACCEPTED, ids=repr)
def test_accepted(value, path):
    assert safe_path(value) == path


@pytest.mark.parametrize("value", REFUSED[:-2], ids=repr)
def test_redirect_back_falls_back_on_anything_refused(value):
    request = RequestFactory().post("/works/1/kudos", {"next": value})
    response = redirect_back(request, "/works/1", anchor="kudos")
    assert response["Location"] == "/works/1#kudos"


def test_redirect_back_follows_a_path_on_this_site():
    request = RequestFactory().post("/works/1/kudos", {"next": "/works/1/chapters/3#x"})
    response = redirect_back(request, "/works/1", anchor="kudos")
    assert response["Location"] == "/works/1/chapters/3#kudos"


def test_anchor_is_only_one_we_name():
    assert with_anchor("/works/1", "comment_12") == "/works/1#comment_12"
    assert with_anchor("/works/1", 'x"><script>') == "/works/1"
    assert with_anchor("/works/1#old") == "/works/1"


def test_here_keeps_only_the_reading_parameters():
    request = RequestFactory().get(
        "/works/1", {"view_full_work": "true", "comments_page": "2", "utm_source": "x"}
    )
    assert here(request) == "/works/1?view_full_work=true&comments_page=2"
    odd = RequestFactory().get("/works/1", {"comments_page": "<b>"})
    assert here(odd) == "/works/1"
