"""The Content-Security-Policy: sent on every page, strict, and nothing of ours breaks it."""

import re
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from fanfold.archive.csp import csp_header_value
from fanfold.archive.selectors import FONT_SIZES

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    pairs = (part.strip().partition(" ") for part in header.split(";"))
    return {directive: sources for directive, _, sources in pairs}


def test_every_kind_of_page_is_sent_the_strict_policy(client, make_work, make_user):
    work = make_work(rating="Explicit")
    urls = [
        reverse("archive:home"),
        work.get_absolute_url(),  # the adult gate, from the page cache
        work.get_absolute_url() + "?view_adult=true",
        reverse("accounts:login"),
        reverse("works:index"),
        "/viewstory.php?sid=1",
        "/no-such-page",
        reverse("admin:login"),
    ]
    client.get(work.get_absolute_url())  # fill the cache first, then read it back
    for url in urls:
        policy = _policy(client.get(url))
        for directive, value in REQUIRED.items():
            assert policy.get(directive) == value, (url, directive)
        assert "unsafe" not in policy["script-src"] + policy["style-src"]


def test_the_django_52_fallback_sends_the_same_header():
    if django.VERSION < (6, 0):
        pytest.skip("Django 5.2 has no build_policy to compare with")
    from django.utils.csp import build_policy

    assert csp_header_value(settings.SECURE_CSP) == build_policy(settings.SECURE_CSP)


def test_fallback_middleware_sends_the_policy(rf, settings):
    from django.http import HttpResponse

    from fanfold.archive.csp import ContentSecurityPolicyMiddleware

    response = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())(rf.get("/"))
    assert response["Content-Security-Policy"] == csp_header_value(settings.SECURE_CSP)


def _templates() -> list[Path]:
    return [p for p in ROOT.rglob("templates/**/*.html") if ".venv" not in p.parts]


# The HTML download is a file readers keep and open on their own devices, never a page of
# the site: it must carry its styles inside (it has no script either).
SELF_CONTAINED_BOOKS = {ROOT / "exports/templates/exports/book.html"}


def test_no_template_has_inline_script_handlers_or_style_elements():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
    for path in _templates():
        text = path.read_text()
        assert not inline_script.search(text), path
        assert not handler.search(text), path
        if path not in SELF_CONTAINED_BOOKS:
            assert "<style" not in text.lower(), path
        assert "javascript:" not in text.lower(), path


def test_the_layout_uses_no_style_attribute_and_every_text_size_has_a_class(client):
    page = client.get(reverse("archive:home")).text
    assert not re.search(r"<html[^>]*\sstyle=", page)
    css = (ROOT / "archive/static/fanfold/fanfold.css").read_text()
    for size in FONT_SIZES:
        if size != 100:
            assert f"html.scale-{size} " in css, size
    assert Client().get(reverse("archive:home")).status_code == 200
