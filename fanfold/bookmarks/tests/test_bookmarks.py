import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fanfold.bookmarks.models import Bookmark
from fanfold.bookmarks.selectors import bookmarks_of_user, public_bookmarks_of_work
from fanfold.bookmarks.services import (
    BookmarkFields,
    bookmark_create,
    bookmark_delete,
    bookmark_update,
)
from fanfold.works.models import Work
from fanfold.works.staff_services import work_set_hidden

pytestmark = pytest.mark.django_db


def count(work):
    return Work.objects.get(pk=work.pk).bookmark_count


def test_public_bookmarks_count_and_show_private_ones_dont(make_user, make_work):
    work = make_work(make_user("author"))
    fan, shy = make_user("fan"), make_user("shy")
    bookmark_create(
        user=fan,
        work=work,
        data=BookmarkFields(notes="Read this!", tags=["Comfort", "Slow Burn"], rec=True),
    )
    private = bookmark_create(user=shy, work=work, data=BookmarkFields(private=True, rec=True))
    assert count(work) == 1
    assert not private.rec  # a private bookmark can't recommend
    assert [b.user.username for b in public_bookmarks_of_work(work=work, viewer=None)] == ["fan"]
    with pytest.raises(ValidationError, match="already bookmarked"):
        bookmark_create(user=fan, work=work, data=BookmarkFields())
    bookmark_update(bookmark=private, user=shy, data=BookmarkFields(private=False))
    assert count(work) == 2
    with pytest.raises(PermissionDenied):
        bookmark_delete(bookmark=private, user=fan)
    bookmark_delete(bookmark=private, user=shy)
    assert count(work) == 1


def test_owner_list_search_tags_sort(make_user, make_work):
    owner = make_user("owner")
    a = make_work(make_user(), title="Harbour Lights")
    b = make_work(make_user(), title="Winter Orchard")
    bookmark_create(user=owner, work=a, data=BookmarkFields(notes="cosy", tags=["Fluff"]))
    bookmark_create(
        user=owner,
        work=b,
        data=BookmarkFields(notes="sad but good", tags=["Angst", "fluff"], private=True),
    )
    titles = lambda qs: [bm.work.title for bm in qs]  # noqa: E731
    assert titles(bookmarks_of_user(owner=owner, viewer=owner, tag="FLUFF", sort="title")) == [
        "Harbour Lights",
        "Winter Orchard",
    ]
    assert titles(bookmarks_of_user(owner=owner, viewer=owner, q="sad")) == ["Winter Orchard"]
    assert titles(bookmarks_of_user(owner=owner, viewer=None)) == [
        "Harbour Lights"
    ]  # private hidden


def test_bookmarks_never_reveal_hidden_or_restricted_works(client, make_user, make_work, moderator):
    owner = make_user("owner")
    hidden = make_work(make_user(), title="Gone Quiet")
    members = make_work(make_user(), title="Members Corner", restricted=True)
    for work in (hidden, members):
        bookmark_create(user=owner, work=work, data=BookmarkFields(notes="note"))
    work_set_hidden(work=hidden, hidden=True, actor=moderator)
    guest_page = client.get(reverse("bookmarks:user", args=["owner"])).content.decode()
    assert "Gone Quiet" not in guest_page and "Members Corner" not in guest_page
    client.force_login(owner)
    own_page = client.get(reverse("bookmarks:user", args=["owner"])).content.decode()
    assert "Members Corner" in own_page and "no longer available" in own_page
    assert "Gone Quiet" not in own_page


def test_bookmark_form_round_trip(client, make_user, make_work):
    work = make_work(make_user("author"))
    reader = make_user("reader")
    client.force_login(reader)
    url = reverse("bookmarks:new_work", args=[work.pk])
    bad = client.post(url, {"notes": "x" * 5001, "tags": "Tea, Rain"})
    assert bad.status_code == 200 and "Rain" in bad.content.decode()
    assert client.post(url, {"notes": "<b>Great</b>", "tags": "Tea, Rain, tea"}).status_code == 302
    bookmark = Bookmark.objects.get()
    assert bookmark.tag_names == ["Tea", "Rain"] and "<b>Great</b>" in bookmark.notes_html
    assert client.get(url).status_code == 302  # second bookmark goes to edit
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Edit bookmark" in page and 'dd class="bookmarks"' in page


def test_series_bookmark(make_user, make_work):
    work = make_work(make_user("author"), series_title="Harbour Cycle")
    series = work.series.get()
    bookmark = bookmark_create(
        user=make_user(), series=series, data=BookmarkFields(notes="whole cycle")
    )
    assert bookmark.target == series and count(work) == 0
