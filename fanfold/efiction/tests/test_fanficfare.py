"""The real FanFicFare, in-process, downloads from a live Fanfold server as if it were
the eFiction archive gluttonyfiction.com (a `BaseEfictionAdapter` site, dates
`%d/%m/%Y`, the archive's default EFICTION_DATE_FORMAT).

FanFicFare picks its parser by hostname, so its per-site `http_proxy` option sends the
requests to the live server in proxy (absolute) form; AbsoluteFormMiddleware turns them
back into `/viewstory.php?...`. Nothing here is mocked: HTTP, Django and FanFicFare are real.
"""

from __future__ import annotations

import datetime as dt

import pytest
from fanficfare import exceptions

from fanfold.efiction.tests.conftest import assert_chapters_hold_only_their_text, text_of
from fanfold.efiction.tests.legacy_story import imported_story
from fanfold.works.models import Chapter, Work

pytestmark = pytest.mark.django_db(transaction=True)


def test_fanficfare_reads_an_imported_story_after_age_consent(download, make_user, make_work):
    legacy = imported_story(make_user, make_work, chapters=3)
    Chapter.objects.filter(pk=legacy.chapters[1].pk).update(
        body_html="<p>Storm over the <strong>reef</strong> — “quoted” ünïcode.</p>",
        notes_html="<p>A note before the storm.</p>",
        endnotes_html="<p>And one after it.</p>",
    )
    adapter = download(legacy.sid, is_adult=True)
    story = adapter.getStory()

    meta = story.getMetadata
    assert meta("title") == "The Lamp Room"
    assert meta("author") == "Quillmoth"
    assert meta("authorId") == str(legacy.uid)
    assert text_of(meta("description")) == "Ada keeps the light burning."
    assert meta("rating") == "R"
    assert story.getList("category") == ["Lighthouse Keepers"]
    assert story.getList("characters") == ["Ada Keeper", "Tom Tide"]
    assert story.getList("genre") == ["Angst", "Hurt/Comfort"]
    assert story.getList("warnings") == ["Character Death"]
    assert meta("series") == "Harbour Tales"
    assert meta("status") == "Completed"
    assert meta("numWords") == "15"
    # Parsed, but not among this site's valid entries, so getMetadata() hides it.
    assert story.metadata["readings"] == "321"
    assert story.getMetadataRaw("datePublished") == dt.datetime(2019, 3, 4)
    assert story.getMetadataRaw("dateUpdated") == dt.datetime(2021, 11, 25)
    assert meta("storynotes") == "Written for the winter swap."
    assert meta("numChapters") == "3"
    chapters = story.getChapters()
    assert [c["title"] for c in chapters] == ["Beginnings", "Part 2", "Part 3"]
    # The chapter's text alone: its notes are printed beside it, not in it.
    assert [text_of(c["html"]) for c in chapters] == [
        "The tide came in slowly.",
        "Storm over the reef — “quoted” ünïcode.",
        "Chapter 3 text goes on.",
    ]
    assert_chapters_hold_only_their_text(chapters, legacy.work)


def test_fanficfare_needs_is_adult_for_an_adult_story(download, make_user, make_work):
    legacy = imported_story(make_user, make_work, chapters=1, rating="Explicit")
    with pytest.raises(exceptions.AdultCheckRequired):
        download(legacy.sid, is_adult=False).getStoryMetadataOnly()


def test_fanficfare_reads_a_work_posted_on_fanfold(download, make_user, make_work):
    """An archive that never imported: sid is the work id, tags use the default labels."""
    author = make_user("Harbourmaster")
    work = make_work(
        author,
        title="Fog Signals",
        rating="General Audiences",
        relationships=["Ada Keeper/Tom Tide"],
        freeforms=["Slow Burn"],
        chapters=2,
    )
    story = download(work.pk).getStory()

    assert story.getMetadata("title") == "Fog Signals"
    assert story.getMetadata("authorId") == str(author.pk)
    assert story.getMetadata("rating") == "General Audiences"
    assert story.getList("warnings") == ["No Archive Warnings Apply"]
    assert story.getList("ships") == ["Ada Keeper/Tom Tide"]
    assert story.getList("genre") == ["Slow Burn"]
    assert story.getMetadata("status") == "In-Progress"
    assert [text_of(c["html"]) for c in story.getChapters()] == [
        "The tide came in slowly.",
        "Chapter 2 text goes on.",
    ]


def test_fanficfare_does_not_get_a_members_only_story_as_a_guest(download, make_user, make_work):
    legacy = imported_story(make_user, make_work, chapters=1, rating="General Audiences")
    Work.objects.filter(pk=legacy.work.pk).update(restricted=True)
    adapter = download(legacy.sid)
    with pytest.raises(exceptions.FailedToLogin):
        adapter.getStoryMetadataOnly()
    assert adapter.story.getMetadata("title") in ("", None)
