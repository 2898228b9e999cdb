import pytest
from django.urls import reverse

from fanfold.conftest import tag
from fanfold.works.models import Creatorship, Work

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {
        "title": "The Long Way Round",
        "rating": tag("Mature").pk,
        "warnings": [tag("No Archive Warnings Apply").pk],
        "categories": [tag("Gen").pk],
        "fandoms": "Lighthouse Keepers, Harbour Tales",
        "characters": "Ada Vell",
        "relationships": "",
        "freeforms": "Road Trip, Angst",
        "language": "en",
        "text_format": "plain",
        "summary": "Two keepers and a broken lamp.",
        "notes": "",
        "endnotes": "",
        "expected_chapters": "",
        "series_title": "",
        "comment_permission": "everyone",
        "chapter-title": "Departure",
        "chapter-summary": "",
        "chapter-notes": "Thanks to my beta.",
        "chapter-body": "The lamp flickered.\n\nThey left at dawn.",
        "chapter-endnotes": "",
        "action": "post",
    }
    data.update(overrides)
    return data


def test_posting_a_work_from_the_form(client, make_user):
    client.force_login(make_user("wren"))
    response = client.post(reverse("works:new"), form_data())
    work = Work.objects.get()
    assert response.status_code == 302 and response["Location"] == work.get_absolute_url()
    assert work.posted and work.word_count == 7
    assert {t.name for t in work.tags.all()} >= {"Lighthouse Keepers", "Harbour Tales", "Angst"}
    page = client.get(work.get_absolute_url()).text
    assert "They left at dawn." in page and "Thanks to my beta." in page


def test_invalid_form_keeps_everything_typed(client, make_user):
    client.force_login(make_user())
    response = client.post(
        reverse("works:new"),
        form_data(
            title="",
            fandoms="",
            **{
                "chapter-body": "My precious chapter text that must not be lost.",
            },
        ),
    )
    assert response.status_code == 200 and not Work.objects.exists()
    html = response.text
    assert "My precious chapter text that must not be lost." in html
    assert "Two keepers and a broken lamp." in html and "Road Trip, Angst" in html
    assert "nothing you typed was lost" in html and "errorlist" in html


def test_preview_saves_nothing(client, make_user):
    client.force_login(make_user())
    response = client.post(reverse("works:new"), form_data(action="preview"))
    assert response.status_code == 200 and not Work.objects.exists()
    assert "<p>They left at dawn.</p>" in response.text


def test_save_as_draft_then_post(client, make_user):
    client.force_login(make_user())
    client.post(reverse("works:new"), form_data(action="draft"))
    work = Work.objects.get()
    assert not work.posted
    drafts = client.get(reverse("works:drafts")).text
    assert work.title in drafts
    client.post(reverse("works:post", args=[work.pk]))
    work.refresh_from_db()
    assert work.posted


def test_posting_needs_login(client):
    response = client.get(reverse("works:new"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_strangers_cannot_open_or_submit_edit_pages(client, make_work, make_user):
    work = make_work()
    chapter = work.chapters.get()
    client.force_login(make_user())
    for url in [
        reverse("works:edit", args=[work.pk]),
        reverse("works:chapter_new", args=[work.pk]),
        reverse("works:chapter_edit", args=[work.pk, chapter.pk]),
        reverse("works:chapters_manage", args=[work.pk]),
        reverse("works:delete", args=[work.pk]),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, form_data()).status_code == 403, url
    assert Work.objects.filter(pk=work.pk).exists()


def test_add_edit_reorder_and_delete_chapters(client, make_work):
    work = make_work()
    author = work.creators[0].user
    client.force_login(author)
    client.post(
        reverse("works:chapter_new", args=[work.pk]),
        {
            "title": "Second",
            "body": "<p>More words here</p>",
            "action": "post",
        },
    )
    first, second = work.chapters.order_by("position")
    assert second.title == "Second" and second.posted
    client.post(
        reverse("works:chapter_edit", args=[work.pk, second.pk]),
        {
            "title": "Second, revised",
            "body": "<p>Fewer words</p>",
            "action": "save",
        },
    )
    second.refresh_from_db()
    assert second.title == "Second, revised"
    client.post(
        reverse("works:chapters_manage", args=[work.pk]),
        {
            f"position-{first.pk}": 2,
            f"position-{second.pk}": 1,
        },
    )
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    client.post(reverse("works:chapter_delete", args=[work.pk, first.pk]))
    assert list(work.chapters.values_list("pk", flat=True)) == [second.pk]


def test_edit_form_shows_current_values_and_saves(client, make_work):
    work = make_work(characters=["Ada Vell"])
    client.force_login(work.creators[0].user)
    page = client.get(reverse("works:edit", args=[work.pk])).text
    assert "Ada Vell" in page and work.title in page
    response = client.post(
        reverse("works:edit", args=[work.pk]), form_data(title="Renamed", action="save")
    )
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "Renamed" and work.rating.name == "Mature"


def test_cocreator_invitation_flow(client, make_work, make_user):
    work = make_work()
    friend = make_user("fern")
    client.force_login(work.creators[0].user)
    client.post(reverse("works:edit", args=[work.pk]), form_data(cocreators="FERN", action="save"))
    invitation = Creatorship.objects.get(pseud__user=friend)
    assert not invitation.approved
    client.force_login(friend)
    assert "The Long Way Round" in client.get(reverse("works:invitations")).text
    client.post(reverse("works:invitation_answer", args=[invitation.pk, "accept"]))
    invitation.refresh_from_db()
    assert invitation.approved


def test_unknown_cocreator_is_a_form_error(client, make_user):
    client.force_login(make_user())
    response = client.post(reverse("works:new"), form_data(cocreators="nobody-here"))
    assert "No member is called nobody-here" in response.text and not Work.objects.exists()


def test_tag_autocomplete(client, make_work):
    make_work(characters=["Ada Vell", "Adam Rook"])
    data = client.get(reverse("tags:autocomplete"), {"type": "character", "term": "ad"}).json()
    assert [t["name"] for t in data["tags"]] == ["Ada Vell", "Adam Rook"]
    assert client.get(reverse("tags:autocomplete"), {"type": "bogus"}).status_code == 400


def test_tag_autocomplete_matches_any_word_of_a_name(client, make_work):
    make_work(characters=["Ada Vell", "Vellum Keeper"], relationships=["Bo Lark/Ada Vell"])
    data = client.get(reverse("tags:autocomplete"), {"term": "vell"}).json()
    # Names that start with the term come first.
    assert [t["name"] for t in data["tags"]] == ["Vellum Keeper", "Ada Vell", "Bo Lark/Ada Vell"]
    # The middle of a word is not a match.
    assert client.get(reverse("tags:autocomplete"), {"term": "ell"}).json()["tags"] == []


def test_posting_is_rate_limited(client, make_user, settings):
    from django.core.cache import caches

    settings.RATELIMIT_ENABLE = True
    caches["shared"].clear()
    client.force_login(make_user())
    statuses = [
        client.post(reverse("works:new"), form_data(title=f"Flood {n}")).status_code
        for n in range(31)
    ]
    assert statuses[:30] == [302] * 30
    assert statuses[30] == 429
    assert Work.objects.count() == 30
