"""Series states: who may add works, the owner's approval, and what readers see."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fanfold.staff.roles import Role
from fanfold.works.models import SerialWork, Series, SeriesState, Work
from fanfold.works.series_services import (
    SeriesFields,
    serial_work_approve,
    serial_work_remove,
    series_add_work,
    series_update,
)
from fanfold.works.tests.test_posting_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user):
    return make_user("owner")


@pytest.fixture
def series(owner, make_work):
    """A series of two parts by its owner."""
    make_work(owner, title="Part One", series_title="Harbour Cycle")
    make_work(owner, title="Part Two", series_title="Harbour Cycle")
    return Series.objects.get(title="Harbour Cycle")


def with_state(series: Series, state: str) -> Series:
    series.state = state
    series.save(update_fields=["state"])
    return series


def titles_on(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.text


# --- the services --------------------------------------------------------------------


def test_closed_series_refuses_other_members(series, make_user, make_work):
    guest_author = make_user("visitor")
    work = make_work(guest_author, title="Gate Crasher")
    with pytest.raises(ValidationError, match="closed"):
        series_add_work(series=series, work=work, user=guest_author)
    assert not series.serial_works.filter(work=work).exists()


def test_open_series_takes_a_members_work_as_the_next_part(series, make_user, make_work):
    with_state(series, SeriesState.OPEN)
    visitor = make_user("visitor")
    work = make_work(visitor, title="Guest Part")
    before = work.render_version
    part = series_add_work(series=series, work=work, user=visitor)
    assert part.approved and part.position == 3
    work.refresh_from_db()
    assert work.render_version > before  # its blurb now says "Part 3 of"


def test_moderated_series_holds_a_members_work_until_the_owner_approves(
    series, owner, make_user, make_work
):
    with_state(series, SeriesState.MODERATED)
    visitor = make_user("visitor")
    work = make_work(visitor, title="Offered Part")
    part = series_add_work(series=series, work=work, user=visitor)
    assert not part.approved and part.position == 0
    with pytest.raises(PermissionDenied):
        serial_work_approve(part=part, user=visitor)
    serial_work_approve(part=part, user=owner)
    part.refresh_from_db()
    assert part.approved and part.position == 3


def test_only_a_works_creators_may_put_it_in_someone_elses_series(series, make_user, make_work):
    with_state(series, SeriesState.OPEN)
    work = make_work(make_user("author"))
    with pytest.raises(PermissionDenied):
        series_add_work(series=series, work=work, user=make_user("stranger"))


def test_removing_a_part_renumbers_the_rest(series, owner):
    first = series.serial_works.get(position=1)
    serial_work_remove(part=first, user=owner)
    assert list(series.serial_works.values_list("work__title", "position")) == [("Part Two", 1)]


def test_a_stranger_cannot_remove_a_part(series, make_user):
    with pytest.raises(PermissionDenied):
        serial_work_remove(part=series.serial_works.first(), user=make_user("stranger"))


def test_only_the_owner_updates_a_series(series, owner, make_user):
    data = SeriesFields(title="Harbour Saga", summary="<b>Tides</b><script>x</script>")
    with pytest.raises(PermissionDenied):
        series_update(series=series, editor=make_user("stranger"), data=data)
    series_update(series=series, editor=owner, data=data)
    series.refresh_from_db()
    assert series.title == "Harbour Saga" and "<script>" not in series.summary_html


# --- what readers see ----------------------------------------------------------------


@pytest.fixture
def pending(series, make_user, make_work):
    """A member's work offered to the (moderated) series, not yet approved."""
    with_state(series, SeriesState.MODERATED)
    visitor = make_user("visitor")
    work = make_work(visitor, title="Offered Part")
    series_add_work(series=series, work=work, user=visitor)
    return work


def test_readers_do_not_see_unapproved_parts_anywhere(client, series, pending):
    assert "Offered Part" not in titles_on(client, series.get_absolute_url())
    # The work's own page and its blurb do not claim it is part of the series.
    assert "Harbour Cycle" not in titles_on(client, pending.get_absolute_url())
    listing = titles_on(client, reverse("works:index"))
    assert "Offered Part" in listing and listing.count('of <a href="/series/') == 2


def test_approved_part_shows_as_part_three(client, series, owner, pending):
    serial_work_approve(part=SerialWork.objects.get(work=pending), user=owner)
    assert "Offered Part" in titles_on(client, series.get_absolute_url())
    page = titles_on(client, pending.get_absolute_url())
    assert "Part 3 of" in page and "Harbour Cycle" in page


def test_owner_approves_from_the_series_page(client, series, owner, pending):
    client.force_login(owner)
    page = titles_on(client, series.get_absolute_url())
    assert "Waiting for your approval" in page and "Offered Part" in page
    part = SerialWork.objects.get(work=pending)
    response = client.post(reverse("works:series_part_approve", args=[part.pk]))
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.approved


def test_the_submitter_cannot_approve_their_own_part(client, pending):
    part = SerialWork.objects.get(work=pending)
    client.force_login(pending.creators[0].user)
    assert client.post(reverse("works:series_part_approve", args=[part.pk])).status_code == 403
    assert "Waiting for your approval" not in titles_on(client, part.series.get_absolute_url())


def test_owner_removes_a_submission_from_the_series_page(client, series, owner, pending):
    client.force_login(owner)
    part = SerialWork.objects.get(work=pending)
    client.post(reverse("works:series_part_remove", args=[part.pk]))
    assert not SerialWork.objects.filter(work=pending).exists()
    assert Work.objects.filter(pk=pending.pk).exists()


