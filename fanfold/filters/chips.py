"""The active filters as removable chips above the results: each names one condition and
links to the same listing without it (a plain link, so it works without JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanfold.filters.query import STAT_FIELDS, DateRange, WorkFilter
from fanfold.works.models import Language

if TYPE_CHECKING:
    from fanfold.filters.listing import FilteredListing


@dataclass(frozen=True)
class Chip:
    label: str
    remove_link: str


# Chip labels for the statistics filters, by field name.
STAT_LABELS = {
    "words": gettext_lazy("Words"),
    "kudos": gettext_lazy("Kudos"),
    "hits": gettext_lazy("Hits"),
    "comments": gettext_lazy("Comments"),
    "bookmarks": gettext_lazy("Bookmarks"),
}


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
        ("include", _("Including: %(name)s")),
        ("exclude", _("Excluding: %(name)s")),
        ("ratings", _("Rating: %(name)s")),
        ("warnings", _("Warning: %(name)s")),
        ("categories", _("Category: %(name)s")),
    ):
        chosen = getattr(f, attr)
        for ref in chosen:
            rest = [r for r in chosen if r != ref]
            chips.append(Chip(verb % {"name": name(ref)}, _without(f, **{attr: rest})))
    if f.q:
        chips.append(Chip(_("Search: %(query)s") % {"query": f.q}, _without(f, q="", q_body=False)))
    if f.complete != "any":
        label = _("Complete only") if f.complete == "yes" else _("Works in progress only")
        chips.append(Chip(label, _without(f, complete="any")))
    if f.single_chapter:
        chips.append(Chip(_("Single chapter only"), _without(f, single_chapter=False)))
    if f.crossovers != "include":
        label = _("No crossovers") if f.crossovers == "exclude" else _("Crossovers only")
        chips.append(Chip(label, _without(f, crossovers="include")))
    for stat in STAT_FIELDS:
        low, high = f.stat_range(stat)
        if low is not None or high is not None:
            bounds = f"{low if low is not None else 0}–{high if high is not None else '…'}"
            label = f"{STAT_LABELS[stat]}: {bounds}"
            chips.append(Chip(label, _without(f, **{f"{stat}_min": None, f"{stat}_max": None})))
    for attr, what in (("updated", _("Updated")), ("published", _("Posted"))):
        span: DateRange = getattr(f, attr)
        if span.within_days is not None:
            chips.append(
                Chip(
                    _("%(what)s within %(days)s days") % {"what": what, "days": span.within_days},
                    _without(f, **{attr: DateRange()}),
                )
            )
        elif span.start or span.end:
            start = span.start.isoformat() if span.start else "…"
            end = span.end.isoformat() if span.end else "…"
            chips.append(
                Chip(
                    _("%(what)s: %(start)s to %(end)s")
                    % {"what": what, "start": start, "end": end},
                    _without(f, **{attr: DateRange()}),
                )
            )
    if f.language:
        label = dict(Language.choices).get(f.language, f.language)
        chips.append(Chip(_("Language: %(name)s") % {"name": label}, _without(f, language="")))
    return chips
