"""Which tables an archive file holds, in which order, and how each column is written.

The plan is read from Django's app registry, not written out by hand: every concrete
model of every installed app is exported unless `EXCLUDED` names it with a reason, so a
model added on another branch is backed up without anyone remembering to list it (and
`tests/test_plan.py` fails if one of its columns has no codec).
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import uuid
from dataclasses import dataclass
from enum import Enum

from django.apps import apps
from django.db import models
from django.utils.duration import duration_iso_string


class Excluded(Enum):
    # Emptied on restore: its rows name members or works of the archive that was there
    # before, so keeping them would hand them to whoever now has those ids.
    CLEAR = "clear"
    # Left as it is: written by migrations or by restore itself.
    KEEP = "keep"


# model label (or app label) -> (what restore does with the table, why it is left out)
EXCLUDED: dict[str, tuple[Excluded, str]] = {
    "sessions.session": (
        Excluded.CLEAR,
        "logins belong to the running site; members log in again after a restore",
    ),
    "accounts.membersession": (
        Excluded.CLEAR,
        "logins belong to the running site (the sessions in use, fanfold.accounts.sessions)",
    ),
    "django_tasks_database": (
        Excluded.CLEAR,
        "the task queue's jobs and results: work for the old database, done or abandoned",
    ),
    "django_tasks": (Excluded.CLEAR, "the task queue backport on Django 5.2, as above"),
    "filters.filterchange": (
        Excluded.CLEAR,
        "the filter indexes' change log; restore asks every index to rebuild instead",
    ),
}

# Rows identified by their natural key instead of their id: migrate creates them on the
# new database with ids of its own, so references to them are written as natural keys.
NATURAL: dict[str, tuple[str, ...]] = {
    "contenttypes.contenttype": ("app_label", "model"),
    "auth.permission": ("codename", "content_type"),
}

# Values JSON has no type for, by Django's internal field type.
TEXT_ENCODED = {
    "DateTimeField",
    "DateField",
    "TimeField",
    "DecimalField",
    "UUIDField",
    "DurationField",
    "BinaryField",
}
PLAIN = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "BigIntegerField",
    "IntegerField",
    "SmallIntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "BooleanField",
    "NullBooleanField",
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
    "URLField",
    "FilePathField",
    "FileField",
    "ImageField",
    "GenericIPAddressField",
    "IPAddressField",
    "FloatField",
    "JSONField",
    "ForeignKey",
    "OneToOneField",
}


@dataclass(frozen=True)
class Table:
    """One exported model: its label, its model and its columns in file order."""

    label: str
    model: type[models.Model]
    fields: tuple[models.Field, ...]

    @property
    def natural(self) -> tuple[str, ...] | None:
        return NATURAL.get(self.label)

    @property
    def columns(self) -> list[str]:
        return [f.attname for f in self.fields]


def exclusion(model: type[models.Model]) -> tuple[Excluded, str] | None:
    meta = model._meta
    return EXCLUDED.get(meta.label_lower) or EXCLUDED.get(meta.app_label)


def has_table(model: type[models.Model]) -> bool:
    """Proxies and unmanaged models (e.g. staff.StaffAccess, a home for permissions)
    have no table of their own to back up."""
    meta = model._meta
    return meta.managed and not meta.proxy and not meta.swapped


def all_models() -> list[type[models.Model]]:
    """Every model with a table, M2M through tables included."""
    return [m for m in apps.get_models(include_auto_created=True) if has_table(m)]


def unsupported_fields(model: type[models.Model]) -> list[str]:
    """Columns this format cannot write faithfully (a new field type needs a codec)."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.get_internal_type() not in PLAIN | TEXT_ENCODED
    ]


def related_label(f: models.Field) -> str | None:
    """The label of the model a foreign key points to; None for other columns."""
    target = f.related_model if f.is_relation else None
    return None if target is None or isinstance(target, str) else target._meta.label_lower


def _dependencies(model: type[models.Model]) -> set[type[models.Model]]:
    found: set[type[models.Model]] = set()
    for f in model._meta.concrete_fields:
        target = f.related_model if f.is_relation else None
        if target is not None and not isinstance(target, str) and target is not model:
            found.add(target._meta.concrete_model or target)
    return found


def ordered(models_: list[type[models.Model]]) -> list[type[models.Model]]:
    """Models after the ones they refer to, where a cycle allows (self-references and
    cycles are fine: foreign keys are checked at commit, see restore.py); ties by label,
    so every export lists tables in the same order."""
    remaining = sorted(models_, key=lambda m: m._meta.label_lower)
    placed: list[type[models.Model]] = []
    done: set[type[models.Model]] = set()
    while remaining:
        ready = [m for m in remaining if not (_dependencies(m) & set(remaining)) - {m}]
        # A cycle between models: take the first of them and go on.
        batch = ready or remaining[:1]
        for model in batch:
            placed.append(model)
            done.add(model)
        remaining = [m for m in remaining if m not in done]
    return placed


def tables() -> list[Table]:
    """The tables an archive file holds, in restore order."""
    exported = [m for m in all_models() if exclusion(m) is None]
    return [
        Table(m._meta.label_lower, m, tuple(m._meta.concrete_fields)) for m in ordered(exported)
    ]


def excluded_models() -> list[tuple[type[models.Model], Excluded, str]]:
    found = []
    for model in all_models():
        rule = exclusion(model)
        if rule is not None:
            found.append((model, *rule))
    return found


# --- values ----------------------------------------------------------------------------


def encode(value: object) -> object:
    """A column value as JSON. Datetimes in UTC, so both databases write the same text."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value
