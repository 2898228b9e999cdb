"""The one visibility rule, per kind of viewer, through every output.

Listings show staff exactly what they show members (the decision in
works/querysets.py), whatever their role; a deactivated (inactive) account sees what
guests see; a member the author blocked still sees the author's works (blocking stops
contact, not reading).
"""

import json

import pytest
from django.urls import reverse

from fanfold.blocking.services import user_block
from fanfold.bookmarks.services import BookmarkFields, bookmark_create
from fanfold.challenges.services import ChallengeFields, challenge_create
from fanfold.staff.roles import Role
from fanfold.tags.models import Tag
from fanfold.works.models import Series, Work

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
VIEWERS = {
    "guest": GUEST_SET,
    "deactivated": GUEST_SET,
    "member": MEMBER_SET,
    "blocked": MEMBER_SET,
    "moderator": MEMBER_SET,
    "wrangler": MEMBER_SET,
}


@pytest.fixture
def shelf(make_user, make_work):
    author = make_user("author")
    challenge = challenge_create(owner=make_user("setter"), data=ChallengeFields(title="Storm"))
    works = {}
    for kind, (title, own_tag) in KINDS.items():
        works[kind] = make_work(
            author,
            title=title,
            summary="Tidewater tales.",
            freeforms=[own_tag],
            series_title="Harbour Cycle",
            challenge_id=challenge.pk,
            restricted=kind == "members",
            post=kind != "draft",
        )
        if kind != "draft":
            bookmark_create(user=author, work=works[kind], data=BookmarkFields(notes="mine"))
    Work.objects.filter(pk=works["hidden"].pk).update(hidden_by_admin=True)
    Work.objects.filter(pk=works["pending"].pk).update(approval="pending")
    return author, works, challenge


def log_in(client, who: str, author, make_user) -> None:
    if who == "guest":
        return
    roles = {"moderator": [Role.MODERATOR], "wrangler": [Role.WRANGLER]}.get(who, [])
    user = make_user(who, roles=roles)
    if who == "blocked":
        user_block(blocker=author, blocked=user)
    client.force_login(user)
    if who == "deactivated":
        # Deactivated after logging in: the session outlives the account's standing.
        user.is_active = False
        user.save(update_fields=["is_active"])


def kinds_named_in(text: str) -> set[str]:
    return {kind for kind, (title, own_tag) in KINDS.items() if title in text or own_tag in text}


