import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fanfold.history.models import Reading
from fanfold.works.chapter_services import chapter_add
from fanfold.works.fields import ChapterFields

pytestmark = pytest.mark.django_db


def test_visits_are_recorded_with_the_furthest_chapter(client, make_user, make_work, flush_views):
    work = make_work(make_user("author"), chapters=3)
    reader = make_user("reader")
    client.force_login(reader)
    chapters = list(work.chapters.order_by("position"))
    client.get(chapters[2].get_absolute_url())
    client.get(chapters[0].get_absolute_url())
    flush_views()
    reading = Reading.objects.get(user=reader, work=work)
    assert reading.visit_count == 2 and reading.chapter_position == 3
    page = client.get(reverse("history:list")).content.decode()
    assert work.title in page and "visited 2 times" in page
    assert f'read to <a href="{chapters[2].get_absolute_url()}">chapter 3</a>' in page


def test_updated_since_last_read_shows_on_history_and_blurbs(client, make_user, make_work):
    author = make_user("author")
    work = make_work(author)
    reader = make_user("reader")
    client.force_login(reader)
    client.get(work.get_absolute_url())
    assert "Updated since you last read" not in client.get(reverse("works:index")).content.decode()
    later = timezone.now() + dt.timedelta(minutes=5)
    chapter_add(
        work=work, editor=author, data=ChapterFields(body="<p>New!</p>"), post=True, now=later
    )
    assert "Updated since you last read" in client.get(reverse("works:index")).content.decode()
    assert "Updated since you last read" in client.get(reverse("history:list")).content.decode()
    # Guests and other members never see the personal note.
    client.logout()
    assert "Updated since you last read" not in client.get(reverse("works:index")).content.decode()


def test_history_off_records_nothing_and_clear_keeps_reading_list(
    client, make_user, make_work, flush_views
):
    reader = make_user("reader")
    later, read = make_work(title="Later Please"), make_work(title="Already Read")
    client.force_login(reader)
    client.post(reverse("history:mark", args=[later.pk]))
    client.get(read.get_absolute_url())
    client.post(reverse("history:action"), {"action": "clear"})
    flush_views()
    assert list(Reading.objects.values_list("work__title", "marked_for_later", "visit_count")) == [
        ("Later Please", True, 0)
    ]
    assert "Later Please" in client.get(reverse("history:later")).content.decode()
    client.post(reverse("history:action"), {"action": "disable"})
    client.get(read.get_absolute_url())
    flush_views()
    assert not Reading.objects.filter(work=read).exists()


def test_history_is_private(client, make_user, make_work, flush_views):
    owner = make_user("owner")
    work = make_work(title="Private Reading")
    client.force_login(owner)
    client.get(work.get_absolute_url())
    flush_views()
    client.force_login(make_user("nosy"))
    assert "Private Reading" not in client.get(reverse("history:list")).content.decode()
    reading = Reading.objects.get(user=owner)
    client.post(reverse("history:action"), {"action": "delete", "reading": reading.pk})
    assert Reading.objects.filter(pk=reading.pk).exists()


def test_history_links_to_the_chapter_it_says_the_reader_reached(client, make_user, make_work):
    work = make_work(make_user("author"), chapters=3)
    client.force_login(make_user("reader"))
    chapters = list(work.chapters.order_by("position"))
    client.get(chapters[1].get_absolute_url())
    page = client.get(reverse("history:list")).text
    assert f'read to <a href="{chapters[1].get_absolute_url()}">chapter 2</a>' in page
