import gzip

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from fanfold.archive.models import SiteSettings
from fanfold.conftest import tag
from fanfold.works.chapter_services import chapter_update
from fanfold.works.fields import ChapterFields, WorkFields
from fanfold.works.services import work_update

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_work_page_uses_ao3_markup(client, make_work):
    work = make_work(
        chapters=2,
        characters=["Ada Vell"],
        relationships=["Ada Vell/Tam Orr"],
        freeforms=["Found Family"],
        summary="<p>A summary.</p>",
    )
    page = soup(client.get(work.get_absolute_url()))
    meta = page.select_one("dl.work.meta.group")
    assert meta.select_one("dd.rating.tags a.tag").text == "General Audiences"
    assert meta.select_one("dd.fandom.tags a.tag").text == "Lighthouse Keepers"
    assert meta.select_one("dd.character.tags a.tag").text == "Ada Vell"
    assert meta.select_one("dd.relationship.tags a.tag").text == "Ada Vell/Tam Orr"
    assert meta.select_one("dd.freeform.tags a.tag").text == "Found Family"
    assert meta.select_one("dd.warning.tags a.tag").text == "No Archive Warnings Apply"
    stats = meta.select_one("dl.stats")
    assert stats.select_one("dd.chapters").text == "2/?"
    assert stats.select_one("dd.words").text == str(work.word_count)
    assert page.select_one("div.preface.group h2.title.heading").text.strip() == work.title
    assert page.select_one("div.preface.group blockquote.userstuff").text.strip() == "A summary."
    assert (
        page.select_one("div#chapter-1 div.userstuff")
        .text.strip()
        .endswith("The tide came in slowly.")
    )
    assert page.select_one("li.chapter.next a")["href"].startswith(f"/works/{work.pk}/chapters/")


def test_chapter_navigation_and_whole_work(client, make_work):
    work = make_work(chapters=3)
    chapters = list(work.chapters.order_by("position"))
    page = soup(client.get(chapters[1].get_absolute_url()))
    assert page.select_one("div#chapter-2 h3.title").text.startswith("Chapter 2")
    assert page.select_one("li.chapter.previous a")["href"] == chapters[0].get_absolute_url()
    assert page.select_one("li.chapter.next a")["href"] == chapters[2].get_absolute_url()

    full = soup(client.get(work.get_absolute_url() + "?view_full_work=true"))
    assert [d["id"] for d in full.select("div#chapters > div.chapter")] == [
        "chapter-1",
        "chapter-2",
        "chapter-3",
    ]
    index = soup(client.get(reverse("works:navigate", args=[work.pk])))
    links = [a["href"] for a in index.select("ol.chapter.index a")]
    assert links == [c.get_absolute_url() for c in chapters]
    jump = client.get(
        reverse("works:chapter_jump", args=[work.pk]), {"selected_id": chapters[2].pk}
    )
    assert jump["Location"] == chapters[2].get_absolute_url()


def test_site_disclaimer_ends_every_work(client, make_work):
    settings_row = SiteSettings.current()
    settings_row.disclaimer = "<p>All characters belong to their owners.</p><script>x</script>"
    settings_row.save()
    page = soup(client.get(make_work().get_absolute_url()))
    disclaimer = page.select_one("#disclaimer")
    assert disclaimer.text.strip() == "All characters belong to their owners."
    assert disclaimer.find("script") is None


def test_adult_gate_for_guests(client, make_work):
    work = make_work(rating="Explicit")
    gate = client.get(work.get_absolute_url())
    assert gate.status_code == 200
    assert "may contain material for adults only" in gate.text
    assert "Rated Explicit" in gate.text  # the rating's own warning text
    assert "The tide came in" not in gate.text
    proceed = soup(gate).select_one(".adult-gate a.button")["href"]
    assert proceed.endswith("?view_adult=true")
    assert "The tide came in" in client.get(proceed).text
    # Consent is remembered in the session for the next page.
    assert "The tide came in" in client.get(work.get_absolute_url()).text


def test_adult_gate_preference_for_members(client, make_work, make_user):
    work = make_work(rating="Mature")
    reader = make_user()
    client.force_login(reader)
    assert "may contain material for adults only" in client.get(work.get_absolute_url()).text
    reader.view_adult = True
    reader.save()
    assert "The tide came in" in client.get(work.get_absolute_url()).text


