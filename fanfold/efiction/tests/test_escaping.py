"""eFiction's stored escaping: undone exactly where eFiction 3.5 stored text escaped
(series titles and summaries), and nowhere else (see `convert.STORED_ESCAPED`)."""

from __future__ import annotations

import pytest
from django.test import Client

from fanfold.accounts.models import User
from fanfold.archive.models import SiteSettings
from fanfold.challenges.models import Challenge
from fanfold.comments.models import Comment
from fanfold.efiction.importer.convert import stored_text
from fanfold.efiction.models import EfictionImport
from fanfold.efiction.tests.conftest import text_of
from fanfold.efiction.tests.fixtures.make_fixtures import AS_TYPED
from fanfold.efiction.tests.test_importer import run, user, work
from fanfold.works.models import Series

pytestmark = pytest.mark.django_db


def test_series_text_loses_exactly_the_escaping_efiction_added():
    stored = 'Don\\\'t \\"panic\\" \\\\ ever.\\r\\nC:\\\\path \\x'
    assert stored_text("series", "summary", stored) == 'Don\'t "panic" \\ ever.\r\nC:\\path \\x'
    assert stored_text("series", "title", "Open Skies \\\\ Anyone\\'s") == "Open Skies \\ Anyone's"


def test_columns_stored_as_typed_keep_their_backslashes():
    for table, column in [
        ("challenges", "summary"),
        ("news", "story"),
        ("messages", "message_text"),
        ("authors", "bio"),
        ("authorinfo", "info"),
        ("reviews", "review"),
        ("chapters", "notes"),
        ("stories", "summary"),
    ]:
        assert stored_text(table, column, AS_TYPED) == AS_TYPED


@pytest.fixture
def imported():
    run("full/dump.sql")
    return EfictionImport.objects.get()


def test_series_show_what_their_owner_typed(imported):
    cycle = Series.objects.get(pk=imported.pk_for("series", 1))
    assert cycle.summary == 'Everything under the lantern.\r\nDon\'t "panic" \\ ever.'
    skies = Series.objects.get(pk=imported.pk_for("series", 3))
    assert skies.title == "Open Skies \\ Anyone's"
    page = text_of(Client().get(f"/series/{cycle.pk}").text)
    assert 'Don\'t "panic" \\ ever.' in page
    assert "Don\\'t" not in page and "\\r\\n" not in page
    assert "Open Skies \\ Anyone's" in text_of(Client().get(f"/series/{skies.pk}").text)


def test_text_stored_as_typed_keeps_every_backslash(imported):
    challenge = Challenge.objects.get(pk=imported.pk_for("challenge", 2))
    assert challenge.summary.endswith(" " + AS_TYPED)
    bea: User = user(6)
    # The bio and the "Motto" profile field added to it.
    assert text_of(bea.bio_html).count(AS_TYPED) == 2
    review = Comment.objects.get(pk=imported.pk_for("review", 6))
    assert review.body == "Great crossover. " + AS_TYPED
    chapters = {c.position: c for c in work(3).chapters.all()}
    assert chapters[4].endnotes == "Sequel? " + AS_TYPED
    assert work(4).chapters.get(position=2).notes == "Co-author's chapter. " + AS_TYPED
    assert AS_TYPED in text_of(SiteSettings.objects.get().rules_html)
