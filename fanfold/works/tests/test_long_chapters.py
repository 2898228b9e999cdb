"""Chapters at the character limit arrive whole in any script; what is refused comes back
with the text kept and a message, never a bare 400."""

from urllib.parse import urlencode

import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.urls import reverse

from fanfold.works.chapter_forms import ChapterForm
from fanfold.works.forms import WorkForm
from fanfold.works.limits import CHAPTER_MAX, OTHER_POSTING_FIELDS_MAX
from fanfold.works.models import Chapter
from fanfold.works.tests.test_posting_views import form_data

pytestmark = pytest.mark.django_db
JAPANESE = "春の海ひねもすのたりのたりかな"  # 3 bytes a character in UTF-8
RUSSIAN = "Достопримечательности "  # 2 bytes a letter in UTF-8, long words


def _post_form(client: Client, url: str, data: dict):
    """As a browser posts a form without enctype: urlencoded (the test client's default,
    multipart, does not percent-encode and so sends a third of the bytes)."""
    body = urlencode(data, doseq=True)
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def _text(sample: str, characters: int) -> str:
    return (sample * (characters // len(sample) + 1))[:characters]


def _text_fields(form: forms.Form, prefix: str = "") -> dict[str, int]:
    return {
        prefix + name: field.max_length
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length
    }


def test_every_posting_form_filled_to_its_limits_fits_the_request_limit():
    """Each text field at its limit in 4-byte characters, form-encoded: the worst case."""
    for fields in (
        {**_text_fields(WorkForm), **_text_fields(ChapterForm, "chapter-")},
        _text_fields(ChapterForm),
    ):
        assert sum(fields.values()) - CHAPTER_MAX <= OTHER_POSTING_FIELDS_MAX
        worst = urlencode({name: "𝔸" * limit for name, limit in fields.items()})
        assert len(worst) + 4096 <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.parametrize(
    ("sample", "characters"), [(JAPANESE, 300_000), (RUSSIAN, 480_000), ("𝔸", CHAPTER_MAX)]
)
def test_a_long_chapter_in_any_script_is_posted_whole(client, make_work, sample, characters):
    work = make_work()
    client.force_login(work.creators[0].user)
    body = _text(sample, characters)
    response = _post_form(
        client,
        reverse("works:chapter_new", args=[work.pk]),
        {"title": "Long", "body": body, "action": "post"},
    )
    assert response.status_code == 302, response.content[:300]
    chapter = Chapter.objects.get(work=work, title="Long")
    assert _text(sample, 1000) in chapter.body_html and chapter.word_count > 0


def test_a_new_work_with_a_long_japanese_chapter(client, make_user):
    client.force_login(make_user())
    data = form_data(**{"chapter-body": _text(JAPANESE, 300_000), "text_format": "plain"})
    response = _post_form(client, reverse("works:new"), data)
    assert response.status_code == 302
    assert len(Chapter.objects.get().body_html) > 300_000


def test_text_over_the_limit_comes_back_in_the_form_with_a_message(client, make_work):
    work = make_work()
    client.force_login(work.creators[0].user)
    body = _text(JAPANESE, CHAPTER_MAX + 10)
    response = _post_form(
        client,
        reverse("works:chapter_new", args=[work.pk]),
        {"title": "Too long", "body": body, "action": "post"},
    )
    assert response.status_code == 200
    assert "500,000" in response.text or "500000" in response.text
    assert body[-200:] in response.text  # what was typed is all still there
    assert not Chapter.objects.filter(title="Too long").exists()


def test_a_body_beyond_the_request_limit_gets_a_page_not_a_bare_400(make_work):
    work = make_work()
    author = Client(raise_request_exception=False)
    author.force_login(work.creators[0].user)
    response = _post_form(
        author,
        reverse("works:chapter_new", args=[work.pk]),
        {"body": "𝔸" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 12 + 1000)},
    )
    assert response.status_code == 413
    assert "Too large to accept" in response.text and "Back" in response.text


def test_over_the_posting_rate_the_form_comes_back_with_the_text(
    client, make_work, enable_ratelimit
):
    work = make_work()
    client.force_login(work.creators[0].user)
    url = reverse("works:chapter_new", args=[work.pk])
    for _ in range(30):  # previews count too: every POST of the form is an attempt
        client.post(url, {"body": "Draft.", "action": "preview"})
    body = _text(RUSSIAN, 20_000)
    response = _post_form(client, url, {"title": "Limited", "body": body, "action": "post"})
    assert response.status_code == 429
    assert "was not saved yet" in response.text and body[-100:] in response.text
    assert not Chapter.objects.filter(title="Limited").exists()
