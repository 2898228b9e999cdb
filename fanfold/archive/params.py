"""Numbers and dates from query strings and paths, parsed in one place.

Readers hand-edit links, crawlers invent them, and probes send anything: a number is
taken only when it is plain ASCII decimal digits that fit a 64-bit signed integer (the
widest integer SQLite and PostgreSQL store). Anything else is None here, which callers
turn into "ignored, with a message" (filters) or 404 (ids); never into a 500.
"""

from __future__ import annotations

import datetime as dt

MAX_ID = 2**63 - 1
_MAX_DIGITS = len(str(MAX_ID))


def parse_int(raw: object, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """`raw` as an integer in [minimum, maximum], or None when it is anything else.

    `str.isdigit()` alone is not enough: it accepts "²", which int() refuses, and int()
    accepts "١٢" (Arabic-Indic digits), " 7" and "7_0"; and a 5,000-digit number
    raises before it could be compared. So: ASCII digits, length checked first.
    """
    if not isinstance(raw, str) or not raw or len(raw) > _MAX_DIGITS:
        return None
    if not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None


def parse_id(raw: object) -> int | None:
    """A positive row id, or None."""
    return parse_int(raw, minimum=1)


class IdConverter:
    """`<id:name>` in URL patterns: ids that cannot exist (beyond 64 bits, zero) do not
    match, so the request is a 404 before any view or query runs."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        parsed = parse_id(value)
        if parsed is None:
            raise ValueError(value)  # the resolver's "no match"
        return parsed

    def to_url(self, value: int | str) -> str:
        return str(value)


# Dates a filter can mean: wide enough for any archive, narrow enough that a day added
# or taken away (inclusive bounds, "within N days") never leaves Python's date range.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2999, 12, 31)


def parse_date(raw: object) -> dt.date | None:
    """An ISO date (2024-05-31) between MIN_DATE and MAX_DATE, or None."""
    if not isinstance(raw, str) or len(raw) != 10 or not raw.isascii():
        return None
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return value if MIN_DATE <= value <= MAX_DATE else None


def parse_text(raw: object, *, max_length: int = 200) -> str:
    """Free text typed into a search box, at most `max_length` characters and trimmed.
    Control characters become spaces: PostgreSQL refuses a NUL in any text it compares,
    which would turn a probe's `%00` into a 500."""
    if not isinstance(raw, str):
        return ""
    cleaned = "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in raw[: max_length * 2])
    return cleaned.strip()[:max_length]
