"""Writes for series: their settings, and which works are parts of them.

A series' `state` says who may add works: only its owner (closed), any member with
the owner's approval (moderated) or any member at once (open). Parts waiting for the
owner's approval (`SerialWork.approved=False`) have position 0 and are numbered when
approved, so readers' "Part N of" never counts a part they cannot see.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext, ngettext

from fanfold.accounts.models import User
from fanfold.markup import render_text
from fanfold.works.limits import NOTES_MAX, SUMMARY_MAX, TITLE_MAX
from fanfold.works.models import (
    SerialWork,
    Series,
    SeriesState,
    Work,
)
from fanfold.works.selectors import creator_user_ids


@dataclass
class SeriesFields:
    title: str
    summary: str = ""
    notes: str = ""
    complete: bool = False
    state: str = SeriesState.CLOSED


def _bump(work_ids: list[int]) -> None:
    """The works' blurbs and pages show "Part N of": make cached copies stale. (Series
    are neither filtered nor searched, so the filter index needs no change record.)"""
    if work_ids:
        Work.objects.filter(pk__in=work_ids).make_pages_stale()


def validate_series_fields(data: SeriesFields) -> None:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [gettext("A series needs a title.")]
    for name, value, limit in (
        ("title", data.title, TITLE_MAX),
        ("summary", data.summary, SUMMARY_MAX),
        ("notes", data.notes, NOTES_MAX),
    ):
        if len(value) > limit:
            errors.setdefault(name, []).append(
                ngettext(
                    "At most %(limit)s character, please.",
                    "At most %(limit)s characters, please.",
                    limit,
                )
                % {"limit": f"{limit:,}"}
            )
    if data.state not in SeriesState.values:
        errors["state"] = [gettext("Choose who may add works to this series.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def series_update(*, series: Series, editor: User, data: SeriesFields) -> Series:
    """The owner changes the series' title, texts, completion and state."""
    if series.owner_id != editor.pk:
        raise PermissionDenied(gettext("Only the series' owner can change it."))
    validate_series_fields(data)
    series.title = data.title.strip()
    series.summary, series.summary_html = (
        data.summary,
        render_text(data.summary, "html", field="summary"),
    )
    series.notes, series.notes_html = data.notes, render_text(data.notes, "html", field="notes")
    series.complete = data.complete
    series.state = data.state
    series.save()
    # The title shows in every part's blurb and work page.
    _bump(list(series.serial_works.filter(approved=True).values_list("work_id", flat=True)))
    return series


def _next_position(series: Series) -> int:
    last = series.serial_works.filter(approved=True).aggregate(m=Max("position"))["m"]
    return (last or 0) + 1


@transaction.atomic
def series_add_work(*, series: Series, work: Work, user: User) -> SerialWork:
    """Add `user`'s `work` as the series' last part, by the series' state.

    The owner always may; others only to an open series (a part at once) or a moderated
    one (a part once the owner approves it). Adding a work twice changes nothing.
    """
    existing = SerialWork.objects.filter(series=series, work=work).first()
    if existing is not None:
        return existing
    is_owner = series.owner_id == user.pk
    if not is_owner and user.pk not in creator_user_ids(work):
        raise PermissionDenied(gettext("You can only add your own works to a series."))
    if not is_owner and series.state == SeriesState.CLOSED:
        raise ValidationError(
            {
                "series_ref": [
                    gettext("“%(title)s” is closed: only its owner adds works to it.")
                    % {"title": series.title}
                ]
            }
        )
    approved = is_owner or series.state == SeriesState.OPEN
    part = SerialWork.objects.create(
        series=series,
        work=work,
        approved=approved,
        position=_next_position(series) if approved else 0,
    )
    if approved:
        _bump([work.pk])
    return part


@transaction.atomic
def serial_work_approve(*, part: SerialWork, user: User) -> SerialWork:
    """The series' owner accepts a submitted work as the series' last part."""
    if part.series.owner_id != user.pk:
        raise PermissionDenied(gettext("Only the series' owner approves its parts."))
    if not part.approved:
        part.approved = True
        part.position = _next_position(part.series)
        part.save(update_fields=["approved", "position"])
        _bump([part.work_id])
    return part


@transaction.atomic
def serial_work_remove(*, part: SerialWork, user: User) -> None:
    """Take a work out of a series: its creators and the series' owner may.
    The remaining parts are numbered again without a gap."""
    if part.series.owner_id != user.pk and user.pk not in creator_user_ids(part.work):
        raise PermissionDenied(
            gettext("Only the series' owner or the work's creators can do this.")
        )
    series, was_shown = part.series, part.approved
    part.delete()
    if was_shown:
        _bump([part.work_id, *_renumber(series)])


def _renumber(series: Series) -> list[int]:
    """Number the approved parts 1..n in their order; the works whose number changed."""
    parts = list(series.serial_works.filter(approved=True).order_by("position", "pk"))
    changed = []
    for position, part in enumerate(parts, start=1):
        if part.position != position:
            part.position = position
            changed.append(part)
    SerialWork.objects.bulk_update(changed, ["position"])
    return [p.work_id for p in changed]


@transaction.atomic
def serial_work_import(
    *, series: Series, work: Work, position: int, approved: bool = True
) -> SerialWork:
    """For importers: place `work` in `series` as the source archive had it (its order,
    and whether its owner had confirmed it). No permission check: the source already
    decided. Unconfirmed parts get position 0, like submissions here."""
    part, _ = SerialWork.objects.update_or_create(
        series=series,
        work=work,
        defaults={"position": position if approved else 0, "approved": approved},
    )
    _bump([work.pk])
    return part
