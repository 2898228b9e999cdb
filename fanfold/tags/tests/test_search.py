"""Tag search (/tags/search) and people search (/people/search), offered from the works
search results: only tags and works the viewer may know of are named or counted."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

TAGS = reverse("tags:search")
PEOPLE = reverse("accounts:people_search")


def tags_found(client, query: str) -> list[str]:
    html = client.get(TAGS + query).content.decode()
    results = re.search(r'<ul class="tag-results">(.*?)</ul>', html, re.S)
    if results is None:
        return []
    return re.findall(r'<li><a class="tag" href="[^"]*">([^<]+)</a>', results.group(1))


def test_tags_are_found_by_any_word_in_any_case(client, finding):
    assert tags_found(client, "?q=NARU") == ["Naruto", "Naruto Shippuden"]
    assert tags_found(client, "?q=shippuden+naruto") == ["Naruto Shippuden"]
    html = client.get(TAGS + "?q=shippuden").content.decode()
    assert 'a synonym of <a class="tag" href="/tags/Naruto">Naruto</a>' in html
    assert ">2 works</a>" in html  # a synonym counts its canonical tag's works


def test_tags_only_invisible_works_carry_are_never_found(client, finding, member):
    for query in ("?q=secret", "?q=hidden", "?q=draft+character", "?q=locked"):
        assert tags_found(client, query) == [], query
    client.force_login(member)
    assert tags_found(client, "?q=locked") == ["Locked Fandom"]
    assert tags_found(client, "?q=secret") == []


def test_tag_search_by_type_and_bad_input(client, finding):
    assert tags_found(client, "?q=a&type=character") == ["Sakura Haruno"]
    response = client.get(TAGS + "?q=naruto&type=nonsense")
    assert response.status_code == 200
    assert "There is no tag type called" in response.content.decode()
    assert tags_found(client, "?q=naruto&type=nonsense") == ["Naruto", "Naruto Shippuden"]
    assert client.get(TAGS + "?q=%00&page=x").status_code == 200
    # A NUL (which PostgreSQL refuses in text) is a space: "naru\0to" is two words.
    assert tags_found(client, "?q=nar%00uto") == ["Naruto", "Naruto Shippuden"]
    assert "tag-results" not in client.get(TAGS).content.decode()


def test_people_are_found_with_the_works_the_viewer_may_read(client, finding, member):
    html = client.get(PEOPLE + "?q=AUTH").content.decode()
    assert '<a href="/users/author/pseuds/author">author</a>' in html
    assert ">5 works</a>" in html  # the public ones
    assert "authorgone" not in html  # a closed account is nobody
    client.force_login(member)
    assert ">7 works</a>" in client.get(PEOPLE + "?q=author").content.decode()
    assert "people-results" not in client.get(PEOPLE).content.decode()
    assert client.get(PEOPLE + "?q=auth%00or&page=-1").status_code == 200


def test_the_works_search_offers_tags_and_people(client, finding):
    html = client.get(reverse("works:index") + "?q=lamp+%26+light").content.decode()
    assert f'href="{TAGS}?q=lamp%20%26%20light"' in html
    assert "Search tags for “lamp &amp; light”" in html
    assert f'href="{PEOPLE}?q=lamp%20%26%20light"' in html
    assert "Search people for" not in client.get(reverse("works:index")).content.decode()
