"""A series with no part the viewer may read does not exist for them: every page that
takes a series number answers as for a number nobody used, and no page prints its title."""

import pytest
from django.urls import reverse

from fanfold.bookmarks.services import BookmarkFields, bookmark_create
from fanfold.works.models import Series, SeriesState, Work
from fanfold.works.tests.test_posting_views import form_data

pytestmark = pytest.mark.django_db

TITLE = "Glasswing Cycle"
OUT_OF_SIGHT = {
    "draft": {"posted": False},
    "hidden": {"hidden_by_admin": True},
    "pending": {"approval": "pending"},
    "members-only": {"restricted": True},
}


@pytest.fixture(params=list(OUT_OF_SIGHT))
def lost(request, make_user, make_work):
    """A series whose only part goes out of sight after a reader bookmarked it."""
    owner, reader = make_user("owner"), make_user("reader")
    work = make_work(owner, title="Glasswing", series_title=TITLE)
    series = Series.objects.get(title=TITLE)
    series.state = SeriesState.OPEN
    series.save(update_fields=["state"])
    bookmark_create(user=reader, series=series, data=BookmarkFields(notes="Lovely."))
    Work.objects.filter(pk=work.pk).update(**OUT_OF_SIGHT[request.param])
    return request.param, owner, reader, series


def _as(client, who, lost, make_user):
    hiding, _, reader, _ = lost
    if who == "guest":
        return None
    if who == "member" and hiding == "members-only":
        pytest.skip("members may read members-only parts")
    user = reader if who == "reader" else make_user("someone")
    client.force_login(user)
    return user


def _same_as_missing(client, url_of, series) -> None:
    found, missing = client.get(url_of(series.pk)), client.get(url_of(series.pk + 1000))
    assert (found.status_code, found.get("Location")) == (
        missing.status_code,
        missing.get("Location"),
    )
    assert TITLE not in found.content.decode()


PAGES = {
    "series page": lambda pk: reverse("works:series", args=[pk]),
    "new bookmark": lambda pk: reverse("bookmarks:new_series", args=[pk]),
    "old series link": lambda pk: f"/viewseries.php?seriesid={pk}",
    "old review link": lambda pk: f"/reviews.php?type=SE&item={pk}",
}


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
@pytest.mark.parametrize("who", ["guest", "member"])
def test_pages_that_take_its_number_answer_as_for_no_series(client, lost, make_user, who, page):
    if who == "guest" and "bookmarks" in page(1):
        pytest.skip("bookmarking asks guests to log in first, for any number")
    _as(client, who, lost, make_user)
    _same_as_missing(client, page, lost[3])


@pytest.mark.parametrize("who", ["guest", "member", "reader"])
def test_the_bookmarkers_list_keeps_no_title(client, lost, make_user, who):
    hiding, _, reader, _ = lost
    if who == "reader" and hiding == "members-only":
        pytest.skip("the bookmarker is a member and may read it")
    _as(client, who, lost, make_user)
    page = client.get(reverse("bookmarks:user", args=[reader.username])).content.decode()
    assert TITLE not in page
    if who == "reader":
        assert "This series is no longer available." in page


@pytest.mark.parametrize("ref", ["{pk}", "/series/{pk}"])
def test_posting_form_does_not_name_it(client, lost, make_user, ref):
    hiding, *_, series = lost
    if hiding == "members-only":
        pytest.skip("members may read members-only parts")
    client.force_login(make_user("poster"))
    found = client.post(reverse("works:new"), form_data(series_ref=ref.format(pk=series.pk)))
    errors = found.content.decode()
    assert TITLE not in errors and "There is no series with that number" in errors
    assert not Work.objects.filter(title="A Quiet Harbour").exists()


def test_its_owner_still_reaches_it(client, lost):
    _, owner, _, series = lost
    client.force_login(owner)
    assert TITLE in client.get(series.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["guest", "member"])
def test_the_series_index_leaves_it_out(client, lost, make_user, who):
    _as(client, who, lost, make_user)
    page = client.get(reverse("works:series_index")).content.decode()
    assert TITLE not in page


def test_listed_series_are_those_that_exist_for_the_viewer_less_their_own(lost, make_user):
    hiding, owner, reader, series = lost
    for viewer in (None, reader, owner, make_user("someone")):
        listed = set(Series.objects.visible_to(viewer))
        exists = set(Series.objects.readable_by(viewer))
        assert listed <= exists
        members_read_it = hiding == "members-only" and viewer is not None
        assert (series in exists) == (viewer == owner or members_read_it)
