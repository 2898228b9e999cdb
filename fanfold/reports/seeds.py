"""The reasons a new archive offers reporters; staff change the list afterwards."""

from __future__ import annotations

DEFAULT_REASONS = [
    ("Spam", "Advertising, link farms, or text posted by a bot."),
    ("Harassment", "Aimed at a person: threats, abuse, or revealing private information."),
    (
        "Content not tagged as required",
        "The rating or archive warnings do not match what the work contains.",
    ),
    ("Plagiarism", "Someone else's writing posted as their own."),
    ("Other", "Anything else that breaks the archive's rules; please explain below."),
]


def seed_reasons(model) -> None:
    """Add the default reasons that are missing (by name); never changes existing ones.
    Takes the model so a data migration can pass its historical one."""
    for position, (label, description) in enumerate(DEFAULT_REASONS):
        model.objects.get_or_create(
            label=label, defaults={"description": description, "position": position}
        )
