"""Old eFiction addresses that now live elsewhere answer with a permanent redirect to the
Fanfold page; unknown ids are 404s and garbage is never a 500."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from fanfold.comments.services import CommentFields, comment_create
from fanfold.efiction.models import Kind
from fanfold.efiction.tests.legacy_story import imported_story
from fanfold.tags.models import Tag
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def legacy(make_user, make_work):
    return imported_story(make_user, make_work)


def moved_to(client, url: str, method: str = "get") -> str:
    response = getattr(client, method)(url)
    assert response.status_code == 301, (url, response.status_code)
    return response["Location"]


def test_bare_story_link_goes_to_the_work(client, legacy):
    assert moved_to(client, "/viewstory.php?sid=1") == f"/works/{legacy.work.pk}"
    assert moved_to(client, "/viewstory.php?sid=1&textsize=2&skin=Blue") == (
        f"/works/{legacy.work.pk}"
    )


def test_bare_links_to_missing_or_unreadable_stories_are_not_found(client, legacy):
    assert client.get("/viewstory.php?sid=99").status_code == 404
    Work.objects.filter(pk=legacy.work.pk).update(posted=False)
    assert client.get("/viewstory.php?sid=1").status_code == 404


def test_members_only_story_link_still_leads_to_the_work(client, legacy):
    # The work page itself asks the guest to log in.
    Work.objects.filter(pk=legacy.work.pk).update(restricted=True)
    assert moved_to(client, "/viewstory.php?sid=1") == f"/works/{legacy.work.pk}"


def test_archive_that_never_imported_uses_its_own_ids(client, make_user, make_work):
    work = make_work(make_user())
    assert moved_to(client, f"/viewstory.php?sid={work.pk}") == f"/works/{work.pk}"


@pytest.mark.parametrize(
    "action, page",
    [
        ("", "/users/Quillmoth"),
        ("&action=storiesby", "/users/Quillmoth/works"),
        ("&action=favst", "/users/Quillmoth/bookmarks"),
        ("&action=favse", "/users/Quillmoth/bookmarks"),
        ("&action=seriesby", "/users/Quillmoth"),
        ("&action=reviewsby", "/users/Quillmoth"),
        ("&action=favau", "/users/Quillmoth"),
    ],
)
def test_member_pages(client, legacy, action, page):
    assert moved_to(client, f"/viewuser.php?uid=1{action}") == page
    assert client.get(page).status_code == 200


def test_closed_or_unknown_members_are_not_found(client, legacy):
    legacy.author.is_active = False
    legacy.author.save()
    assert client.get("/viewuser.php?uid=1").status_code == 404
    assert client.get("/viewuser.php?uid=404").status_code == 404


def test_series_link(client, legacy):
    assert moved_to(client, "/viewseries.php?seriesid=1") == f"/series/{legacy.series.pk}"
    assert client.get("/viewseries.php?seriesid=77").status_code == 404


@pytest.mark.parametrize(
    "query, tag_name",
    [
        ("type=categories&catid=12", "Lighthouse Keepers"),
        ("type=categories&catid=12,40", "Lighthouse Keepers"),
        ("type=characters&charid=6", "Tom Tide"),
        ("type=class&type_id=1&classid=4", "Hurt/Comfort"),
        ("type=class&classid=9", "Character Death"),
    ],
)
def test_browse_by_tag_goes_to_the_tag_works_page(client, legacy, query, tag_name):
    target = moved_to(client, f"/browse.php?{query}")
    assert target == Tag.objects.get(name=tag_name).get_works_url()
    assert "The Lamp Room" in client.get(target).content.decode()


@pytest.mark.parametrize(
    "query, target",
    [
        ("type=categories&catid=999", "/works"),
        ("type=categories&catid=abc", "/works"),
        ("type=characters", "/works"),
        ("type=recent", "/works?sort=updated"),
        ("type=titles", "/works?sort=title"),
        ("type=featured", "/works"),
        ("type=series", "/series"),
        ("type=challenges", "/challenges"),
        ("type=series&offset=20", "/series"),
        ("type=nonsense", "/works"),
        ("", "/works"),
    ],
)
def test_other_browse_pages_go_to_the_nearest_listing(client, legacy, query, target):
    assert moved_to(client, f"/browse.php?{query}") == target


def test_browse_by_rating_filters_the_listing(client, legacy):
    mature = Tag.objects.get(name="Mature")
    assert moved_to(client, "/browse.php?type=ratings&rid=4") == f"/works?rating={mature.pk}"


def test_reviews_of_a_story_chapter_and_a_single_review(client, legacy, make_user):
    work = legacy.work
    assert moved_to(client, "/reviews.php?type=ST&item=1") == f"/works/{work.pk}#comments"
    chapter = legacy.chapters[1]
    chapid = legacy.imp.legacy_for(Kind.CHAPTER, chapter.pk)
    assert moved_to(client, f"/reviews.php?type=ST&item=1&chapid={chapid}") == (
        f"/works/{work.pk}/chapters/{chapter.pk}#comments"
    )
    comment = comment_create(work=work, user=make_user(), data=CommentFields(body="Lovely."))
    reviewid = legacy.imp.legacy_for(Kind.REVIEW, comment.pk)
    assert moved_to(client, f"/reviews.php?reviewid={reviewid}") == f"/comments/{comment.pk}"
    assert moved_to(client, "/reviews.php?type=SE&item=1") == f"/series/{legacy.series.pk}"
    for missing in ("reviewid=999", "type=ST&item=999", "type=ST&item=1&chapid=999"):
        assert client.get(f"/reviews.php?{missing}").status_code == 404


@pytest.mark.parametrize(
    "url, target",
    [
        ("/authors.php", "/authors"),
        ("/authors.php?list=authors&let=Q", "/authors?letter=q"),
        ("/viewpage.php?page=rules", "/pages/rules"),
        ("/viewpage.php?page=tos", "/pages/terms"),
        ("/viewpage.php?page=help", "/pages/rules"),
        ("/search.php?searchterm=lamp%20room&searchtype=title", "/works?q=lamp+room"),
        ("/search.php", "/works"),
        ("/toplists.php?list=longstories", "/works?sort=words"),
        ("/toplists.php?list=readstories", "/works?sort=hits"),
        ("/toplists.php?list=reviewedstories", "/works?sort=comments"),
        ("/toplists.php?list=favstories", "/works?sort=bookmarks"),
        ("/toplists.php?list=prolificauthors", "/authors"),
        ("/toplists.php?list=largeseries", "/works"),
        ("/index.php", "/"),
        ("/news.php?action=newsstory&nid=3", "/"),
        ("/series.php?action=add", "/"),
        ("/user.php?action=login", "/login"),
        ("/user.php?action=register", "/signup"),
        ("/user.php?action=lostpassword", "/password-reset"),
        ("/stories.php?action=newstory", "/works/new"),
        ("/stories.php?action=viewstories", "/drafts"),
    ],
)
def test_site_pages_go_to_their_fanfold_pages(client, url, target):
    assert moved_to(client, url) == target


def test_reader_tools_posting_a_login_are_sent_to_the_login_page(client):
    # FanFicFare posts eFiction's login form here; no CSRF error, no login either.
    response = client.post("/user.php?action=login", {"penname": "x", "password": "y"})
    assert (response.status_code, response["Location"]) == (301, "/login")


def test_unknown_custom_page_is_not_found(client):
    assert client.get("/viewpage.php?page=links").status_code == 404


def test_chapter_files_are_never_served(client, legacy):
    assert client.get("/stories/1/11.txt").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/viewuser.php?uid=abc",
        "/viewuser.php?uid=" + "1" * 5000,
        "/viewuser.php?uid=1'%20OR%201=1",
        "/viewuser.php",
        "/viewseries.php?seriesid=99999999999999999999999",
        "/reviews.php?type=ST&item=%00",
        "/reviews.php?reviewid=-3",
        "/reviews.php?type=ST&item=1&chapid=1e9",
    ],
)
def test_garbage_ids_are_not_found(client, legacy, url):
    assert client.get(url).status_code == 404


def test_redirect_urls_resolve_by_name():
    assert reverse("efiction:viewstory") == "/viewstory.php"
    assert reverse("efiction:rss") == "/rss.php"


def test_challenge_link_on_the_story_and_its_redirect(client, legacy):
    from fanfold.challenges.models import Challenge

    challenge = Challenge.objects.create(title="Winter Swap")
    Work.objects.filter(pk=legacy.work.pk).update(challenge=challenge)
    legacy.imp.offsets[Kind.CHALLENGE] = challenge.pk - 2
    legacy.imp.save()
    response = client.get("/viewstory.php?sid=1&index=1")
    link = BeautifulSoup(response.content.decode(), "html.parser").find("a", string="Winter Swap")
    assert link["href"] == "modules/challenges/challenges.php?chalid=2"
    assert moved_to(client, "/" + link["href"]) == f"/challenges/{challenge.pk}"
    for missing in ("chalid=3", "chalid=x", ""):
        url = f"/modules/challenges/challenges.php?{missing}"
        assert client.get(url).status_code == 404
