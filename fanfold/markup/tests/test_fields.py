"""SanitizedHTMLField: safe by construction, whatever path a value takes into it."""

import pytest
from django.apps import apps
from django.utils.safestring import SafeData, SafeString

from fanfold.comments.models import Comment
from fanfold.markup.fields import SanitizedHTMLField
from fanfold.works.models import Chapter, Work

HOSTILE = '<p onclick="steal()">Hello</p><script>steal()</script><img src=x onerror=steal()>'


def _sanitized_fields():
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, SanitizedHTMLField)
    ]


def _assert_clean(value):
    assert isinstance(value, SafeData)
    text = str(value)
    assert "script" not in text and "onclick" not in text and "onerror" not in text
    assert "Hello" in text


def test_every_sanitized_field_is_found():
    names = {f"{m._meta.label}.{f.name}" for m, f in _sanitized_fields()}
    assert {"works.Chapter.body_html", "comments.Comment.body_html"} <= names


@pytest.mark.parametrize(
    ("model", "field"),
    _sanitized_fields(),
    ids=lambda x: getattr(x, "name", None) or x._meta.label,
)
def test_assigning_any_value_sanitises_it(model, field):
    instance = model()
    for value in (HOSTILE, SafeString(HOSTILE)):  # SafeString made elsewhere proves nothing
        setattr(instance, field.attname, value)
        _assert_clean(getattr(instance, field.attname))


def test_create_and_update_sanitise(make_work):
    work = make_work()
    chapter = work.chapters.get()
    Chapter.objects.filter(pk=chapter.pk).update(body_html=HOSTILE)
    Work.objects.filter(pk=work.pk).update(summary_html=SafeString(HOSTILE))
    _assert_clean(Chapter.objects.get(pk=chapter.pk).body_html)
    _assert_clean(Work.objects.get(pk=work.pk).summary_html)


def test_comment_fields_use_the_comment_allowlist(make_work):
    comment = Comment(body_html='<p>Hello</p><img src="https://example.org/a.png">')
    assert "<img" not in comment.body_html  # works allow images; comments do not


def test_values_read_back_are_safe_and_unchanged(make_work):
    work = make_work(body="<p>The <em>tide</em> came in.</p>")
    body = Chapter.objects.get(work=work).body_html
    assert isinstance(body, SafeData)
    assert body == "<p>The <em>tide</em> came in.</p>"
    assert Chapter.objects.values_list("body_html", flat=True).get(work=work) == body
