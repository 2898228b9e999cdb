"""Bulk writes with kept ids: upserts by primary key, eFiction's dates in auto-dated fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, models
from django.utils import timezone

from fanfold.accounts.models import Pseud, User
from fanfold.challenges.models import Challenge
from fanfold.comments.models import Comment
from fanfold.efiction.models import Kind
from fanfold.works.models import (
    Chapter,
    Series,
    Work,
)

# Model fields by table, for the model's maximum lengths.
USERNAME_MAX = User._meta.get_field("username").max_length or 40


TITLE_MAX = Work._meta.get_field("title").max_length or 255


MODELS_BY_KIND: dict[str, type[models.Model]] = {
    Kind.AUTHOR: User,
    Kind.PSEUD: Pseud,
    Kind.STORY: Work,
    Kind.CHAPTER: Chapter,
    Kind.SERIES: Series,
    Kind.CHALLENGE: Challenge,
    Kind.REVIEW: Comment,
}


def upsert(
    model: type[models.Model],
    objs: list,
    fields: Iterable[str],
    merged: dict[str, str] | None = None,
) -> None:
    """Insert `objs` or, for ids already there, update only `fields` (field names or
    attnames); every other column is written on insert only. The instances' own values
    are written as they are, so eFiction's dates survive auto_now fields. `merged`
    (column -> SQL, see `upsert_rows`) combines the stored value with eFiction's."""
    if not objs:
        return
    columns = {}
    for field in model._meta.concrete_fields:
        columns[field.name] = columns[field.attname] = field.column
    update = {columns[name] for name in fields}
    rows = [row_of(obj) for obj in objs]
    keep = [c for c in rows[0] if c not in update and c != "id"]
    upsert_rows(model, rows, keep=keep, merged=merged)


# What a re-run must never take away from what the archive gained since the last one:
# read counts and the dates of later edits keep the larger of the stored value and
# eFiction's. `Work.hits` is `hits_folded` plus the hit ledger's rows (works.hits), so
# hits_folded grows by what keeps that sum equal to the larger count.
WORK_MERGED = {
    "hits": "larger",
    "hits_folded": "{greatest}({old}, {new} - ({table}.hits - {old}))",
    "updated_at": "larger",
    "edited_at": "larger",
    # A moderator's decision made here stands; eFiction's validation still lets out a
    # story that waits in the queue.
    "approval": "CASE WHEN {old} = 'pending' THEN {new} ELSE {old} END",
}
CHAPTER_MERGED = {"hits": "larger", "edited_at": "larger"}


def _merge_sql(template: str, table: str, column: str) -> str:
    qn = connection.ops.quote_name
    # SQLite's two-argument MAX() is its GREATEST(); NULL is "no date", never the larger.
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    old, new = f"{qn(table)}.{qn(column)}", f"excluded.{qn(column)}"
    if template == "larger":
        template = "{greatest}(COALESCE({old}, {new}), COALESCE({new}, {old}))"
    return template.format(greatest=greatest, old=old, new=new, table=qn(table))


def user_fields() -> list[str]:
    return [
        "username",
        "password",
        "email",
        "email_verified",
        "first_name",
        "bio",
        "bio_html",
        "date_joined",
        "is_staff",
        "is_superuser",
        "is_active",
        "trusted_author",
        "view_adult",
        "comment_emails",
        "subscription_emails",
    ]


def work_fields() -> list[str]:
    return [
        "title",
        "text_format",
        "language",
        "summary",
        "summary_html",
        "notes",
        "notes_html",
        "posted",
        "approval",
        "restricted",
        "complete",
        "published_at",
        "updated_at",
        "created_at",
        "edited_at",
        "hits",
        "hits_folded",
        "featured",
        "rating_id",
        "challenge_id",
    ]


def upsert_rows(
    model: type[models.Model],
    rows: list[dict],
    keep: Iterable[str] = (),
    merged: dict[str, str] | None = None,
) -> None:
    """Insert or update by primary key with one executemany, for the bulk of an import
    (chapters, reviews): building model instances and compiling Django's bulk SQL costs
    more there than the database's own work. Every row has the same keys, which are
    column names; both SQLite and PostgreSQL read `ON CONFLICT ... DO UPDATE`. Columns
    in `keep` are written on insert only (a re-run leaves, say, a staff hide alone);
    columns in `merged` are updated with their SQL ("larger", or a template of
    {old}, {new}, {table} and {greatest}) instead of being replaced."""
    if not rows:
        return
    qn = connection.ops.quote_name
    table = model._meta.db_table
    columns = list(rows[0])
    names = ", ".join(qn(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    kept = {"id", *keep}
    merged = merged or {}
    updates = ", ".join(
        f"{qn(c)} = " + (_merge_sql(merged[c], table, c) if c in merged else f"excluded.{qn(c)}")
        for c in columns
        if c not in kept
    )
    # Only quoted column and table names from the model go into the text; values are
    # always parameters.
    sql = (
        f"INSERT INTO {qn(table)} ({names}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({qn('id')}) DO UPDATE SET {updates}"
    )
    adapt = connection.ops.adapt_datetimefield_value
    params = [
        tuple(adapt(v) if isinstance(v, dt.datetime) else v for v in row.values()) for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def pk_of(obj) -> int:
    """The primary key of a model instance or of a row for `upsert_rows`."""
    return obj["id"] if isinstance(obj, dict) else obj.pk


def row_of(obj: models.Model, *, skip_pk: bool = False) -> dict:
    """A model instance as a row for `upsert_rows`/`insert_rows`: every column, with the
    defaults the model's __init__ filled in and auto dates set to now when empty."""
    now = timezone.now()
    row = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key and skip_pk:
            continue
        value = getattr(obj, field.attname)
        if value is None and (
            getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        ):
            value = now
        row[field.column] = value
    return row


def insert_rows(model: type[models.Model], rows: list[dict]) -> None:
    """Plain INSERT of many rows with one executemany (see `upsert_rows`)."""
    if not rows:
        return
    qn = connection.ops.quote_name
    columns = list(rows[0])
    names = ", ".join(qn(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                tuple(adapt(v) if isinstance(v, dt.datetime) else v for v in row.values())
                for row in rows
            ],
        )
