"""A conversion that runs past its budget stops with a message, not a hung worker."""

import pytest
from django.core.exceptions import ValidationError

from fanfold.markup import MarkupTooComplex, budget, render_text


def test_past_the_budget_the_conversion_stops_with_a_form_error(monkeypatch):
    monkeypatch.setattr(budget, "BUDGET_SECONDS", -1.0)
    with pytest.raises(MarkupTooComplex) as caught:
        render_text("<p>Fine text</p>", "html", field="body")
    assert isinstance(caught.value, ValidationError)
    assert "too complex to format" in caught.value.message_dict["body"][0]


@pytest.mark.parametrize("fmt", ["markdown", "html", "plain"])
def test_every_format_checks_the_budget(monkeypatch, fmt):
    monkeypatch.setattr(budget, "BUDGET_SECONDS", -1.0)
    with pytest.raises(MarkupTooComplex):
        render_text("Some *text*", fmt)


def test_markdown_stops_in_the_middle_of_a_long_paragraph(monkeypatch):
    monkeypatch.setattr(budget, "BUDGET_SECONDS", 0.05)
    with pytest.raises(MarkupTooComplex) as caught:
        render_text("[" * 200_000, "markdown")  # about two seconds of parsing
    # Stopped by the parser's own check (every few hundred tokens), not after parsing.
    assert any(entry.name == "_watch_inline" for entry in caught.traceback)


def test_empty_text_needs_no_budget(monkeypatch):
    monkeypatch.setattr(budget, "BUDGET_SECONDS", -1.0)
    assert render_text("  \n", "markdown") == ""
