"""Subscription e-mails are written in the subscriber's chosen language."""

import pytest
from django.core import mail

from fanfold.subscriptions.services import subscription_create
from fanfold.subscriptions.tasks import send_pending_notices
from fanfold.subscriptions.tests.test_notices import add_chapter

pytestmark = pytest.mark.django_db


def test_batch_email_in_the_subscribers_language(make_user, make_work, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": settings.TASKS["default"]["BACKEND"].replace(
                "immediate.ImmediateBackend", "dummy.DummyBackend"
            )
        }
    }
    author, reader = make_user("author"), make_user("reader")
    reader.language = "fr"
    reader.save(update_fields=["language"])
    work = make_work(author)
    subscription_create(user=reader, work=work)
    for n in range(2):
        add_chapter(work, author, title=f"Part {n}")
    assert send_pending_notices.call() == 2
    message = mail.outbox[0]
    assert "2 nouveautés de vos abonnements" in message.subject
    assert "Bonjour reader," in message.body and "Chapitre 2 : Part 0" in message.body
    assert "Ne plus recevoir aucun e-mail d’abonnement :" in message.body
