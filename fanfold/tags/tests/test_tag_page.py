"""A tag's page: the works the viewer may read under it, its parents, synonyms and
sub-tags, and its Atom feed, never naming a tag only works out of their sight carry."""

import re

import pytest

from fanfold.tags.models import Tag

pytestmark = pytest.mark.django_db


def page(client, name: str) -> str:
    response = client.get(Tag.objects.named(name).get().get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading: str) -> list[str]:
    """The tag names listed under one of the page's headings."""
    match = re.search(rf"<h3 class=\"heading\">{heading}</h3><ul[^>]*>(.*?)</ul>", html)
    return re.findall(r'class="tag" href="[^"]*">([^<]+)</a>', match.group(1)) if match else []


def test_a_fandoms_page_shows_its_family_count_and_feed(client, finding):
    html = page(client, "Naruto")
    assert "2 works you can read are listed under this tag." in html
    assert section(html, "Parent tags") == ["Anime"]
    assert section(html, "Synonyms") == ["Naruto Shippuden"]
    assert section(html, "Sub-tags and related tags") == ["Sakura Haruno"]
    for secret in ("NRT Secret", "Draft Character", "Secret Fandom", "Unfinished Map"):
        assert secret not in html, secret
    assert 'href="/tags/Naruto/feed.atom"' in html
    assert client.get("/tags/Naruto/feed.atom").status_code == 200


def test_a_metatag_counts_its_sub_tags_works_and_lists_them(client, finding):
    html = page(client, "Anime")
    assert "3 works you can read are listed under this tag." in html
    assert section(html, "Sub-tags and related tags") == ["Bleach", "Naruto"]


def test_a_synonym_counts_and_feeds_its_canonical_tags_works(client, finding):
    html = page(client, "Naruto Shippuden")
    assert "2 works you can read are listed under its canonical tag." in html
    assert 'href="/tags/Naruto/feed.atom"' in html


def test_counts_follow_the_viewer(client, finding, member):
    assert "0 works you can read are listed under this tag." in page(client, "Buffy")
    client.force_login(member)
    assert "1 work you can read is listed under this tag." in page(client, "Buffy")


def test_no_feed_link_where_a_guest_would_find_no_feed(client, finding, member):
    # Locked Fandom is loose and only on a members-only work: for guests it does not
    # exist, so neither does its feed.
    client.force_login(member)
    html = page(client, "Locked Fandom")
    assert "1 work you can read is listed under this tag." in html
    assert "feed.atom" not in html
    client.logout()
    assert client.get("/tags/Locked Fandom/feed.atom").status_code == 404
    assert client.get("/tags/Locked Fandom").status_code == 404
