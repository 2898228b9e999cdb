"""Queries compiled once from the ORM and then run as SQL: the reads of cached pages.

A page served from the caches (fanfold.works.pagecache) runs one or two small queries
(a stamp of what the page depends on, the session with its member). Building such a
query with the ORM costs about a millisecond, running it tens of microseconds, so each
is built once per database from the QuerySet that states its rule (visibility, the
versions a page is keyed by), which keeps the SQL from drifting from that rule, with
sentinel values where each request's own values go.

The SQL is kept with named placeholders (`%(v0)s`), which both backends take as they
are. With the positional form (`%s`) Django's SQLite backend rewrites the whole
statement with a regular expression on every run, which costs more than the run itself
on a statement with a dozen subqueries.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

_PLACEHOLDER = re.compile(r"%%|%s")


class Precompiled:
    """`queryset`'s SQL for its database, run with new values where `sentinels` stood:
    `Precompiled(qs, work_id=-7)` then `.fetchone(work_id=12)`. Each sentinel must be a
    value the query holds nowhere else (a negative id nobody has)."""

    def __init__(self, queryset: QuerySet, **sentinels: Hashable) -> None:
        self.alias = queryset.db
        self.compiler = queryset.query.get_compiler(using=self.alias)
        sql, params = self.compiler.as_sql()
        numbers = iter(range(len(params)))
        # `%%` is a literal percent sign and stays one; every `%s` gets its own name.
        self.sql = _PLACEHOLDER.sub(
            lambda m: m.group() if m.group() == "%%" else f"%(v{next(numbers)})s", sql
        )
        self.params = {f"v{i}": value for i, value in enumerate(params)}
        self.columns = [column for column, _, _ in self.compiler.select]
        # What turns raw values into Python ones (asking the compiler for them on every
        # run costs as much as the run).
        self.converters = self.compiler.get_converters(self.columns)
        self.slots: dict[str, tuple[str, ...]] = {}
        for name, sentinel in sentinels.items():
            slots = tuple(k for k, value in self.params.items() if value == sentinel)
            if not slots:
                raise ValueError(f"the query holds no {name} sentinel ({sentinel!r})")
            self.slots[name] = slots

    def bind(self, values: dict[str, Any]) -> dict[str, Any]:
        bound = dict(self.params)
        for name, value in values.items():
            for slot in self.slots[name]:
                bound[slot] = value
        return bound

    def fetchone(self, **values: Any) -> tuple | None:
        """The first row with `values` in the sentinels' places (every sentinel's)."""
        if values.keys() != self.slots.keys():
            raise TypeError(f"values for {sorted(self.slots)} expected, got {sorted(values)}")
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self.bind(values))
            return cursor.fetchone()

    def fetchone_converted(self, **values: Any) -> tuple | None:
        """`fetchone`, its values converted as the ORM converts them for a model."""
        row = self.fetchone(**values)
        if row is None or not self.converters:
            return row
        return next(iter(self.compiler.apply_converters([row], self.converters)))
