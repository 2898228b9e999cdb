"""A time budget for one text conversion.

Every step that turns what an author typed into HTML is linear in the size of the text
(the tests measure it), so nothing people write comes near the budget. The budget is
the guarantee on top: whatever a future change to the pipeline does, one conversion
cannot hold a web worker for longer than this. The pure-Python steps check it as they
go (the Markdown parser every few hundred tokens, the HTML cleanup between passes); nh3
is compiled, linear and runs to the end.

The budget is CPU time of the converting thread, not wall-clock time: a busy server
(other requests, other threads) must not turn an ordinary long chapter into an error.
"""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError

# A 500,000-character chapter of ordinary Markdown takes about 0.2 s of CPU, HTML less.
BUDGET_SECONDS = 2.0
_TICKS_PER_CHECK = 256


class MarkupTooComplex(ValidationError):
    """The text took longer than the budget to convert; on the form field if known."""

    def __init__(self, seconds: float, field: str | None = None) -> None:
        error = ValidationError(
            "This text is too complex to format: converting it took longer than "
            "%(seconds)s seconds, so it was not saved. Thousands of unmatched brackets "
            "or very deeply nested tags do this; simplify the text and try again.",
            code="markup_too_complex",
            params={"seconds": f"{seconds:g}"},
        )
        super().__init__({field: [error]} if field else error)


class Deadline:
    """The end of one conversion's budget (in the thread's CPU time)."""

    __slots__ = ("end", "field", "seconds", "ticks")

    def __init__(self, seconds: float | None = None, field: str | None = None) -> None:
        self.seconds = BUDGET_SECONDS if seconds is None else seconds
        self.end = time.thread_time() + self.seconds
        self.field = field
        self.ticks = 0

    def check(self) -> None:
        if time.thread_time() > self.end:
            raise MarkupTooComplex(self.seconds, self.field)

    def tick(self) -> None:
        """A cheap check for tight loops: looks at the clock every few hundred calls."""
        self.ticks += 1
        if self.ticks % _TICKS_PER_CHECK == 0:
            self.check()
