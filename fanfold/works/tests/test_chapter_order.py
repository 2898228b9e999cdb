"""Reordering chapters with the number boxes (the path without JavaScript; the browser
test drives the script), and choosing a new chapter's position and posting date."""

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.audit.models import AuditEntry
from fanfold.staff.roles import Role
from fanfold.works.services import ChapterFields, chapter_update

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
