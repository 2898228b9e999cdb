"""Reading history and Marked for later show each work's whole blurb, in the same number
of queries for one work as for twenty; a work gone out of sight is not named."""

import pytest
from django.urls import reverse
from django.utils import timezone

from fanfold.conftest import copy_works
from fanfold.history.models import Reading
from fanfold.history.services import reading_mark_for_later
from fanfold.works.models import Work
from fanfold.works.tests.blurb_checks import assert_full_blurb, queries_for, rich_work

pytestmark = pytest.mark.django_db


def _read(reader, works) -> None:
    now = timezone.now()
    Reading.objects.bulk_create(
        Reading(
            user=reader,
            work=w,
            first_visit=now,
            last_visit=now,
            visit_count=1,
            chapter_position=1,
            work_updated_at=w.updated_at,
        )
        for w in works
    )


@pytest.fixture
def reader_and_work(make_user, make_work):
    reader = make_user("reader")
    work = rich_work(make_user, make_work)
    _read(reader, [work])
    return reader, work


def test_history_and_marked_for_later_show_blurbs(client, reader_and_work):
    reader, work = reader_and_work
    client.force_login(reader)
    page = client.get(reverse("history:list")).content.decode()
    assert_full_blurb(page)
    assert "Updated since you last read" not in page
    reading_mark_for_later(user=reader, work=work, marked=True)
    assert_full_blurb(client.get(reverse("history:later")).content.decode())


def test_an_update_since_reading_is_said_once(client, reader_and_work):
    reader, work = reader_and_work
    Reading.objects.filter(user=reader).update(
        work_updated_at=work.updated_at - timezone.timedelta(days=1)
    )
    client.force_login(reader)
    page = client.get(reverse("history:list")).content.decode()
    assert page.count("Updated since you last read") == 1


def test_twenty_works_cost_the_queries_of_one(client, reader_and_work):
    reader, work = reader_and_work
    client.force_login(reader)
    url = reverse("history:list")
    one = queries_for(client, url)
    _read(reader, copy_works(work, 19))
    assert client.get(url).content.decode().count('class="work blurb') == 20
    assert queries_for(client, url) == one


def test_a_work_gone_out_of_sight_is_not_named(client, reader_and_work):
    reader, work = reader_and_work
    Work.objects.filter(pk=work.pk).update(approval="pending")
    client.force_login(reader)
    page = client.get(reverse("history:list")).content.decode()
    assert "no longer available" in page and "Lantern Keepers" not in page
