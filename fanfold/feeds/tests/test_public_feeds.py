"""Public Atom feeds: per tag, creator, series, work and challenge (and the news)."""

from __future__ import annotations

import pytest

from fanfold.challenges.services import ChallengeFields, challenge_create
from fanfold.conftest import tag
from fanfold.feeds.tests.conftest import assert_links_resolve, assert_nothing_unseen
from fanfold.filters.services import mark_changed
from fanfold.kudos.services import kudos_give
from fanfold.tags.models import Tag
from fanfold.works.chapter_services import chapter_add
from fanfold.works.fields import ChapterFields
from fanfold.works.models import Chapter, Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrangled(make_user, make_work):
    """Buffy (canonical) with the synonym BtVS, under the metatag Buffyverse."""
    author = make_user("Quillmoth")
    by_synonym = make_work(author, title="Alpha", fandoms=("BtVS",), freeforms=["Fluff"])
    by_name = make_work(author, title="Beta", fandoms=("Buffy the Vampire Slayer",))
    other = make_work(author, title="Gamma", fandoms=("Lighthouse Keepers",))
    buffy = tag("Buffy the Vampire Slayer")
    verse = Tag.objects.create(name="Buffyverse", type="fandom", canonical=True)
    Tag.objects.filter(pk=buffy.pk).update(canonical=True)
    Tag.objects.filter(name="BtVS").update(merger=buffy)
    buffy.parents.add(verse)
    mark_changed(tag_ids=[buffy.pk, verse.pk, tag("BtVS").pk])
    return author, by_synonym, by_name, other


def titles(parsed) -> set[str]:
    return {entry.title.split(" by ")[0] for entry in parsed.entries}


def test_tag_feed_follows_synonyms_and_metatags(client, atom, wrangled):
    _author, _by_synonym, _by_name, _other = wrangled
    assert titles(atom("/tags/Buffy the Vampire Slayer/feed.atom")) == {"Alpha", "Beta"}
    metatag = atom("/tags/Buffyverse/feed.atom")
    assert titles(metatag) == {"Alpha", "Beta"}
    assert_links_resolve(client, metatag)
    # A synonym's feed is its canonical tag's, like its works page.
    response = client.get("/tags/BtVS/feed.atom")
    assert response.status_code == 302
    assert response["Location"].endswith("/tags/Buffy%20the%20Vampire%20Slayer/feed.atom")


def test_entries_carry_tags_and_stats_not_chapter_text(client, atom, make_user, make_work):
    work = make_work(
        make_user("Wren"),
        title="Harbour Lights",
        summary="<p>Boats come home.</p>",
        relationships=["Keeper/Sea"],
        characters=["The Keeper"],
        freeforms=["Fluff"],
        body="<p>Unmistakable chapter prose.</p>",
    )
    kudos_give(work=work, user=make_user())
    entry = atom("/tags/Fluff/feed.atom").entries[0]
    assert entry.title == "Harbour Lights by Wren"
    assert entry.author == "Wren"
    summary = entry.summary
    for expected in (
        "Boats come home.",
        "Fandoms: <a",
        "Lighthouse Keepers",
        "Keeper/Sea",
        "The Keeper",
        "General Audiences",
        "No Archive Warnings Apply",
        "Words: 3",
        "Chapters: 1/?",
        "Kudos: 1",
    ):
        assert expected in summary, expected
    assert "Unmistakable" not in summary
    assert {t.term for t in entry.tags} >= {"Fluff", "Keeper/Sea", "Lighthouse Keepers"}
    assert entry.link == f"http://testserver/works/{work.pk}"


def test_creator_series_challenge_and_work_feeds(client, atom, make_user, make_work):
    author = make_user("Wren")
    challenge = challenge_create(owner=author, data=ChallengeFields(title="Winter Prompts"))
    first = make_work(author, title="Part One", series_title="Tides", challenge_id=challenge.pk)
    series = first.serial_works.get().series
    second = make_work(author, title="Part Two", series_id=series.pk, chapters=3)
    make_work(make_user(), title="Someone else's")
    assert titles(atom("/users/wren/works/feed.atom")) == {"Part One", "Part Two"}
    series_feed = atom(f"/series/{series.pk}/feed.atom")
    assert titles(series_feed) == {"Part One", "Part Two"}
    assert "Part 1 of <a" in series_feed.entries[-1].summary
    assert titles(atom(f"/challenges/{challenge.pk}/feed.atom")) == {"Part One"}
    chapters = atom(f"/works/{second.pk}/feed.atom")
    assert [e.title for e in chapters.entries] == [
        "Part Two: Chapter 3: Part 3",
        "Part Two: Chapter 2: Part 2",
        "Part Two: Chapter 1: Beginnings",
    ]
    assert "Chapter 3 text" not in chapters.entries[0].summary
    for url in (
        "/users/wren/works/feed.atom",
        f"/series/{series.pk}/feed.atom",
        f"/challenges/{challenge.pk}/feed.atom",
    ):
        assert_links_resolve(client, atom(url))
    assert_links_resolve(client, chapters)


def test_news_feed_parses(client, atom):
    parsed = atom("/news/feed")
    assert parsed.feed.title.endswith("news")


