"""The active filters as removable chips above the results: each names one condition and
links to the same listing without it (a plain link, so it works without JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fanfold.filters.query import STAT_FIELDS, DateRange, WorkFilter
from fanfold.works.models import Language

if TYPE_CHECKING:
    from fanfold.filters.listing import FilteredListing


@dataclass(frozen=True)
class Chip:
    label: str
    remove_link: str


def _without(f: WorkFilter, **overrides: Any) -> str:
    return "?" + f.to_query_string(page=1, **overrides)


def _tag_names(listing: FilteredListing) -> dict[int | str, str]:
    # Only names the sidebar already shows (tags visible to this reader); a tag given by
    # an id the facets lack is named by nothing more than its number.
    return {e.tag_id: e.name for group in listing.groups for e in group.entries}


def filter_chips(listing: FilteredListing) -> list[Chip]:
    f = listing.filter
    names = _tag_names(listing)
    chips = []

    def name(ref: int | str) -> str:
        return names.get(ref, str(ref))

    for attr, verb in (
        ("include", "Including"),
        ("exclude", "Excluding"),
        ("ratings", "Rating"),
        ("warnings", "Warning"),
        ("categories", "Category"),
    ):
        chosen = getattr(f, attr)
        for ref in chosen:
            rest = [r for r in chosen if r != ref]
            chips.append(Chip(f"{verb}: {name(ref)}", _without(f, **{attr: rest})))
    if f.q:
        chips.append(Chip(f"Search: {f.q}", _without(f, q="", q_body=False)))
    if f.complete != "any":
        label = "Complete only" if f.complete == "yes" else "Works in progress only"
        chips.append(Chip(label, _without(f, complete="any")))
    if f.single_chapter:
        chips.append(Chip("Single chapter only", _without(f, single_chapter=False)))
    if f.crossovers != "include":
        label = "No crossovers" if f.crossovers == "exclude" else "Crossovers only"
        chips.append(Chip(label, _without(f, crossovers="include")))
    for stat in STAT_FIELDS:
        low, high = f.stat_range(stat)
        if low is not None or high is not None:
            bounds = f"{low if low is not None else 0}–{high if high is not None else '…'}"
            label = f"{stat.capitalize()}: {bounds}"
            chips.append(Chip(label, _without(f, **{f"{stat}_min": None, f"{stat}_max": None})))
    for attr, what in (("updated", "Updated"), ("published", "Posted")):
        span: DateRange = getattr(f, attr)
        if span.within_days is not None:
            chips.append(
                Chip(f"{what} within {span.within_days} days", _without(f, **{attr: DateRange()}))
            )
        elif span.start or span.end:
            start = span.start.isoformat() if span.start else "…"
            end = span.end.isoformat() if span.end else "…"
            chips.append(Chip(f"{what}: {start} to {end}", _without(f, **{attr: DateRange()})))
    if f.language:
        label = dict(Language.choices).get(f.language, f.language)
        chips.append(Chip(f"Language: {label}", _without(f, language="")))
    return chips