LISTINGS = {
    "home": lambda a, w, c: reverse("archive:home"),
    "works": lambda a, w, c: reverse("works:index"),
    "all facets": lambda a, w, c: reverse("works:index") + "?facets=all",
    "search": lambda a, w, c: reverse("works:index") + "?q=tidewater",
    "search text": lambda a, w, c: reverse("works:index") + "?q=tide&q_body=1",
    "user works": lambda a, w, c: reverse("works:user_works", args=[a.username]),
    "pseud works": lambda a, w, c: reverse("works:pseud_works", args=[a.username, a.username]),
    "tag works": lambda a, w, c: "/tags/Lighthouse Keepers/works",
    "series": lambda a, w, c: Series.objects.get(owner=a).get_absolute_url(),
    "filtered series": lambda a, w, c: (
        Series.objects.get(owner=a).get_absolute_url() + "?sort=title"
    ),
    "challenge": lambda a, w, c: reverse("challenges:detail", args=[c.pk]),
    "user bookmarks": lambda a, w, c: reverse("bookmarks:user", args=[a.username]),
    "autocomplete": lambda a, w, c: "/tags/autocomplete?term=seaglass",
    "tag search": lambda a, w, c: reverse("tags:search") + "?q=seaglass",
    "old browse": lambda a, w, c: "/browse.php?type=titles",
    "old search": lambda a, w, c: "/search.php?searchterm=tidewater",
}


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("listing", LISTINGS.values(), ids=LISTINGS.keys())
def test_every_listing_shows_each_viewer_their_set(client, shelf, make_user, who, listing):
    author, works, challenge = shelf
    log_in(client, who, author, make_user)
    response = client.get(listing(author, works, challenge), follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        text = " ".join(t["name"] for t in json.loads(text)["tags"])
    assert kinds_named_in(text) == VIEWERS[who]


@pytest.mark.parametrize("who", VIEWERS)
def test_authors_list_counts_each_viewers_set(client, shelf, make_user, who):
    author, *_ = shelf
    log_in(client, who, author, make_user)
    page = client.get(reverse("accounts:authors")).content.decode()
    count = len(VIEWERS[who])
    assert f">author</a> ({count} work{'s' if count > 1 else ''})" in page


@pytest.mark.parametrize("who", VIEWERS)
def test_people_search_counts_each_viewers_set(client, shelf, make_user, who):
    author, *_ = shelf
    log_in(client, who, author, make_user)
    page = client.get(reverse("accounts:people_search") + "?q=author").content.decode()
    count = len(VIEWERS[who])
    assert f">{count} work{'s' if count > 1 else ''}</a>" in page


@pytest.mark.parametrize("who", VIEWERS)
def test_the_fandom_directory_counts_each_viewers_set(client, shelf, make_user, who):
    author, *_ = shelf
    log_in(client, who, author, make_user)
    page = client.get(reverse("tags:fandoms")).content.decode()
    count = len(VIEWERS[who])
    assert f'>Lighthouse Keepers</a> <span class="count">({count} work' in page


@pytest.mark.parametrize("who", VIEWERS)
def test_the_old_feed_shows_only_what_guests_see(client, shelf, make_user, who):
    author, *_ = shelf
    log_in(client, who, author, make_user)
    assert kinds_named_in(client.get("/rss.php").content.decode()) == GUEST_SET


@pytest.mark.parametrize("who", VIEWERS)
def test_tag_pages_exist_only_for_tags_of_works_the_viewer_sees(client, shelf, make_user, who):
    author, *_ = shelf
    log_in(client, who, author, make_user)
    found = {
        kind
        for kind, (_, own_tag) in KINDS.items()
        for url in (Tag.objects.named(own_tag).get().get_absolute_url(),)
        if client.get(url).status_code == 200 and client.get(url + "/works").status_code == 200
    }
    assert found == VIEWERS[who]


def _page_answer(response) -> str:
    if response.status_code == 302 and "/login" in response["Location"]:
        return "log in"
    if response.status_code == 200 and "Registered Users Only" in response.content.decode():
        return "log in"  # eFiction's own members-only page, which reader tools know
    return {200: "read", 404: "missing"}.get(response.status_code, str(response.status_code))


# What each viewer gets on a work's own page: moderators may open hidden and held works
# (to unhide, approve or reject them), which no listing shows them.
WORK_PAGE = {
    "guest": {"public": "read", "members": "log in"},
    "deactivated": {"public": "read", "members": "log in"},
    "member": {"public": "read", "members": "read"},
    "blocked": {"public": "read", "members": "read"},
    "moderator": {"public": "read", "members": "read", "hidden": "read", "pending": "read"},
    "wrangler": {"public": "read", "members": "read"},
}
WORK_PAGES = {
    "work": lambda w: w.get_absolute_url(),
    "chapter": lambda w: w.chapters.get().get_absolute_url(),
    "old story index": lambda w: f"/viewstory.php?sid={w.pk}&index=1",
    "old printable": lambda w: f"/viewstory.php?sid={w.pk}&action=printable&chapter=all",
}


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("page", WORK_PAGES.values(), ids=WORK_PAGES.keys())
def test_work_pages_answer_each_viewer_by_the_rule(client, shelf, make_user, who, page):
    author, works, _ = shelf
    log_in(client, who, author, make_user)
    answers = {kind: _page_answer(client.get(page(work))) for kind, work in works.items()}
    assert answers == {kind: WORK_PAGE[who].get(kind, "missing") for kind in KINDS}


def _download_answer(response) -> str:
    if response.status_code == 200 and response.streaming:
        return "read"  # the file itself
    return _page_answer(response)


@pytest.mark.parametrize("who", VIEWERS)
def test_downloads_follow_the_listings_rule(client, shelf, make_user, who):
    """What a viewer may list they may download; staff read hidden and held works on
    their pages but never download them, and creators never download a draft."""
    author, works, _ = shelf
    log_in(client, who, author, make_user)
    answers = {
        kind: _download_answer(client.get(f"/downloads/{work.pk}/any_title.epub"))
        for kind, work in works.items()
    }
    members = "read" if VIEWERS[who] == MEMBER_SET else "log in"
    assert answers == {
        kind: {"public": "read", "members": members}.get(kind, "missing") for kind in KINDS
    }


@pytest.mark.parametrize("who", VIEWERS)
def test_a_series_download_holds_each_viewers_set(client, shelf, make_user, who):
    author, *_ = shelf
    log_in(client, who, author, make_user)
    series = Series.objects.get(owner=author)
    response = client.get(f"/downloads/series/{series.pk}/harbour_cycle.html")
    assert response.status_code == 200
    assert kinds_named_in(b"".join(response.streaming_content).decode()) == VIEWERS[who]


def test_a_deactivated_account_is_a_guest_to_the_rule_itself(shelf, make_user):
    """Background tasks and services pass accounts, not sessions: the rule must not
    rely on the login middleware to catch a deactivated one."""
    deactivated = make_user("deactivated")
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    titles = set(Work.objects.visible_to(deactivated).values_list("title", flat=True))
    assert titles == {KINDS["public"][0]}
    assert not Work.objects.members_only().visible_to(deactivated).exists()


def test_the_filter_index_holds_exactly_what_members_see(shelf):
    from fanfold.filters.index import FilterIndex

    index = FilterIndex.build(words=True)
    members = set(Work.objects.visible_to_members().values_list("pk", flat=True))
    assert set(index.ids[: index.n].tolist()) == members
    restricted = {int(index.ids[p]) for p in index.flags["restricted"]}
    assert restricted == set(Work.objects.members_only().values_list("pk", flat=True))
