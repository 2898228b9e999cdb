"""viewstory.php pages in eFiction 3.5 markup: printable, index, chapter, the age gate,
and who may see what."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanfold.comments.services import CommentFields, comment_create
from fanfold.efiction.tests.legacy_story import add_cocreator, imported_story
from fanfold.tags.models import Tag
from fanfold.works.models import Approval, Chapter, Work
from fanfold.works.staff_services import work_set_hidden

pytestmark = pytest.mark.django_db

PRINT_ALL = "/viewstory.php?sid={}&action=printable&textsize=0&chapter=all"
CONSENT = "&ageconsent=ok&warning=4"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def info(page: BeautifulSoup) -> dict[str, str]:
    """Label → text of each `span.label` line in the info box, as reader tools read it."""
    values = {}
    for label in page.select("div.infobox > div.content span.label"):
        parts = []
        for sibling in label.next_siblings:
            if getattr(sibling, "name", None) == "span" and "label" in sibling.get("class", []):
                break
            parts.append(sibling.get_text() if hasattr(sibling, "get_text") else str(sibling))
        values[label.get_text().rstrip(":")] = " ".join("".join(parts).split())
    return values


@pytest.fixture
def legacy(make_user, make_work):
    return imported_story(make_user, make_work)


def test_printable_story_shows_title_author_and_every_label_in_order(client, legacy):
    response = client.get(PRINT_ALL.format(1) + CONSENT)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = soup(response)
    title, author = page.select("#pagetitle a")
    assert (title.text, title["href"]) == ("The Lamp Room", "viewstory.php?sid=1")
    assert (author.text, author["href"]) == ("Quillmoth", "viewuser.php?uid=1")
    assert info(page) == {
        "Summary": "Ada keeps the light burning.",
        "Rated": "R",
        "Categories": "Lighthouse Keepers",
        "Characters": "Ada Keeper, Tom Tide",
        "Genres": "Angst, Hurt/Comfort",
        "Warnings": "Character Death",
        "Challenges": "None",
        "Series": "Harbour Tales",
        "Chapters": "3",
        "Completed": "Yes",
        "Word count": "15",
        "Read": "321",
        "Published": "04/03/2019",
        "Updated": "25/11/2021",
    }
    content = page.select_one("div.infobox > div.content")
    links = {a.text: a["href"] for a in content.find_all("a")}
    assert links["Lighthouse Keepers"] == "browse.php?type=categories&catid=12"
    assert links["Ada Keeper"] == "browse.php?type=characters&charid=5"
    assert links["Angst"] == "browse.php?type=class&type_id=1&classid=3"
    assert links["Character Death"] == "browse.php?type=class&type_id=2&classid=9"
    assert links["Harbour Tales"] == "viewseries.php?seriesid=1"
    assert page.select_one("div.noteinfo").text == "Written for the winter swap."
    assert page.select_one("link[rel=canonical]")["href"] == f"/works/{legacy.work.pk}"


def test_printable_story_lists_then_prints_every_chapter(client, legacy):
    Chapter.objects.filter(pk=legacy.chapters[0].pk).update(
        notes_html="<p>Before.</p>", endnotes_html="<p>After.</p>"
    )
    page = soup(client.get(PRINT_ALL.format(1) + CONSENT))
    rows = [(p.b.text, p.a["href"], p.a.text) for p in page.select("div.toc p")]
    assert rows == [("1.", "#1", "Beginnings"), ("2.", "#2", "Part 2"), ("3.", "#3", "Part 3")]
    texts = []
    for number in ("1", "2", "3"):
        anchor = page.find("a", attrs={"name": number})
        assert anchor.parent.text == f"{rows[int(number) - 1][2]} by Quillmoth"
        texts.append(" ".join(anchor.parent.find_next("div", "chapter").get_text(" ").split()))
    # div.chapter is the text alone; the notes stand beside it, labelled as eFiction does.
    assert texts == [
        "The tide came in slowly.",
        "Chapter 2 text goes on.",
        "Chapter 3 text goes on.",
    ]
    first = page.find("a", attrs={"name": "1"}).parent
    around = [" ".join(n.get_text(" ").split()) for n in first.find_next_siblings("div", limit=3)]
    assert around == ["Author's Notes: Before.", "The tide came in slowly.", "End Notes: After."]
    assert "No money is being made" in page.select_one("div.disclaimer").text
    assert f"/works/{legacy.work.pk}" in page.select_one("p.archived a")["href"]


def test_printable_single_chapter_and_text_size(client, legacy):
    page = soup(client.get("/viewstory.php?sid=1&action=printable&chapter=2&textsize=2" + CONSENT))
    assert [d.get_text(strip=True) for d in page.select("div.chapter")] == [
        "Chapter 2 text goes on."
    ]
    assert "font-size: 140%" in str(page)
    response = client.get("/viewstory.php?sid=1&action=printable&chapter=9" + CONSENT)
    assert response.status_code == 404


def test_cocreators_follow_the_first_author(client, legacy, make_user):
    partner = make_user("Gullwing")
    add_cocreator(legacy.work, legacy.author, partner)
    page = soup(client.get(PRINT_ALL.format(1) + CONSENT))
    assert [a.text for a in page.select("#pagetitle a")] == [
        "The Lamp Room",
        "Quillmoth",
        "Gullwing",
    ]


def test_index_page_has_rating_labels_and_old_links(client, legacy, make_user):
    Chapter.objects.filter(pk=legacy.chapters[1].pk).update(notes_html="<p>Second note.</p>")
    comment_create(
        work=legacy.work,
        chapter=legacy.chapters[1],
        user=make_user(),
        data=CommentFields(body="Lovely."),
    )
    page = soup(client.get("/viewstory.php?sid=1&index=1"))
    rated = next(s for s in page.select("span.label") if "Rated:" in s.text)
    assert rated.next_sibling.strip() == "R"
    lines = page.select("#chapterlist > p")
    chapter_links = [p.b.a["href"] for p in lines]
    assert chapter_links == [f"viewstory.php?sid=1&chapter={k}" for k in (1, 2, 3)]
    # eFiction's line: "2. Part 2 by Quillmoth [Reviews - 1] (5 words)", then the notes.
    second = lines[1]
    assert (
        " ".join(second.get_text(" ").split()) == "2. Part 2 by Quillmoth [ Reviews - 1 ] (5 words)"
    )
    author, reviews, count = second.find_all("a")[1:]
    assert author["href"] == "viewuser.php?uid=1"
    assert reviews["href"] == count["href"] == "reviews.php?type=ST&item=1&chapid=12"
    assert second.find_next_sibling().get("class") == ["chapternotes"]
    assert second.find_next_sibling().get_text(strip=True) == "Second note."
    assert lines[0].find_next_sibling() == lines[1]  # no notes, nothing under the line
    hrefs = {a["href"] for a in page.find_all("a")}
    assert {
        "viewseries.php?seriesid=1",
        "browse.php?type=class&type_id=1&classid=4",
        "browse.php?type=categories&catid=12",
        "browse.php?type=characters&charid=6",
    } <= hrefs


def test_chapter_page_has_menu_notes_text_and_neighbours(client, legacy):
    Work.objects.filter(pk=legacy.work.pk).update(notes_html="<p>Story note.</p>")
    Chapter.objects.filter(pk=legacy.chapters[0].pk).update(
        notes_html="<p>Chapter note.</p>", endnotes_html="<p>End note.</p>"
    )
    page = soup(client.get("/viewstory.php?sid=1&chapter=1&textsize=-1" + CONSENT))
    assert page.select_one("#pagetitle a").text == "The Lamp Room"
    options = [o.text for o in page.select("select[name=chapter] option")]
    assert options == ["1. Beginnings", "2. Part 2", "3. Part 3"]
    notes = [" ".join(n.get_text(" ").split()) for n in page.select("div.notes")]
    assert notes == [
        "Story Notes: Story note.",
        "Author's Chapter Notes: Chapter note.",
        "Chapter End Notes: End note.",
    ]
    story = page.select_one("#story > span")
    assert story["style"] == "font-size: 80%;"
    assert story.get_text(strip=True) == "The tide came in slowly."
    # eFiction's two boxes, #prev then #next; the first chapter's #prev is empty.
    boxes = page.select("#prev, #next")
    assert [b["id"] for b in boxes] == ["prev", "next"]
    assert boxes[0].contents == []
    assert [(a.text, a["class"]) for a in page.select("#next a")] == [("Next", ["next"])]

    page = soup(client.get("/viewstory.php?sid=1&chapter=2"))
    assert page.select_one("#story").get_text(strip=True) == "Chapter 2 text goes on."
    assert [(a.text, a["href"]) for a in page.select("#prev a.prev")] == [
        ("Previous", "viewstory.php?sid=1&chapter=1")
    ]
    assert [(a.text, a["href"]) for a in page.select("#next a.next")] == [
        ("Next", "viewstory.php?sid=1&chapter=3")
    ]
    assert not page.select("div.notes")  # story notes belong to chapter 1 only

    page = soup(client.get("/viewstory.php?sid=1&chapter=3"))
    assert page.select_one("#prev a.prev")["href"] == "viewstory.php?sid=1&chapter=2"
    assert page.select_one("#next").contents == []


def test_chapid_names_the_chapter_and_must_belong_to_the_story(
    client, legacy, make_user, make_work
):
    other = make_work(make_user(), title="Elsewhere")
    third_chapid = legacy.imp.legacy_for("chapter", legacy.chapters[2].pk)
    response = client.get(f"/viewstory.php?sid=1&chapid={third_chapid}" + CONSENT)
    assert soup(response).select_one("#story").get_text(strip=True) == "Chapter 3 text goes on."
    assert client.get(f"/viewstory.php?chapid={third_chapid}").status_code == 200
    foreign = legacy.imp.legacy_for("chapter", other.chapters.get().pk)
    assert client.get(f"/viewstory.php?sid=1&chapid={foreign}").status_code == 404


def test_adult_story_shows_only_the_consent_notice_until_consent(client, legacy):
    warning = Tag.objects.get(name="Mature").warning_text
    for url in (PRINT_ALL.format(1), "/viewstory.php?sid=1&chapter=2"):
        response = client.get(url)
        assert response.status_code == 200
        page = soup(response)
        assert page.select_one("div#pagetitle").text == "The Lamp Room"
        gate = page.select_one("div.errortext")
        assert gate.get_text(" ").split()[:3] == ["Age", "Consent", "Required"]
        link = gate.find("a")
        assert link["href"].startswith("viewstory.php?sid=1&ageconsent=ok&warning=4")
        assert link.text == warning
        assert "text goes on" not in response.content.decode()
        assert not page.select("div.chapter, #story")
    response = client.get(link["href"].replace("viewstory.php", "/viewstory.php"))
    assert soup(response).select_one("#story").get_text(strip=True) == "Chapter 2 text goes on."
    # Consent is remembered the Fanfold way: the work's own page no longer asks.
    assert "Before you read" not in client.get(f"/works/{legacy.work.pk}").content.decode()


def test_members_who_see_adult_works_skip_the_notice(client, legacy, make_user):
    member = make_user()
    member.view_adult = True
    member.save()
    client.force_login(member)
    assert soup(client.get(PRINT_ALL.format(1))).select("div.chapter")


def test_works_posted_here_answer_with_their_own_ids_and_labels(client, make_user, make_work):
    author = make_user("Harbourmaster")
    work = make_work(
        author,
        rating="Explicit",
        relationships=["Ada Keeper/Tom Tide"],
        freeforms=["Slow Burn"],
    )
    explicit = Tag.objects.get(name="Explicit")
    gate = soup(client.get(PRINT_ALL.format(work.pk)))
    assert gate.select_one("div.errortext a")["href"].startswith(
        f"viewstory.php?sid={work.pk}&ageconsent=ok&warning={explicit.pk}"
    )
    page = soup(client.get(PRINT_ALL.format(work.pk) + f"&ageconsent=ok&warning={explicit.pk}"))
    assert page.select("#pagetitle a")[1]["href"] == f"viewuser.php?uid={author.pk}"
    shown = info(page)
    assert (shown["Rated"], shown["Warnings"]) == ("Explicit", "No Archive Warnings Apply")
    assert (shown["Pairing"], shown["Genres"]) == ("Ada Keeper/Tom Tide", "Slow Burn")
    fandom = page.find("a", string="Lighthouse Keepers")
    assert fandom["href"] == Tag.objects.get(name="Lighthouse Keepers").get_works_url()


def test_offsets_map_old_ids_not_fanfold_ids(client, legacy):
    assert legacy.work.pk != 1  # the offset is not zero
    response = client.get(f"/viewstory.php?sid={legacy.work.pk}&index=1")
    # That sid names no imported story (or a different one), never this one.
    assert response.status_code == 404 or "The Lamp Room" not in response.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        {"posted": False},
        {"hidden_by_admin": True},
        {"approval": Approval.PENDING},
        {"approval": Approval.REJECTED},
    ],
    ids=["draft", "hidden", "pending", "rejected"],
)
def test_unreadable_stories_do_not_exist(client, legacy, make_user, change):
    Work.objects.filter(pk=legacy.work.pk).update(**change)
    client.force_login(make_user())
    for query in ("&index=1", "&chapter=1", "&action=printable&chapter=all", ""):
        assert client.get(f"/viewstory.php?sid=1{query}{CONSENT}").status_code == 404


def test_hidden_stories_stay_hidden_through_the_service(client, legacy, moderator):
    work_set_hidden(work=legacy.work, hidden=True, actor=moderator, reason="spam")
    assert client.get(PRINT_ALL.format(1) + CONSENT).status_code == 404


def test_members_only_story_tells_guests_to_register(client, legacy, make_user):
    Work.objects.filter(pk=legacy.work.pk).update(restricted=True)
    response = client.get(PRINT_ALL.format(1) + CONSENT)
    assert response.status_code == 200
    page = soup(response)
    assert "Registered Users Only" in page.select_one("div.errortext").text
    assert not page.select("div.chapter") and "The tide" not in response.content.decode()
    client.force_login(make_user())
    assert soup(client.get(PRINT_ALL.format(1) + CONSENT)).select("div.chapter")


@pytest.mark.parametrize(
    "query",
    [
        "sid=abc&index=1",
        "sid=1'%20OR%201=1&index=1",
        "sid=1%27%20OR%201%3D1",
        "sid=99999999999999999999999999&index=1",
        "sid=" + "9" * 5000 + "&index=1",
        "sid=-1&index=1",
        "sid=&chapter=1",
        "sid=%D9%A1&index=1",  # an Arabic-Indic digit one: isdigit(), but not an id
        "sid=1&chapter=abc",
        "sid=1&chapter=0",
        "sid=1&chapid=x",
        "sid=1&action=printable&chapter=1;DROP",
        "index=1",
        "",
    ],
)
def test_garbage_is_not_found_never_an_error(client, legacy, query):
    assert client.get(f"/viewstory.php?{query}").status_code == 404


def test_garbage_text_size_is_ignored(client, legacy):
    response = client.get(PRINT_ALL.format(1) + CONSENT + "&textsize=%27x")
    assert response.status_code == 200 and "font-size: 100%" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        PRINT_ALL.format(1) + CONSENT,
        "/viewstory.php?sid=1&index=1",
        "/viewstory.php?sid=1&chapter=1" + CONSENT,
    ],
)
def test_story_pages_cost_the_same_queries_for_1_and_10_chapters(client, make_user, make_work, url):
    short = imported_story(make_user, make_work, chapters=1)
    client.get(url)  # the session and site settings are cached after the first visit
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    long = make_work(short.author, title="A Long One", chapters=10)
    short.imp.offsets["story"] = long.pk - 1
    short.imp.save()
    with CaptureQueriesContext(connection) as ten:
        response = client.get(url)
    assert response.status_code == 200 and "A Long One" in response.content.decode()
    assert len(ten) == len(one)
    # Nothing else: the hit waits in the page-view buffer.
    reads = [q for q in ten.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) <= 9


def test_reading_counts_a_hit_once_a_day_but_not_for_the_author(
    client, legacy, make_user, flush_views
):
    client.force_login(make_user())
    client.get(PRINT_ALL.format(1) + CONSENT)
    client.get("/viewstory.php?sid=1&chapter=2")
    flush_views()
    legacy.work.refresh_from_db()
    assert legacy.work.hits == 322
    client.force_login(legacy.author)
    client.get("/viewstory.php?sid=1&chapter=3")
    flush_views()
    legacy.work.refresh_from_db()
    assert legacy.work.hits == 322
