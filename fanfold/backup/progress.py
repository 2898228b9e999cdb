"""Progress lines for the long-running backup commands."""

from __future__ import annotations

import time
from typing import Protocol


class Output(Protocol):
    def write(self, msg: str, /) -> object: ...
    def flush(self) -> None: ...


class Reporter:
    """Prints a line when a table is done and, for a long table, every two seconds."""

    def __init__(self, out: Output, quiet: bool = False, every: float = 2.0) -> None:
        self.out, self.quiet, self.every = out, quiet, every
        self.last = 0.0

    def __call__(self, label: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = total and done >= total
        if self.quiet or not (finished or now - self.last >= self.every):
            return
        self.last = now
        of = f" / {total:,}" if total else ""
        self.out.write(f"  {label}: {done:,}{of}")
        self.out.flush()
