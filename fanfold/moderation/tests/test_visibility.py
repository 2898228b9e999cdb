"""A work waiting for approval (or rejected) reaches nobody but its creators and staff,
through every output that exists."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from fanfold.bookmarks.services import BookmarkFields, bookmark_create
from fanfold.filters.query import WorkFilter
from fanfold.filters.selectors import filter_works
from fanfold.history.models import Reading
from fanfold.moderation.services import work_approve, work_reject
from fanfold.works.models import Series, Work
from fanfold.works.selectors import guest_reading_stamp

pytestmark = pytest.mark.django_db

TITLE = "Lanterns Unseen"


@pytest.fixture(params=["pending", "rejected"])
def held(request, needs_approval, make_user, make_work, staff):
    """An author with one public work and one held back by the moderators."""
    author = make_user("author")
    author.trusted_author = True
    author.save(update_fields=["trusted_author"])
    make_work(author, title="Open Harbour", series_title="Harbour Cycle")
    author.trusted_author = False
    author.save(update_fields=["trusted_author"])
    work = make_work(
        author,
        title=TITLE,
        chapters=2,
        fandoms=("Lighthouse Keepers", "Quiet Fandom"),
        summary="Gulls over the lanterns.",
        series_title="Harbour Cycle",
    )
    # The author bookmarks it publicly, as an importer may bring over.
    bookmark_create(user=author, work=work, data=BookmarkFields(notes="mine"))
    if request.param == "rejected":
        work = work_reject(work=work, moderator=staff, message="Needs warnings.")
    return author, work


READER_URLS = {
    "work": lambda a, w: w.get_absolute_url(),
    "full work": lambda a, w: w.get_absolute_url() + "?view_full_work=true",
    "chapter": lambda a, w: w.chapters.order_by("position").last().get_absolute_url(),
    "navigate": lambda a, w: reverse("works:navigate", args=[w.pk]),
    "kudos list": lambda a, w: reverse("kudos:list", args=[w.pk]),
    "work bookmarks": lambda a, w: reverse("bookmarks:work", args=[w.pk]),
}

# Each listing, and whether the author's public work shows there (a sanity check that
# the page lists works at all).
LISTING_URLS = {
    "home": (lambda a: reverse("archive:home"), True),
    "works": (lambda a: reverse("works:index"), True),
    "search": (lambda a: reverse("works:index") + "?q=lanterns", False),
    "search text": (lambda a: reverse("works:index") + "?q=gulls&q_body=1", False),
    "user works": (lambda a: reverse("works:user_works", args=[a.username]), True),
    "pseud works": (lambda a: reverse("works:pseud_works", args=[a.username, a.username]), True),
    "tag works": (lambda a: "/tags/Lighthouse Keepers/works", True),
    "user bookmarks": (lambda a: reverse("bookmarks:user", args=[a.username]), False),
    "series": (lambda a: Series.objects.get(owner=a).get_absolute_url(), True),
}


@pytest.mark.parametrize("viewer", ["guest", "member"])
@pytest.mark.parametrize("url", READER_URLS.values(), ids=READER_URLS.keys())
def test_reading_pages_are_not_found(client, held, make_user, viewer, url):
    author, work = held
    if viewer == "member":
        client.force_login(make_user())
    response = client.get(url(author, work))
    assert response.status_code == 404 or TITLE not in response.text


@pytest.mark.parametrize("viewer", ["guest", "member", "author"])
@pytest.mark.parametrize("listing", LISTING_URLS.values(), ids=LISTING_URLS.keys())
def test_listings_leave_it_out(client, held, make_user, viewer, listing):
    author, _ = held
    url, lists_public = listing
    if viewer == "author" and "bookmarks" in url(author):
        pytest.skip("the author's own bookmarks page shows them their own work")
    if viewer == "author" and "/series/" in url(author):
        pytest.skip("the series owner's 'manage parts' list shows them every part")
    who = {"member": make_user(), "author": author}.get(viewer)
    if who is not None:
        client.force_login(who)
    client.get(reverse("works:index"))  # builds this process's filter index first
    html = client.get(url(author)).text
    assert TITLE not in html
    assert ("Open Harbour" in html) == lists_public


def test_its_only_tag_shows_nothing(client, held):
    response = client.get("/tags/Quiet Fandom/works")
    assert response.status_code == 404 or TITLE not in response.text


@pytest.mark.parametrize("viewer", ["author", "staff"])
def test_its_creators_and_staff_read_it_with_a_notice(client, held, staff, viewer):
    author, work = held
    client.force_login(author if viewer == "author" else staff)
    page = client.get(work.get_absolute_url()).text
    assert TITLE in page
    if work.approval == "pending":
        assert "Waiting for approval" in page
    else:
        assert "Not approved" in page and "Needs warnings." in page
    assert client.get(work.chapters.last().get_absolute_url()).status_code == 200


def test_drafts_page_tells_the_author(client, held):
    author, work = held
    client.force_login(author)
    page = client.get(reverse("works:drafts")).text
    assert TITLE in page
    assert ("Needs warnings." in page) == (work.approval == "rejected")


def test_guest_page_cache_and_filter_index_skip_it_until_approved(held, staff, make_user):
    _, work = held
    assert guest_reading_stamp(work.pk) is None
    query = WorkFilter.from_params(QueryDict("q=lanterns"))
    # Counts and facets come from the index itself, not only the page of ids.
    for use_index in (True, False):
        result = filter_works(query, None, use_index=use_index)
        assert result.total == 0 and work.pk not in result.work_ids
    fandom = WorkFilter.from_params(QueryDict("tag=Quiet Fandom"))
    assert filter_works(fandom, None).total == 0
    work_approve(work=work, moderator=staff)
    assert guest_reading_stamp(work.pk) is not None
    # The shared index hears of the approval through the change log.
    for use_index in (True, False):
        result = filter_works(query, None, use_index=use_index)
        assert result.total == 1 and work.pk in result.work_ids
    assert filter_works(fandom, None).total == 1


def test_readers_cannot_leave_feedback_or_history(client, held, make_user, stamped):
    _, work = held
    reader = make_user()
    client.force_login(reader)
    client.post(reverse("kudos:create", args=[work.pk]))
    client.post(reverse("comments:new", args=[work.pk]), stamped({"body": "<p>Hello</p>"}))
    client.post(reverse("bookmarks:new_work", args=[work.pk]), {"notes": "x"})
    client.post(reverse("history:mark", args=[work.pk]))
    work = Work.objects.get(pk=work.pk)
    assert (work.kudos_count, work.comment_count, work.bookmark_count) == (0, 0, 1)
    assert not Reading.objects.filter(user=reader).exists()


def test_pending_work_has_no_comment_form_even_for_staff(client, held, staff, stamped):
    _, work = held
    client.force_login(staff)
    client.post(reverse("comments:new", args=[work.pk]), stamped({"body": "<p>Staff note</p>"}))
    assert Work.objects.get(pk=work.pk).comment_count == 0
