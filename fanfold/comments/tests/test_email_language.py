"""Comment e-mails are written in the language the creator chose, not the commenter's."""

import pytest
from django.core import mail

from fanfold.comments.services import CommentFields, comment_create

pytestmark = pytest.mark.django_db


def test_comment_email_in_the_creators_language(
    make_user, make_work, django_capture_on_commit_callbacks
):
    author = make_user("author", email="author@example.org")
    author.language = "de"
    author.save(update_fields=["language"])
    work = make_work(author)
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(
            work=work,
            user=make_user("reader"),
            chapter=work.chapters.order_by("position").first(),
            data=CommentFields(body="Wonderful"),
        )
    message = mail.outbox[0]
    assert "Neuer Kommentar zu A Quiet Harbour" in message.subject
    assert "hat dein Werk „A Quiet Harbour“ kommentiert" in message.body
    assert "Lesen und antworten:" in message.body