@pytest.mark.parametrize("feed", ["tag", "creator", "series", "challenge"])
def test_nothing_a_guest_may_not_see_reaches_a_public_feed(
    client, feed, make_user, make_work, unseen
):
    author = make_user("Wren")
    challenge = challenge_create(owner=author, data=ChallengeFields(title="Winter Prompts"))
    shown = make_work(
        author,
        title="Shown work",
        series_title="Tides",
        challenge_id=challenge.pk,
        freeforms=["Fluff"],
    )
    series = shown.serial_works.get().series
    hidden = unseen(author, series_id=series.pk, challenge_id=challenge.pk)
    url = {
        "tag": "/tags/Lighthouse Keepers/feed.atom",
        "creator": "/users/wren/works/feed.atom",
        "series": f"/series/{series.pk}/feed.atom",
        "challenge": f"/challenges/{challenge.pk}/feed.atom",
    }[feed]
    # A member (and staff) asking gets the same public feed: feeds are shared.
    viewer = make_user("staffer", is_staff=True, is_superuser=True)
    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200
    assert "Shown work" in response.content.decode()
    assert_nothing_unseen(response, hidden)


def test_feeds_of_things_guests_may_not_see_are_missing(client, make_user, make_work, unseen):
    author = make_user("Wren")
    only_members = make_work(
        author, title="Members part", series_title="Closed Tides", restricted=True
    )
    series = only_members.serial_works.get().series
    hidden = unseen(author)
    for work in hidden.values():
        assert client.get(f"/works/{work.pk}/feed.atom").status_code == 404
    assert client.get(f"/series/{series.pk}/feed.atom").status_code == 404
    for kind in hidden:
        assert client.get(f"/tags/Secret tag {kind}/feed.atom").status_code == 404


def test_hidden_chapters_stay_out_of_a_work_feed(atom, make_user, make_work):
    work = make_work(make_user(), chapters=2)
    Chapter.objects.filter(work=work, position=2).update(hidden_by_admin=True)
    assert len(atom(f"/works/{work.pk}/feed.atom").entries) == 1


def test_feeds_are_cached_per_version(client, make_user, make_work):
    author = make_user("Wren")
    work = make_work(author, title="Harbour Lights", freeforms=["Fluff"])
    url = "/tags/Fluff/feed.atom"
    first = client.get(url)
    assert first["X-Feed-Cache"] == "miss"
    assert client.get(url)["X-Feed-Cache"] == "hit"
    kudos_give(work=work, user=make_user())
    again = client.get(url)
    assert again["X-Feed-Cache"] == "miss"
    assert "Kudos: 1" in again.content.decode()
    chapter_add(work=work, editor=author, data=ChapterFields(body="<p>More.</p>"), post=True)
    chapters = client.get(f"/works/{work.pk}/feed.atom")
    assert chapters.content.decode().count("<entry>") == 2
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    assert "Harbour Lights" not in client.get(url).content.decode()
    assert client.get(f"/works/{work.pk}/feed.atom").status_code == 404


def head_feeds(client, url: str) -> list[str]:
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get(url).content, "html.parser")
    return [
        link["href"]
        for link in page.head.find_all("link", rel="alternate")
        if link.get("type") == "application/atom+xml"
    ]


def test_every_page_with_a_feed_links_it_in_its_head(client, make_user, make_work):
    author = make_user("Wren")
    challenge = challenge_create(owner=author, data=ChallengeFields(title="Winter Prompts"))
    work = make_work(author, series_title="Tides", challenge_id=challenge.pk, freeforms=["Fluff"])
    series = work.serial_works.get().series
    pages = {
        "/tags/Fluff": "/tags/Fluff/feed.atom",
        "/tags/Fluff/works": "/tags/Fluff/feed.atom",
        "/users/Wren": "/users/Wren/works/feed.atom",
        "/users/Wren/works": "/users/Wren/works/feed.atom",
        f"/series/{series.pk}": f"/series/{series.pk}/feed.atom",
        f"/works/{work.pk}": f"/works/{work.pk}/feed.atom",
        f"/challenges/{challenge.pk}": f"/challenges/{challenge.pk}/feed.atom",
    }
    for page, feed in pages.items():
        links = head_feeds(client, page)
        assert feed in links, page
        assert "/news/feed" in links
        assert client.get(feed).status_code == 200


def test_no_head_link_to_a_feed_a_guest_would_not_find(client, make_user, make_work):
    member = make_user()
    work = make_work(make_user(), restricted=True)
    client.force_login(member)
    assert not [f for f in head_feeds(client, f"/works/{work.pk}") if "/works/" in f]


def test_a_feed_costs_the_same_queries_for_few_or_many_works(client, make_user, make_work):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    author = make_user("Wren")
    make_work(author, title="One", freeforms=["Fluff"], series_title="Tides")
    counts = []
    for extra in (0, 15):
        for number in range(extra):
            make_work(author, title=f"More {number}", freeforms=["Fluff", f"Tag {number}"])
        client.get("/tags/Fluff/feed.atom")  # the filter index catches up with the new works
        cache.clear()  # and the feed is rendered afresh
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/tags/Fluff/feed.atom").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
