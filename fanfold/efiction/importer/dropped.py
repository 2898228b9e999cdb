"""What the import leaves behind because Fanfold has no home for it (yet).

Each kind is one line of DROPPED: the report names it with the number of rows and the
first ids, so nothing an archive held vanishes unsaid. When a kind gets a home in
Fanfold (news, custom pages, …), the importer that gives it one deletes its line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fanfold.efiction.importer.convert import as_bytes, as_int
from fanfold.efiction.importer.run_constants import EFICTION_MESSAGES


@dataclass(frozen=True)
class Dropped:
    what: str  # as the report names it
    table: str
    ids: tuple[str, ...]  # the columns that identify a row in the report
    # Which rows of the table are dropped (all of them when None).
    applies: Callable[[dict], bool] | None = None


def _filled(column: str) -> Callable[[dict], bool]:
    return lambda values: bool(as_bytes(values.get(column)).strip())


def _message(values: dict) -> str:
    return as_bytes(values.get("message_name")).decode("latin-1").strip()


# A letter or notice eFiction's own screens used, with no page of its own.
SYSTEM_MESSAGES = frozenset({"thankyou", "nothankyou", "printercopyright", "maintenance"})

DROPPED: tuple[Dropped, ...] = (
    Dropped("news posts", "news", ("nid",)),
    Dropped("comments on news posts", "comments", ("cid",)),
    Dropped("the help page (messages: help)", "messages", ("message_name",),
            lambda v: _message(v) == "help" and _filled("message_text")(v)),
    Dropped("custom pages (messages)", "messages", ("message_name",),
            lambda v: _message(v) not in EFICTION_MESSAGES and _filled("message_text")(v)),
    Dropped("submission letters, printer disclaimer and maintenance notice (messages)",
            "messages", ("message_name",),
            lambda v: _message(v) in SYSTEM_MESSAGES and _filled("message_text")(v)),
    # -1 is "no score"; 0 is a dislike on archives scoring by like/dislike.
    Dropped("review scores (stars or like/dislike)", "reviews", ("reviewid",),
            lambda v: as_int(v.get("rating"), -1) >= 0),
    Dropped("category images", "categories", ("catid",), _filled("image")),
    Dropped("character images", "characters", ("charid",), _filled("image")),
    Dropped("member pictures (authors.image)", "authors", ("uid",), _filled("image")),
    Dropped("notes on favourite authors (a subscription has no notes)", "favorites",
            ("uid", "type", "item"),
            lambda v: as_bytes(v.get("type")).upper() == b"AU" and _filled("comments")(v)),
    Dropped("menu links (pagelinks)", "pagelinks", ("link_name",)),
    Dropped("the admin action log", "log", ("log_id",)),
    Dropped("polls", "poll", ("poll_id",)),
    Dropped("shoutbox messages", "shoutbox", ("shout_id",)),
)  # fmt: skip

BY_TABLE: dict[str, list[Dropped]] = {}
for _kind in DROPPED:
    BY_TABLE.setdefault(_kind.table, []).append(_kind)


def dropped_kinds(table: str, values: dict) -> list[tuple[str, str]]:
    """(what, row id) for every kind of DROPPED this row of `table` belongs to."""
    found = []
    for kind in BY_TABLE.get(table, ()):
        if kind.applies is None or kind.applies(values):
            row_id = "/".join(
                as_bytes(values.get(c)).decode("latin-1", "replace") for c in kind.ids
            )
            found.append((kind.what, row_id))
    return found
