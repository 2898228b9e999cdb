"""Nothing a reader may not see leaks through any endpoint: not a draft's, hidden or
held work's title, not its tags, not in a count. Members-only works reach a program
only with a member's token. One shelf, every endpoint, every kind of viewer."""

from __future__ import annotations

import json

import pytest

from fanfold.accounts.models import User
from fanfold.bookmarks.services import BookmarkFields, bookmark_create
from fanfold.history.services import reading_mark_for_later, reading_record
from fanfold.staff.roles import Role
from fanfold.subscriptions.services import subscription_create
from fanfold.tags.models import Tag
from fanfold.works.models import Series, Work

from .conftest import Api

pytestmark = pytest.mark.django_db

# kind: (title, its own free-form tag)
KINDS = {
    "public": ("Open Sea", "Seaglass Open"),
    "members": ("Locked Cove", "Seaglass Locked"),
    "draft": ("Unfinished Map", "Seaglass Unfinished"),
    "hidden": ("Hidden Reef", "Seaglass Hidden"),
    "pending": ("Waiting Dock", "Seaglass Waiting"),
}
GUEST_SET = {"public"}
MEMBER_SET = {"public", "members"}
# The author's own token sees what members see: the API never serves drafts, nor the
# author's own hidden or held works (a leaked token must not reveal them).
VIEWERS = {"guest": GUEST_SET, "member": MEMBER_SET, "moderator": MEMBER_SET, "author": MEMBER_SET}


def named(text: str) -> set[str]:
    return {kind for kind, (title, tag) in KINDS.items() if title in text or tag in text}


@pytest.fixture
def shelf(make_user, make_work, token_api):
    author = make_user("author")
    reader = make_user("reader")
    works = {}
    for kind, (title, own_tag) in KINDS.items():
        works[kind] = make_work(
            author,
            title=title,
            summary="Tidewater tales.",
            freeforms=[own_tag],
            series_title="Harbour Cycle",
            restricted=kind == "members",
            post=kind != "draft",
        )
        if kind != "draft":
            for who in (author, reader):
                bookmark_create(user=who, work=works[kind], data=BookmarkFields(notes="mine"))
                subscription_create(user=who, work=works[kind])
                reading_record(user=who, work=works[kind], chapter_position=1)
                reading_mark_for_later(user=who, work=works[kind], marked=True)
    Work.objects.filter(pk=works["hidden"].pk).update(hidden_by_admin=True)
    Work.objects.filter(pk=works["pending"].pk).update(approval="pending")
    apis = {
        "guest": Api(),
        "member": token_api(reader),
        "moderator": token_api(make_user("mod", roles=[Role.MODERATOR])),
        "author": token_api(author),
    }
    return works, apis


def everything(api: Api, path: str, data: dict | None = None) -> list[dict]:
    """Every page of a listing, following next_cursor."""
    pages, data = [], dict(data or {})
    while True:
        page = api.json(path, data)
        pages.append(page)
        if not page["next_cursor"]:
            return pages
        data["cursor"] = page["next_cursor"]


LISTINGS = {
    "works": ("/works", {}),
    "all facets": ("/works", {"facets": "all"}),
    "search": ("/works", {"q": "tidewater"}),
    "search text": ("/works", {"q": "tide", "q_body": "true"}),
    "by fandom": ("/works", {"tag": "Lighthouse Keepers"}),
    "tags": ("/tags", {"limit": 5}),
    "tag search": ("/tags", {"q": "seaglass"}),
}


@pytest.mark.parametrize("who", VIEWERS)
def test_every_listing_names_only_the_viewers_set(shelf, who):
    _works, apis = shelf
    found = {
        name: named(json.dumps(everything(apis[who], path, data)))
        for name, (path, data) in LISTINGS.items()
    }
    series = apis[who].json(f"/series/{Series.objects.get().pk}")
    found["a series"] = named(json.dumps(series))
    assert found == dict.fromkeys(found, VIEWERS[who])
    assert [s["title"] for s in apis[who].json("/series")["results"]] == ["Harbour Cycle"]


@pytest.mark.parametrize("who", VIEWERS)
def test_counts_count_only_the_viewers_set(shelf, who):
    _works, apis = shelf
    api, expected = apis[who], len(VIEWERS[who])
    listing = api.json("/works", {"facets": "all"})
    assert listing["total"] == expected
    fandoms = next(g for g in listing["facets"] if g["type"] == "fandom")["entries"]
    assert [(e["name"], e["count"]) for e in fandoms] == [("Lighthouse Keepers", expected)]
    fandom = Tag.objects.named("Lighthouse Keepers").get()
    assert api.json(f"/tags/{fandom.pk}")["works_count"] == expected
    listed = api.json("/tags", {"q": "lighthouse"})["results"]
    assert [t["works_count"] for t in listed] == [expected]
    assert api.json(f"/series/{Series.objects.get().pk}")["works_count"] == expected
    assert api.json("/users/author")["works_count"] == expected


# What each viewer gets when asking for a work by id.
ANSWERS = {
    "guest": {"public": 200, "members": 401},
    "member": {"public": 200, "members": 200},
    "moderator": {"public": 200, "members": 200},
    "author": {"public": 200, "members": 200},
}


@pytest.mark.parametrize("who", VIEWERS)
def test_a_work_its_chapters_and_its_tags_answer_by_the_rule(shelf, who):
    works, apis = shelf
    api = apis[who]
    for kind, work in works.items():
        chapter = work.chapters.get()
        expected = ANSWERS[who].get(kind, 404)
        for path in (
            f"/works/{work.pk}",
            f"/works/{work.pk}/chapters",
            f"/works/{work.pk}/chapters/{chapter.pk}",
        ):
            response = api.get(path)
            assert response.status_code == expected, (kind, path)
            assert named(response.content.decode()) <= ({kind} if expected == 200 else set())
        if expected == 200:
            assert named(api.get(f"/works/{work.pk}").content.decode()) == {kind}
        tag = Tag.objects.named(KINDS[kind][1]).get()
        response = api.get(f"/tags/{tag.pk}")
        assert response.status_code == (200 if kind in VIEWERS[who] else 404), kind
        assert named(response.content.decode()) <= VIEWERS[who]


@pytest.mark.parametrize("who", ["member", "author"])
def test_own_lists_keep_rows_but_name_only_visible_works(shelf, who):
    _works, apis = shelf
    api = apis[who]
    for path, data in (
        ("/me/bookmarks", {}),
        ("/me/subscriptions", {}),
        ("/me/history", {}),
        ("/me/history", {"marked_for_later": "true"}),
    ):
        rows = [
            row for page in everything(api, path, {**data, "limit": 2}) for row in page["results"]
        ]
        # Four non-draft works each: the hidden and held ones stay, unnamed.
        assert len(rows) == 4, path
        assert named(json.dumps(rows)) == MEMBER_SET
        assert sorted(row["available"] for row in rows) == [False, False, True, True]
        for row in rows:
            if not row["available"]:
                assert row["work"] is None


def test_a_deactivated_members_token_is_refused(shelf):
    works, apis = shelf
    User.objects.filter(username="reader").update(is_active=False)
    response = apis["member"].get(f"/works/{works['members'].pk}")
    assert response.status_code == 401
    assert named(response.content.decode()) == set()
