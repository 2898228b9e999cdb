"""The archive's starting ratings, warnings and categories (admins may edit them)."""

RATINGS = [
    # name, symbol, adult, warning text shown on the adult notice
    ("General Audiences", "G", False, ""),
    ("Teen And Up Audiences", "T", False, ""),
    (
        "Mature",
        "M",
        True,
        "Rated Mature: may include strong language, violence or sexual "
        "themes that are not suitable for younger readers.",
    ),
    (
        "Explicit",
        "E",
        True,
        "Rated Explicit: contains explicit sexual content or graphic "
        "violence. For adult readers only.",
    ),
    (
        "Not Rated",
        "N",
        True,
        "The creator has not rated this work, so it may contain anything an adult rating would.",
    ),
]
WARNINGS = [
    ("Creator Chose Not To Use Archive Warnings", "?"),
    ("No Archive Warnings Apply", "No"),
    ("Graphic Depictions Of Violence", "V"),
    ("Major Character Death", "MCD"),
    ("Rape/Non-Con", "NC"),
    ("Underage Sex", "U"),
]
CATEGORIES = [
    ("F/F", "F/F"),
    ("F/M", "F/M"),
    ("Gen", "Gen"),
    ("M/M", "M/M"),
    ("Multi", "Mx"),
    ("Other", "O"),
]


def seed_fixed_tags(tag_model) -> None:
    """Create the fixed tags if missing; safe to run again (used by a data migration)."""
    rows = [
        *(("rating", n, s, a, w) for n, s, a, w in RATINGS),
        *(("warning", n, s, False, "") for n, s in WARNINGS),
        *(("category", n, s, False, "") for n, s in CATEGORIES),
    ]
    for order, (tag_type, name, symbol, adult, warning) in enumerate(rows, start=1):
        key = " ".join(name.split()).casefold()
        if not tag_model.objects.filter(key=key).exists():
            tag_model.objects.create(
                name=name,
                key=key,
                type=tag_type,
                canonical=True,
                symbol=symbol,
                adult=adult,
                warning_text=warning,
                sort_order=order,
            )
