"""Deleting: "Delete this chapter" on a chapter page deletes that chapter (after a
confirmation naming it); deleting the whole work is its own, clearly worded action; a
work's only chapter is refused with a pointer to deleting the work."""

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.audit.models import AuditEntry
from fanfold.staff.roles import Role
from fanfold.works.chapter_services import chapter_update
from fanfold.works.fields import ChapterFields
from fanfold.works.models import Chapter, Work

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def three(make_work):
    """A posted work of three chapters, the second one titled."""
    work = make_work(title="Tide Tables", chapters=3)
    second = work.chapters.get(position=2)
    chapter_update(
        chapter=second,
        editor=work.creators[0].user,
        data=ChapterFields(body="<p>The middle part.</p>", title="Low Water"),
    )
    return work


def delete_url(chapter: Chapter) -> str:
    return reverse("works:chapter_delete", args=[chapter.work_id, chapter.pk])


def test_a_chapter_page_offers_both_deletes_separately(three):
    client = logged_in(three.creators[0].user)
    second = three.chapters.get(position=2)
    page = client.get(second.get_absolute_url()).text
    assert f'href="{delete_url(second)}">Delete this chapter<' in page
    assert f'href="{reverse("works:delete", args=[three.pk])}">Delete the whole work<' in page


def test_the_confirmation_names_the_chapter_and_deleting_renumbers(three):
    client = logged_in(three.creators[0].user)
    second = three.chapters.get(position=2)
    page = client.get(delete_url(second)).text
    assert "Delete Chapter 2: Low Water of “Tide Tables”?" in page
    assert "Yes, delete Chapter 2: Low Water" in page
    assert Chapter.objects.filter(pk=second.pk).exists()  # a GET deletes nothing
    response = client.post(delete_url(second))
    assert response.status_code == 302 and response["Location"] == three.get_absolute_url()
    assert not Chapter.objects.filter(pk=second.pk).exists()
    assert list(three.chapters.values_list("position", flat=True)) == [1, 2]
    three.refresh_from_db()
    assert three.chapter_count == 2
    assert (
        "Chapter 2: Low Water of “Tide Tables” was deleted."
        in client.get(response["Location"]).text
    )


def test_the_only_chapter_is_refused_with_a_pointer_to_the_work(make_work):
    work = make_work(title="One Shot")
    only = work.chapters.get()
    client = logged_in(work.creators[0].user)
    page = client.get(delete_url(only)).text
    assert "cannot be deleted on its own" in page
    assert reverse("works:delete", args=[work.pk]) in page and "Yes, delete" not in page
    response = client.post(delete_url(only))
    assert response.status_code == 409 and "delete the whole work instead" in response.text
    assert Chapter.objects.filter(pk=only.pk).exists()


def test_deleting_the_whole_work_is_clearly_worded_and_confirmed(three):
    client = logged_in(three.creators[0].user)
    url = reverse("works:delete", args=[three.pk])
    page = client.get(url).text
    assert "Delete the whole work “Tide Tables”?" in page
    assert "all 3 of its chapters" in page and "Yes, delete the whole work" in page
    assert Work.objects.filter(pk=three.pk).exists()
    client.post(url)
    assert not Work.objects.filter(pk=three.pk).exists()


def test_only_editors_delete_and_only_by_post(three, make_user):
    second = three.chapters.get(position=2)
    stranger = logged_in(make_user("stranger"))
    assert stranger.get(delete_url(second)).status_code == 403
    assert stranger.post(delete_url(second)).status_code == 403
    assert stranger.post(reverse("works:delete", args=[three.pk])).status_code == 403
    # A chapter asked for under an address that is not its work's is a 404.
    wrong = reverse("works:chapter_delete", args=[three.pk + 1, second.pk])
    assert logged_in(three.creators[0].user).post(wrong).status_code == 404
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(three.creators[0].user)
    assert csrf.post(delete_url(second)).status_code == 403
    assert three.chapters.count() == 3


def test_an_administrator_deleting_someone_elses_chapter_is_audited(three, make_user):
    admin = make_user("admin", roles=[Role.ADMINISTRATOR])
    second = three.chapters.get(position=2)
    logged_in(admin).post(delete_url(second))
    entry = AuditEntry.objects.get(action="chapter.delete")
    assert entry.actor == admin and "Tide Tables" in entry.target_label
    logged_in(three.creators[0].user).post(delete_url(three.chapters.get(position=2)))
    assert AuditEntry.objects.filter(action="chapter.delete").count() == 1  # own: no entry
