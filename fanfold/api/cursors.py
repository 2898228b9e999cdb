"""Opaque cursors: where the next page starts, signed so it cannot be forged or edited.

A cursor carries the listing it belongs to (the operation and a digest of its other
parameters): sent with other filters or to another endpoint it is refused with 400,
never misread. Database lists page by keyset (the last row's sort values), so rows
added meanwhile neither repeat nor drop out; the works and series listings page the way
their selectors do (by page number, `works_filtered_listing` and `series_list`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from fanfold.api.errors import ApiError

SALT = "fanfold.api.cursor"
# A real cursor is well under this; longer input is refused before any decoding.
CURSOR_MAX = 400


def scope_of(operation: str, params: Mapping[str, Any]) -> str:
    """The listing a cursor belongs to: the operation and every other parameter."""
    pairs = sorted((k, str(v)) for k, v in params.items() if k != "cursor" and v is not None)
    digest = hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]
    return f"{operation}:{digest}"


def encode(scope: str, position: Any) -> str:
    return signing.dumps({"s": scope, "p": position}, salt=SALT, compress=True)


def decode(raw: str | None, scope: str) -> Any:
    """The position a cursor names, None without one; ApiError(400) for anything else."""
    if raw is None or raw == "":
        return None
    if len(raw) > CURSOR_MAX:
        raise ApiError(400, gettext("That cursor is not one this API gave out."))
    try:
        data = signing.loads(raw, salt=SALT)
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        raise ApiError(400, gettext("That cursor is not one this API gave out.")) from None
    if not isinstance(data, dict) or data.get("s") != scope:
        raise ApiError(400, gettext("That cursor belongs to another listing or other parameters."))
    return data.get("p")


@dataclass
class Slice:
    items: list
    next_cursor: str | None


def keyset_slice(
    qs: QuerySet, *, order: Sequence[str], scope: str, cursor: str | None, limit: int
) -> Slice:
    """`limit` rows of `qs` in `order` (non-null fields, ending in a unique one) after
    the cursor's row, and the cursor for the rows after these."""
    after = decode(cursor, scope)
    if after is not None:
        if not isinstance(after, list) or len(after) != len(order):
            raise ApiError(400, gettext("That cursor is not one this API gave out."))
        qs = qs.filter(_after(order, after))
    rows = list(qs.order_by(*order)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        next_cursor = encode(scope, [_jsonable(_value(rows[-1], f)) for f in order])
    return Slice(items=rows, next_cursor=next_cursor)


def _after(order: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in `order`: (a > x) or (a = x and b > y) …"""
    condition = Q()
    equal: dict[str, Any] = {}
    for field, value in zip(order, values, strict=True):
        name = field.lstrip("-")
        op = "lt" if field.startswith("-") else "gt"
        condition |= Q(**equal, **{f"{name}__{op}": value})
        equal[name] = value
    return condition


def _value(row: Any, field: str) -> Any:
    return getattr(row, field.lstrip("-"))


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def page_from(cursor: str | None, scope: str, *, last: int) -> int:
    """The page number a page cursor names (1 without one)."""
    page = decode(cursor, scope)
    if page is None:
        return 1
    if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= last:
        raise ApiError(400, gettext("That cursor is not one this API gave out."))
    return page
