"""What both eFiction readers share: the `Row` they hand out, the `Source` interface the
importer reads through, the error for an input that cannot be read, and how an archive's
tables are told apart from others in the same database by their prefix.
"""

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Protocol

Value = bytes | int | float | None


@dataclass(slots=True)
class Row:
    table: str  # base name without prefix: "stories", "chapters", ...
    values: dict[str, Value]
    where: str  # "dump.sql:1234" or "mysql fanfiction_stories"


class SourceError(Exception):
    """The input cannot be read at all (missing, not SQL, no connection, unclear prefix)."""


class Source(Protocol):
    description: str
    prefix: str
    total: int | None
    problems: list[str]

    def tables(self) -> set[str]: ...

    def rows(
        self, tables: Collection[str], progress: Callable[[int], None] | None = None
    ) -> Iterator[Row]: ...


def detect_prefix(names: Collection[str], prefix: str | None) -> str:
    """The table prefix: given, or everything before `stories` in a table that has a
    sibling `…chapters` table. Raises SourceError when none or several fit, or when the
    given prefix has no stories table."""
    candidates = sorted(
        {n[: -len("stories")] for n in names if n.endswith("stories")}
        & {n[: -len("chapters")] for n in names if n.endswith("chapters")}
    )
    listed = ", ".join(repr(c) for c in candidates) or "none"
    if prefix is not None:
        if prefix + "stories" not in names:
            raise SourceError(f"no {prefix}stories table; eFiction prefixes found: {listed}")
        return prefix
    if not candidates:
        raise SourceError("no eFiction tables found (no …stories table beside a …chapters table)")
    if len(candidates) > 1:
        raise SourceError(f"several eFiction archives in one source, prefixes {listed}; pass one")
    return candidates[0]


def table_map(names: Collection[str], prefix: str) -> dict[str, str]:
    """Full table name -> base name for the tables of the archive with `prefix`.

    eFiction keeps its settings under a prefix of their own ($settingsprefix in
    config.php, often different from the tables' one): when `prefix + "settings"` is
    missing, the one table named `…fanfiction_settings` or `…settings` stands in for it.
    """
    found = {n: n[len(prefix) :] for n in names if n.startswith(prefix) and len(n) > len(prefix)}
    if "settings" not in found.values():
        others = [n for n in names if n.endswith("fanfiction_settings")] or [
            n for n in names if n.endswith("settings")
        ]
        if len(others) == 1:
            found[others[0]] = "settings"
    return found
