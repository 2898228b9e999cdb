"""Reordering chapters with the number boxes (the path without JavaScript; the browser
test drives the script), and choosing a new chapter's position and posting date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fanfold.audit.models import AuditEntry
from fanfold.staff.roles import Role
from fanfold.works.chapter_services import chapter_add, chapter_update
from fanfold.works.fields import ChapterFields

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def work(make_work):
    work = make_work(title="Tide Tables", chapters=3)
    author = work.creators[0].user
    for chapter, title in zip(
        work.chapters.order_by("position"), ("Dawn", "Noon", "Dusk"), strict=True
    ):
        chapter_update(
            chapter=chapter,
            editor=author,
            data=ChapterFields(body=f"<p>{title} text</p>", title=title),
        )
    return work


def titles(work) -> list[str]:
    return list(work.chapters.order_by("position").values_list("title", flat=True))


def positions(work, **by_title: int) -> dict[str, int]:
    ids = dict(work.chapters.values_list("title", "pk"))
    return {f"position-{ids[title]}": number for title, number in by_title.items()}


def manage(work) -> str:
    return reverse("works:chapters_manage", args=[work.pk])


def test_the_page_lists_chapters_with_number_boxes(work):
    page = logged_in(work.creators[0].user).get(manage(work)).text
    for title in ("Dawn", "Noon", "Dusk"):
        assert title in page
    assert page.count('type="number"') == 3
    assert "fanfold/reorder.js" in page and 'id="reorder-text"' in page


def test_new_positions_are_saved_and_shown_on_the_work(work):
    client = logged_in(work.creators[0].user)
    response = client.post(manage(work), positions(work, Dusk=1, Dawn=2, Noon=3))
    assert response.status_code == 302
    assert titles(work) == ["Dusk", "Dawn", "Noon"]
    index = client.get(response["Location"]).text
    assert index.index("1. Dusk") < index.index("2. Dawn") < index.index("3. Noon")
    first = client.get(work.get_absolute_url()).text
    assert "Dusk text" in first


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            {"Dawn": 1, "Noon": 1, "Dusk": 2},
            "Position 1 is given more than once. Position 3 is missing.",
        ),
        ({"Dawn": 2, "Noon": 2, "Dusk": 2}, "Positions 1, 3 are missing."),
    ],
)
def test_duplicate_or_missing_positions_are_refused_keeping_what_was_typed(work, typed, message):
    response = logged_in(work.creators[0].user).post(manage(work), positions(work, **typed))
    assert response.status_code == 400
    assert message in response.text and "was not saved" in response.text
    ids = dict(work.chapters.values_list("title", "pk"))
    for title, number in typed.items():
        assert f'name="position-{ids[title]}" value="{number}"' in response.text
    assert titles(work) == ["Dawn", "Noon", "Dusk"]


def test_malformed_positions_are_messages(work):
    client = logged_in(work.creators[0].user)
    data = positions(work, Dawn=1, Noon=2, Dusk=3)
    data[next(iter(data))] = "first"
    assert client.post(manage(work), data).status_code == 400
    assert client.post(manage(work), positions(work, Dawn=1, Noon=2, Dusk=9)).status_code == 400
    assert client.post(manage(work), {}).status_code == 400
    assert titles(work) == ["Dawn", "Noon", "Dusk"]


def test_only_editors_reorder(work, make_user):
    stranger = logged_in(make_user("stranger"))
    assert stranger.get(manage(work)).status_code == 403
    assert stranger.post(manage(work), positions(work, Dusk=1, Dawn=2, Noon=3)).status_code == 403
    assert titles(work) == ["Dawn", "Noon", "Dusk"]


def test_an_administrators_reorder_is_audited(work, make_user):
    admin = make_user("admin", roles=[Role.ADMINISTRATOR])
    logged_in(admin).post(manage(work), positions(work, Dusk=1, Dawn=2, Noon=3))
    assert titles(work) == ["Dusk", "Dawn", "Noon"]
    assert AuditEntry.objects.filter(action="chapters.reorder", actor=admin).count() == 1


# --- a new chapter's position and date --------------------------------------------------


def new_chapter(work, **extra) -> dict:
    return {"title": "Midnight", "body": "<p>Midnight text</p>", "action": "post", **extra}


def test_a_new_chapter_goes_before_the_one_chosen(work):
    client = logged_in(work.creators[0].user)
    noon = work.chapters.get(title="Noon")
    page = client.get(reverse("works:chapter_new", args=[work.pk])).text
    assert "At the end" in page and "Before 2. Noon" in page
    response = client.post(
        reverse("works:chapter_new", args=[work.pk]), new_chapter(work, before=noon.pk)
    )
    assert response.status_code == 302
    assert titles(work) == ["Dawn", "Midnight", "Noon", "Dusk"]
    work.refresh_from_db()
    assert work.chapter_count == 4


def test_a_new_chapter_goes_at_the_end_by_default(work):
    client = logged_in(work.creators[0].user)
    client.post(reverse("works:chapter_new", args=[work.pk]), new_chapter(work))
    assert titles(work) == ["Dawn", "Noon", "Dusk", "Midnight"]


def test_a_past_posting_date_is_kept(work):
    client = logged_in(work.creators[0].user)
    client.post(
        reverse("works:chapter_new", args=[work.pk]), new_chapter(work, posted_on="2020-05-17")
    )
    chapter = work.chapters.get(title="Midnight")
    assert chapter.posted and chapter.published_at.date() == datetime.date(2020, 5, 17)
    work.refresh_from_db()
    assert work.published_at.date() == datetime.date(2020, 5, 17)  # now the earliest chapter


def test_a_future_posting_date_is_refused_keeping_the_text(work):
    client = logged_in(work.creators[0].user)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        reverse("works:chapter_new", args=[work.pk]), new_chapter(work, posted_on=tomorrow)
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.text and "Midnight text" in response.text
    assert not work.chapters.filter(title="Midnight").exists()


def test_a_position_from_another_work_is_a_message(work, make_work):
    other = make_work(chapters=1)
    client = logged_in(work.creators[0].user)
    response = client.post(
        reverse("works:chapter_new", args=[work.pk]),
        new_chapter(work, before=other.chapters.get().pk),
    )
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert not work.chapters.filter(title="Midnight").exists()


def test_the_service_refuses_a_future_date_and_a_foreign_chapter(work, make_work):
    author = work.creators[0].user
    data = ChapterFields(body="<p>Later</p>", title="Later")
    with pytest.raises(ValidationError):
        chapter_add(
            work=work,
            editor=author,
            data=data,
            post=True,
            posted_on=timezone.localdate() + datetime.timedelta(days=3),
        )
    with pytest.raises(ValidationError):
        chapter_add(
            work=work, editor=author, data=data, post=True, before=make_work().chapters.get()
        )
    assert titles(work) == ["Dawn", "Noon", "Dusk"]