def test_not_rated_counts_as_adult(client, make_work):
    work = make_work(rating="Not Rated")
    assert "may contain material for adults only" in client.get(work.get_absolute_url()).text


def test_cached_pages_show_edits_at_once(client, make_work):
    work = make_work()
    author = work.creators[0].user
    assert client.get(work.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(work.get_absolute_url())["X-Page-Cache"] == "hit"
    chapter_update(
        chapter=work.chapters.get(),
        editor=author,
        data=ChapterFields(body="<p>The tide went out.</p>"),
    )
    response = client.get(work.get_absolute_url())
    assert "The tide went out." in response.text and response["X-Page-Cache"] == "miss"
    work_update(
        work=work,
        editor=author,
        data=WorkFields(
            title="Renamed",
            rating=tag("General Audiences"),
            warnings=[tag("No Archive Warnings Apply")],
            fandoms=["Lighthouse Keepers"],
        ),
    )
    assert "Renamed" in client.get(work.get_absolute_url()).text


def test_reading_pages_are_compressed(client, make_work):
    work = make_work(body="<p>" + "word " * 3000 + "</p>")
    response = client.get(work.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert b"word word" in gzip.decompress(response.content)
    assert len(response.content) < 5000


def test_display_settings_for_guests(client, make_work):
    work = make_work()
    response = client.post(
        reverse("archive:display"),
        {"theme": "dark", "size": "130", "next": work.get_absolute_url()},
    )
    assert response["Location"] == work.get_absolute_url() + "#display"
    page = soup(client.get(work.get_absolute_url()))
    assert {"theme-dark", "scale-130"} <= set(page.html["class"])
    evil = client.post(reverse("archive:display"), {"next": "https://evil.example/"})
    assert evil["Location"] == "/#display"


def test_listing_blurbs_show_edits_at_once(client, make_work):
    work = make_work(title="First Title")
    assert "First Title" in client.get(reverse("archive:home")).text  # blurb now cached
    work_update(
        work=work,
        editor=work.creators[0].user,
        data=WorkFields(
            title="Second Title",
            rating=tag("General Audiences"),
            warnings=[tag("No Archive Warnings Apply")],
            fandoms=["Lighthouse Keepers"],
        ),
    )
    home = client.get(reverse("archive:home")).text
    assert "Second Title" in home and "First Title" not in home


def test_members_can_hide_warnings_in_blurbs(client, make_work, make_user):
    make_work(warnings=("Major Character Death",))
    guest = soup(client.get(reverse("archive:home")))
    assert guest.select_one("li.warnings strong a.tag").text == "Major Character Death"
    reader = make_user()
    reader.hide_warnings = True
    reader.save()
    client.force_login(reader)
    member = soup(client.get(reverse("archive:home")))
    hidden = member.select_one("li.warnings details.reveal")
    assert hidden is not None and "Major Character Death" in hidden.text


def test_gate_continues_to_the_chapter_that_was_asked_for(client, make_work):
    work = make_work(rating="Explicit", chapters=3)
    for chapter in work.chapters.order_by("position"):
        gate = soup(client.get(chapter.get_absolute_url()))
        proceed = gate.select_one(".adult-gate a.button")["href"]
        assert proceed == chapter.get_absolute_url() + "?view_adult=true"
    whole = soup(client.get(work.get_absolute_url() + "?view_full_work=true"))
    assert whole.select_one(".adult-gate a.button")["href"].endswith(
        "?view_adult=true&view_full_work=true"
    )


def test_disclaimer_edits_show_at_once_on_cached_pages(client, make_work):
    from django.core.cache import cache

    from fanfold.archive.models import CACHE_KEY

    work = make_work()
    client.get(work.get_absolute_url())  # cached with the current disclaimer
    row = SiteSettings.current()
    row.disclaimer = "<p>Brand new disclaimer.</p>"
    row.save()
    # Another worker still holds the old row in its own short-lived cache.
    stale = SiteSettings.objects.get(pk=1)
    stale.version -= 1
    stale.disclaimer_html = "<p>Old disclaimer.</p>"
    cache.set(CACHE_KEY, stale, 5)
    page = client.get(work.get_absolute_url()).text
    assert "Brand new disclaimer." in page and "Old disclaimer." not in page
