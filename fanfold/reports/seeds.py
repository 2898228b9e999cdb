"""The reasons a new archive offers reporters; staff change the list afterwards."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import pgettext_lazy

# Stored in English; shown in the reader's language for as long as staff keep the
# wording (ReportReason.shown_label). The context keeps "Other" or "Spam" apart from the
# same words elsewhere in the one catalogue per language.
DEFAULT_REASONS = [
    (
        pgettext_lazy("report reason", "Spam"),
        pgettext_lazy("report reason", "Advertising, link farms, or text posted by a bot."),
    ),
    (
        pgettext_lazy("report reason", "Harassment"),
        pgettext_lazy(
            "report reason", "Aimed at a person: threats, abuse, or revealing private information."
        ),
    ),
    (
        pgettext_lazy("report reason", "Content not tagged as required"),
        pgettext_lazy(
            "report reason", "The rating or archive warnings do not match what the work contains."
        ),
    ),
    (
        pgettext_lazy("report reason", "Plagiarism"),
        pgettext_lazy("report reason", "Someone else's writing posted as their own."),
    ),
    (
        pgettext_lazy("report reason", "Other"),
        pgettext_lazy(
            "report reason", "Anything else that breaks the archive's rules; please explain below."
        ),
    ),
]


def _english(text) -> str:
    with translation.override(None):
        return str(text)


# English wording -> the same wording, translated when shown.
SEEDED_WORDING = {_english(text): text for pair in DEFAULT_REASONS for text in pair}


def shown(text: str) -> str:
    """A seeded label or description as the reader's language has it; staff's own
    wording as they wrote it."""
    seeded = SEEDED_WORDING.get(text)
    return str(seeded) if seeded is not None else text


def seed_reasons(model) -> None:
    """Add the default reasons that are missing (by name); never changes existing ones.
    Takes the model so a data migration can pass its historical one."""
    for position, (label, description) in enumerate(DEFAULT_REASONS):
        model.objects.get_or_create(
            label=_english(label),
            defaults={"description": _english(description), "position": position},
        )
