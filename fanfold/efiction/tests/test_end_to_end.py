"""One command, then the old archive's links, logins and reader tools work: for every
fixture archive, imported by `import_efiction` and read back through a live server by
the real FanFicFare and a browser-like client."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from fanficfare import exceptions

from fanfold.efiction.models import EfictionImport
from fanfold.efiction.tests.conftest import assert_chapters_hold_only_their_text, text_of
from fanfold.works.models import Work

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.django_db(transaction=True)


def import_fixture(name: str) -> str:
    out = io.StringIO()
    call_command(
        "import_efiction",
        str(FIXTURES / name / "dump.sql"),
        jobs=1,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def test_full_archive_through_fanficfare_old_links_and_logins(download, client):
    import_fixture("full")
    # The old site printed dates with its own format (d/m/y), and so do its old pages...
    page = client.get("/viewstory.php?sid=2&index=1").text
    assert "10/02/06" in page
    # ...which that site's own reader-tool adapter parses. The stand-in adapter used here
    # reads "d/m/Y", so the admin setting for it is applied.
    EfictionImport.objects.filter(pk=1).update(date_format="%d/%m/%Y")

    # An adult (consent) story: FanFicFare follows the consent link, then reads it all.
    with pytest.raises(exceptions.AdultCheckRequired):
        download(2, is_adult=False).getStoryMetadataOnly()
    story = download(2, is_adult=True).getStory()
    meta = story.getMetadata
    assert meta("title") == "Ashes of Ember"
    assert meta("author") == "Zoë Writer"
    assert meta("authorId") == "2"
    assert text_of(meta("description")).startswith("“Fire remembers,” she said. It’s late…")
    assert meta("rating") == "R"
    assert story.getList("category") == ["Dragon Epics"]
    assert story.getList("genre") == ["Angst"]
    assert sorted(story.getList("warnings")) == [
        "Graphic Depictions Of Violence",
        "Major Character Death",
    ]
    assert meta("series") == "Ember Chronicles"
    assert meta("status") == "In-Progress"
    assert story.getMetadataRaw("datePublished") == dt.datetime(2006, 2, 10)
    assert story.getMetadataRaw("dateUpdated") == dt.datetime(2006, 4, 11)
    # Chapter 4 was never validated in eFiction, so readers get the three that were.
    assert meta("numChapters") == "3"
    chapters = story.getChapters()
    assert [c["title"] for c in chapters] == ["Cinders", "Smoulder", "Kindling"]
    assert "’" in text_of(chapters[0]["html"]) and "…" in text_of(chapters[0]["html"])
    assert "Zoë’s" in text_of(chapters[1]["html"])
    # Chapter 5's notes ("Warning for violence.") stay out of the chapter's text.
    assert "Warning for violence" not in text_of(chapters[0]["html"])
    assert_chapters_hold_only_their_text(chapters, Work.objects.get(pk=2))

    # A four-chapter general story, every chapter in order.
    lantern = download(1).getStory()
    assert lantern.getMetadata("numChapters") == "4"
    assert lantern.getMetadata("status") == "Completed"
    assert [c["title"] for c in lantern.getChapters()] == [
        "The Wick",
        "The Flame",
        "The Smoke",
        "The Ember",
    ]
    # Notes on chapter 1, end notes on chapters 2 and 4: none in the book's chapters.
    assert_chapters_hold_only_their_text(lantern.getChapters(), Work.objects.get(pk=1))
    for sid in (3, 4):  # end notes with backslashes; a co-author's chapter notes
        book = download(sid, is_adult=True).getStory()
        assert_chapters_hold_only_their_text(book.getChapters(), Work.objects.get(pk=sid))

    # A members-only story is not handed to a guest's tool; a pending one does not exist.
    with pytest.raises(exceptions.FailedToLogin):
        download(7, is_adult=True).getStoryMetadataOnly()
    with pytest.raises(exceptions.StoryDoesNotExist):
        download(5, is_adult=True).getStoryMetadataOnly()

    client = Client()
    # Old links land on the new pages.
    assert client.get("/viewstory.php?sid=1").headers["Location"] == "/works/1"
    assert client.get("/viewuser.php?uid=2").status_code == 301
    followed = client.get("/viewuser.php?uid=2", follow=True)
    assert followed.status_code == 200 and "Zoë Writer" in followed.text
    series = client.get("/viewseries.php?seriesid=2", follow=True)
    assert "Ember Chronicles" in series.text
    browse = client.get("/browse.php?type=categories&catid=3", follow=True)
    assert "Ashes of Ember" in browse.text
    # Old logins: the eFiction password works on the login page.
    login = client.post("/login", {"username": "Zoë Writer", "password": "zoe-pass"})
    assert login.status_code == 302
    assert client.get("/works/5").status_code == 404  # not hers, and still waiting


@pytest.mark.parametrize(
    ("fixture", "sid", "title", "chapters", "login"),
    [
        ("backup", 1, 'The "Lantern" Road', 4, ("Admin Anne", "lantern-admin")),
        ("string_ratings", 3, "Starlight Protocol", 4, ("quillfeather", "feather123")),
        ("files", 1, "The Lantern Road", 4, ("Zoë Writer", "zoe-pass")),
        ("broken", 1, "The Lantern Road", 4, ("Admin Anne", "lantern-admin")),
    ],
)
def test_every_fixture_archive_reads_back(download, fixture, sid, title, chapters, login):
    import_fixture(fixture)
    EfictionImport.objects.filter(pk=1).update(date_format="%d/%m/%Y")  # the stand-in adapter's
    story = download(sid, is_adult=True).getStory()
    assert story.getMetadata("title") == title
    texts = [text_of(c["html"]) for c in story.getChapters()]
    assert len(texts) == chapters and all(texts)
    assert_chapters_hold_only_their_text(story.getChapters(), Work.objects.get(pk=sid))
    assert Client().login(username=login[0], password=login[1])
