"""The news feed (Atom) and its autodiscovery link."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_lists_published_posts_newest_first(client, make_post):
    make_post(title="Older news")
    newer = make_post(
        title="Newer news", body="<p>Hello<script>x()</script></p>", text_format="html"
    )
    make_post(title="A draft", published=False)
    response = client.get("/news/feed")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed, in a test)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Newer news", "Older news"]
    newest = entries[0]
    assert newest.findtext(f"{ATOM}summary") == "<p>Hello</p>"
    assert newest.find(f"{ATOM}author").findtext(f"{ATOM}name") == "newsdesk"
    assert newest.find(f"{ATOM}link").get("href") == f"http://testserver/news/{newer.pk}"


def test_every_page_points_to_the_feed(client):
    page = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert 'href="/news/feed"' in page
