"""A member's bookmarks show each work's whole blurb, as the works listing does, in the
same number of queries for one bookmark as for a page of twenty; a bookmarked work gone
out of sight stays on its owner's list without its title."""

import pytest
from django.urls import reverse

from fanfold.bookmarks.models import Bookmark
from fanfold.bookmarks.services import BookmarkFields, bookmark_create
from fanfold.conftest import copy_works
from fanfold.works.models import Work
from fanfold.works.tests.blurb_checks import assert_full_blurb, queries_for, rich_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(make_user, make_work):
    reader = make_user("reader")
    work = rich_work(make_user, make_work)
    bookmark_create(user=reader, work=work, data=BookmarkFields(notes="Cosy.", tags=["Comfort"]))
    return reader, work


def test_each_bookmark_shows_the_works_blurb(client, shelf):
    reader, _ = shelf
    url = reverse("bookmarks:user", args=[reader.username])
    assert_full_blurb(client.get(url).content.decode())  # as a guest
    client.force_login(reader)
    page = client.get(url).content.decode()
    assert_full_blurb(page)
    assert "Cosy." in page and "Comfort" in page  # the bookmark's own part stays


def test_twenty_bookmarks_cost_the_queries_of_one(client, shelf):
    reader, work = shelf
    url = reverse("bookmarks:user", args=[reader.username])
    client.force_login(reader)
    one = queries_for(client, url)
    pseud = reader.default_pseud
    Bookmark.objects.bulk_create(
        Bookmark(user=reader, pseud=pseud, work=copy) for copy in copy_works(work, 19)
    )
    page = client.get(url).content.decode()
    assert page.count('class="work blurb') == 20
    assert queries_for(client, url) == one


def test_a_work_gone_out_of_sight_is_no_longer_named(client, shelf, make_user):
    reader, work = shelf
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    url = reverse("bookmarks:user", args=[reader.username])
    client.force_login(reader)
    page = client.get(url).content.decode()
    assert "This work is no longer available." in page
    assert "Lantern Keepers" not in page and "Slow Burn" not in page
    client.force_login(make_user())
    assert "no longer available" not in client.get(url).content.decode()
