"""Reported content is named as a noun in every language, even where another app uses
the same English word as a verb on a button."""

import pytest
from django.template import Context, Template
from django.utils import translation

from fanfold.reports.models import TargetKind


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