def test_author_removes_their_work_from_anothers_series(client, series, make_user, make_work):
    with_state(series, SeriesState.OPEN)
    visitor = make_user("visitor")
    work = make_work(visitor, title="Guest Part")
    part = series_add_work(series=series, work=work, user=visitor)
    client.force_login(visitor)
    assert "Remove from this series" in titles_on(client, reverse("works:edit", args=[work.pk]))
    client.post(reverse("works:series_part_remove", args=[part.pk]))
    assert "Part 3 of" not in titles_on(client, work.get_absolute_url())
    assert "Guest Part" not in titles_on(client, series.get_absolute_url())


# --- the series edit page ------------------------------------------------------------


def test_owner_edits_the_series_and_its_state(client, series, owner):
    client.force_login(owner)
    url = reverse("works:series_edit", args=[series.pk])
    assert 'value="moderated"' in titles_on(client, url)
    response = client.post(
        url, {"title": "Harbour Cycle", "summary": "Tides.", "notes": "", "state": "open"}
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.state == SeriesState.OPEN and "Tides." in series.summary_html


def test_series_edit_keeps_what_was_typed_when_invalid(client, series, owner):
    client.force_login(owner)
    response = client.post(
        reverse("works:series_edit", args=[series.pk]),
        {"title": "", "summary": "Kept summary text", "state": "open"},
    )
    assert response.status_code == 200 and "Kept summary text" in response.text
    series.refresh_from_db()
    assert series.title == "Harbour Cycle"


def test_others_may_not_edit_a_series(client, series, make_user):
    url = reverse("works:series_edit", args=[series.pk])
    client.force_login(make_user("stranger"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Mine now", "state": "open"}).status_code == 403
    client.force_login(make_user("mod", roles=[Role.MODERATOR]))
    assert client.get(url).status_code == 403


# --- the work form -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "shown", "approved"),
    [(SeriesState.OPEN, True, True), (SeriesState.MODERATED, False, False)],
)
def test_posting_into_another_members_series(client, series, make_user, state, shown, approved):
    with_state(series, state)
    client.force_login(make_user("visitor"))
    link = f"https://archive.example.org/series/{series.pk}"
    response = client.post(reverse("works:new"), form_data(title="Guest Part", series_ref=link))
    work = Work.objects.get(title="Guest Part")
    assert response.status_code == 302
    assert SerialWork.objects.get(work=work).approved is approved
    page = titles_on(client, work.get_absolute_url())
    assert ("Part 3 of" in page) is shown
    assert ("once its owner approves it" in page) is not approved


def test_posting_into_a_closed_series_is_refused_keeping_the_form(client, series, make_user):
    client.force_login(make_user("visitor"))
    response = client.post(
        reverse("works:new"),
        form_data(title="Gate Crasher", series_ref=str(series.pk), summary="Keep this summary"),
    )
    assert response.status_code == 200 and not Work.objects.filter(title="Gate Crasher").exists()
    assert "is closed: only its owner adds works" in response.text
    assert "Keep this summary" in response.text and f'value="{series.pk}"' in response.text


def test_unknown_series_number_is_a_form_error(client, make_user):
    client.force_login(make_user())
    response = client.post(reverse("works:new"), form_data(series_ref="series 99x"))
    assert "There is no series with that number" in response.text
    assert not Work.objects.exists()


def test_editing_a_work_in_anothers_series_does_not_start_a_new_series(
    client, series, make_user, make_work
):
    with_state(series, SeriesState.OPEN)
    visitor = make_user("visitor")
    work = make_work(visitor, title="Guest Part")
    series_add_work(series=series, work=work, user=visitor)
    client.force_login(visitor)
    edit = reverse("works:edit", args=[work.pk])
    assert 'name="series_title"' in titles_on(client, edit)
    client.post(edit, form_data(title="Guest Part", action="save"))
    assert not Series.objects.filter(owner=visitor).exists()
    assert SerialWork.objects.filter(work=work, series=series).exists()


def test_series_subscribers_hear_of_a_submission_only_once_it_is_a_part(
    series, make_user, make_work
):
    from fanfold.subscriptions.models import Notice
    from fanfold.subscriptions.services import subscription_create
    from fanfold.works.services import work_post

    with_state(series, SeriesState.MODERATED)
    reader = make_user("reader")
    subscription_create(user=reader, series=series)
    visitor = make_user("visitor")
    draft = make_work(visitor, title="Offered Part", post=False)
    series_add_work(series=series, work=draft, user=visitor)
    work_post(work=draft, editor=visitor)
    assert not Notice.objects.filter(user=reader).exists()


def test_series_page_costs_the_same_queries_with_pending_parts(
    client, series, make_user, make_work
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(series.get_absolute_url()).status_code == 200
        return len(queries)

    client.get(series.get_absolute_url())
    before = count()
    with_state(series, SeriesState.MODERATED)
    for n in range(4):
        visitor = make_user(f"visitor{n}")
        work = make_work(visitor, title=f"Offer {n}", characters=[f"Person {n}"])
        series_add_work(series=series, work=work, user=visitor)
    assert count() == before


def test_import_keeps_the_source_order_and_confirmation(series, make_user, make_work):
    from fanfold.works.series_services import serial_work_import

    visitor = make_user("visitor")
    confirmed = make_work(visitor, title="Imported Part")
    unconfirmed = make_work(visitor, title="Unconfirmed Part")
    serial_work_import(series=series, work=confirmed, position=7)
    serial_work_import(series=series, work=unconfirmed, position=8, approved=False)
    rows = set(series.serial_works.values_list("work__title", "position", "approved"))
    assert {("Imported Part", 7, True), ("Unconfirmed Part", 0, False)} <= rows
