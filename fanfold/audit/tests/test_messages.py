"""What the site writes into the log (and mails with a hiding) reads in the reader's
language: kept as a code with its values, worded when shown. Rows written before the
codes keep the English they were stored with."""

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from fanfold.audit.models import AuditEntry
from fanfold.audit.services import audit_record
from fanfold.works.revisions import revision_fulfil, revision_request
from fanfold.works.staff_services import chapter_set_hidden, work_set_hidden

pytestmark = pytest.mark.django_db


def _german(user):
    user.language = "de"
    user.save(update_fields=["language"])
    return user


def test_a_hiding_is_labelled_in_each_readers_language(make_user, make_work, moderator):
    work = make_work(make_user("author"), title="Salzstraßen")
    work_set_hidden(work=work, hidden=True, actor=moderator, reason="Spoilers.")
    entry = AuditEntry.objects.get(action="work.hide")
    assert entry.target_label == "work “Salzstraßen”"  # English kept in the column
    for language, label in (
        ("de", "Werk „Salzstraßen“"),
        ("es", "obra «Salzstraßen»"),
        ("fr", "œuvre « Salzstraßen »"),
        ("en", "work “Salzstraßen”"),
    ):
        with translation.override(language):
            assert entry.label == label


def test_a_chapter_label_names_its_position(make_user, make_work, moderator):
    work = make_work(make_user("author"), title="Salzstraßen", chapters=2)
    chapter = work.chapters.order_by("position").last()
    chapter_set_hidden(chapter=chapter, hidden=True, actor=moderator)
    entry = AuditEntry.objects.get(action="chapter.hide")
    with translation.override("de"):
        assert entry.label == "Kapitel 2 von „Salzstraßen“"


def test_an_older_entry_keeps_its_stored_words(moderator):
    old = audit_record(
        action="work.hide",
        actor=moderator,
        target_label="work “Old Days”",
        reason="Written before codes.",
    )
    with translation.override("de"):
        assert old.label == "work “Old Days”" and old.note == "Written before codes."
    # A code since retired (or values that no longer fit) falls back the same way.
    odd = audit_record(action="x", target_label="as stored", label_code="retired.code")
    assert odd.label == "as stored"


def test_the_staff_log_shows_labels_and_notes_in_german(make_user, make_work, moderator):
    author = make_user("author")
    work = make_work(author, title="Salzstraßen")
    revision_request(work=work, actor=moderator, kind="rating", reason="Bitte neu einstufen.")
    assert revision_fulfil(work=work, editor=author)  # what the creator's next save does
    admin = _german(make_user("keeper", is_staff=True, is_superuser=True))
    client = Client()
    client.force_login(admin)
    page = client.get("/staff/audit").content.decode()
    assert "Werk „Salzstraßen“" in page
    assert (
        "Die Person, die das Werk erstellt hat, hat es nach der Bitte um eine neue Einstufung"
        in page
    )
    assert "work “Salzstraßen”" not in page and "after a request to re-rate" not in page


def test_the_hiding_mail_is_one_german_sentence(
    make_user, make_work, moderator, django_capture_on_commit_callbacks
):
    author = _german(make_user("author", email="author@example.org"))
    work = make_work(author, title="Salzstraßen", chapters=2)
    with django_capture_on_commit_callbacks(execute=True):
        chapter_set_hidden(
            chapter=work.chapters.order_by("position").last(), hidden=True, actor=moderator
        )
    body = mail.outbox[0].body
    assert body.startswith("Die Moderation hat Kapitel 2 deines Werks „Salzstraßen“ verborgen.")
    assert "chapter 2 of" not in body and "The moderators" not in body
