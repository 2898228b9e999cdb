"""Reported content is named as a noun in every language, even where another app uses
the same English word as a verb on a button."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.utils import translation

from fanfold.reports.models import ReportReason, TargetKind
from fanfold.reports.tests.test_views import report_url


@pytest.mark.parametrize(
    "language, bookmark, comment, series, button",
    [
        ("de", "Lesezeichen", "Kommentar", "Reihe", "Merken"),
        ("es", "Marcador", "Comentario", "Serie", "Guardar en marcadores"),
        ("fr", "Signet", "Commentaire", "Série", "Ajouter un signet"),
    ],
)
def test_reported_kinds_are_nouns_and_the_button_stays_a_verb(
    language, bookmark, comment, series, button
):
    with translation.override(language):
        assert str(TargetKind.BOOKMARK.label) == bookmark
        assert str(TargetKind.COMMENT.label) == comment
        assert str(TargetKind.SERIES.label) == series
        rendered = Template('{% load i18n %}{% translate "Bookmark" %}').render(Context())
        assert rendered == button


@pytest.mark.django_db
def test_seeded_reasons_are_offered_in_the_readers_language_staff_wording_as_written(
    client, member_comment
):
    ReportReason.objects.create(label="Spoilers in the summary", position=9)
    client.cookies["fanfold_language"] = "de"
    page = BeautifulSoup(
        client.get(report_url("comment", member_comment.pk)).content, "html.parser"
    )
    choices = [
        label.get_text(" ", strip=True) for label in page.select("label:has(input[name=reason])")
    ]
    assert "Belästigung" in choices and "Sonstiges" in choices
    assert "Harassment" not in choices
    assert "Spoilers in the summary" in choices
    # Stored in English: the reasons' rows are the same whatever language seeded them.
    assert ReportReason.objects.filter(label="Harassment").exists()
