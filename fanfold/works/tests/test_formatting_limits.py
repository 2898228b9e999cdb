"""Formatting an author's text is bounded: a text too complex to format fails the save
with a message (keeping what was typed), and previews are rate-limited like posts."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from fanfold.comments.models import Comment
from fanfold.markup import budget
from fanfold.works.views import posting

pytestmark = pytest.mark.django_db

TOO_COMPLEX = "too complex to format"


def over_budget(monkeypatch) -> None:
    """From now on every conversion is over budget (as a hostile text would be)."""
    monkeypatch.setattr(budget, "BUDGET_SECONDS", -1.0)


def chapter_form(body: str, action: str) -> dict:
    return {"title": "", "summary": "", "notes": "", "body": body, "endnotes": "",
            "action": action}  # fmt: skip


def test_a_chapter_too_complex_to_format_is_not_saved_and_the_text_is_kept(
    client, make_work, monkeypatch
):
    work = make_work()
    over_budget(monkeypatch)
    chapter = work.chapters.get()
    client.force_login(work.creators[0].user)
    url = reverse("works:chapter_edit", args=[work.pk, chapter.pk])
    response = client.post(url, chapter_form("The new ending, never saved.", "save"))
    assert response.status_code == 200
    assert TOO_COMPLEX in response.text
    assert "The new ending, never saved." in response.text
    chapter.refresh_from_db()
    assert chapter.body == "<p>The tide came in slowly.</p>"


def test_a_preview_too_complex_to_format_shows_the_message(client, make_work, monkeypatch):
    work = make_work()
    over_budget(monkeypatch)
    client.force_login(work.creators[0].user)
    url = reverse("works:chapter_new", args=[work.pk])
    response = client.post(url, chapter_form("Draft text to preview.", "preview"))
    assert response.status_code == 200
    assert TOO_COMPLEX in response.text and "Draft text to preview." in response.text
    assert 'class="preview"' not in response.text


def test_previews_are_rate_limited(client, make_work, settings, monkeypatch):
    settings.RATELIMIT_ENABLE = True
    caches["shared"].clear()
    monkeypatch.setattr(posting, "PREVIEW_RATE", "3/h")
    work = make_work()
    chapter = work.chapters.get()
    client.force_login(work.creators[0].user)
    url = reverse("works:chapter_edit", args=[work.pk, chapter.pk])
    responses = [client.post(url, chapter_form(f"Version {n}", "preview")) for n in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert 'class="preview"' in responses[2].text
    refused = responses[3].text
    assert "many previews" in refused and "Version 3" in refused
    assert 'class="preview"' not in refused
    # Saving is not a preview: it still works.
    assert client.post(url, chapter_form("Final", "save")).status_code == 302


def test_a_comment_too_complex_to_format_is_refused_with_the_message(
    client, make_work, monkeypatch, stamped
):
    work = make_work()
    over_budget(monkeypatch)
    response = client.post(
        reverse("comments:new", args=[work.pk]),
        stamped({"chapter": work.chapters.get().pk, "guest_name": "Gull",
                 "guest_email": "g@example.org", "body": "<b>Lovely</b>"}),
    )  # fmt: skip
    assert response.status_code == 400 and TOO_COMPLEX in response.text
    assert not Comment.objects.exists()
