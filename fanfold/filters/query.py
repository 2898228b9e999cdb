"""The works filter as a value: parsed from GET parameters, written back as a link.

Parsing never raises: a bad field is dropped and explained in `errors`, so a hand-edited
or stale link still shows results (and says what was ignored) instead of an error page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from fanfold.archive.params import MAX_DATE, MIN_DATE, parse_date, parse_id, parse_int

PER_PAGE = 20
# Deep pages cost a partial sort of everything before them; nobody reads 250 pages of
# blurbs, and crawlers that try are better served by narrower filters.
MAX_DEPTH = 5000
MAX_PAGE = MAX_DEPTH // PER_PAGE
MAX_TAGS = 50
MAX_QUERY_LENGTH = 200
MAX_DAYS = 365 * 100

SORTS = {
    # name: (label, ascending?)  Ties always go to the newer work (higher id).
    "relevance": (_("Best match"), False),
    "updated": (_("Date updated"), False),
    "posted": (_("Date posted"), False),
    "title": (_("Title"), True),
    "creator": (_("Creator"), True),
    "words": (_("Word count"), False),
    "hits": (_("Hits"), False),
    "kudos": (_("Kudos"), False),
    "comments": (_("Comments"), False),
    "bookmarks": (_("Bookmarks"), False),
}
STAT_FIELDS = ("words", "kudos", "hits", "comments", "bookmarks")
CROSSOVER_CHOICES = ("include", "exclude", "only")
COMPLETE_CHOICES = ("any", "yes", "no")
TRUE_VALUES = {"1", "on", "true", "yes"}

# Whole sentences per field, so translators never assemble one from English parameter names.
STAT_RANGE_ERRORS = {
    "words": _("The lowest words count is above the highest; ignored both."),
    "kudos": _("The lowest kudos count is above the highest; ignored both."),
    "hits": _("The lowest hits count is above the highest; ignored both."),
    "comments": _("The lowest comments count is above the highest; ignored both."),
    "bookmarks": _("The lowest bookmarks count is above the highest; ignored both."),
}
NOT_A_CHOICE = {
    "rating": _("“%(value)s” is not a rating choice; ignored."),
    "warning": _("“%(value)s” is not a warning choice; ignored."),
    "category": _("“%(value)s” is not a category choice; ignored."),
}
NOT_AN_OPTION = {
    "complete": _("“%(value)s” is not a valid complete option; ignored."),
    "crossovers": _("“%(value)s” is not a valid crossovers option; ignored."),
    "sort": _("“%(value)s” is not a valid sort option; ignored."),
}


@dataclass
class DateRange:
    start: dt.date | None = None
    end: dt.date | None = None
    within_days: int | None = None

    def bounds(self, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """Inclusive first and last day; "within N days" is today and the N-1 before."""
        start, end = self.start, self.end
        if self.within_days is not None:
            since = today - dt.timedelta(days=self.within_days - 1)
            start = max(start, since) if start else since
        return start, end

    @property
    def active(self) -> bool:
        return bool(self.start or self.end or self.within_days is not None)


@dataclass
class WorkFilter:
    """Everything a reader can narrow a works listing by.

    Tags are given as ids or names (`include`, `exclude`); the selector resolves names
    and follows synonyms and metatags. Rating, warning and category checkboxes match
    any of the ticked boxes within a group, and every group that has a tick must match.
    """

    include: list[int | str] = field(default_factory=list)
    exclude: list[int | str] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)
    warnings: list[int] = field(default_factory=list)
    categories: list[int] = field(default_factory=list)
    complete: str = "any"
    single_chapter: bool = False
    words_min: int | None = None
    words_max: int | None = None
    kudos_min: int | None = None
    kudos_max: int | None = None
    hits_min: int | None = None
    hits_max: int | None = None
    comments_min: int | None = None
    comments_max: int | None = None
    bookmarks_min: int | None = None
    bookmarks_max: int | None = None
    updated: DateRange = field(default_factory=DateRange)
    published: DateRange = field(default_factory=DateRange)
    language: str = ""
    crossovers: str = "include"
    q: str = ""
    q_body: bool = False  # search chapter text too
    sort: str = ""
    page: int = 1
    facets_all: bool = False
    errors: list[str] = field(default_factory=list, compare=False)

    @property
    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        return "relevance" if self.q else "updated"

    @property
    def offset(self) -> int:
        return (self.page - 1) * PER_PAGE

    def stat_range(self, name: str) -> tuple[int | None, int | None]:
        return getattr(self, f"{name}_min"), getattr(self, f"{name}_max")

    # --- parsing ------------------------------------------------------------------------
    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> WorkFilter:
        """Build a filter from a QueryDict (or a plain dict of strings / lists)."""
        f = cls()
        getlist = _getlist(params)
        f.include = _tag_refs(getlist("tag"), "included", f.errors)
        f.exclude = _tag_refs(getlist("exclude"), "excluded", f.errors)
        f.ratings = _ids(getlist("rating"), "rating", f.errors)
        f.warnings = _ids(getlist("warning"), "warning", f.errors)
        f.categories = _ids(getlist("category"), "category", f.errors)
        f.complete = _choice(_one(getlist, "complete"), COMPLETE_CHOICES, "any", "complete", f)
        f.single_chapter = _one(getlist, "single_chapter").lower() in TRUE_VALUES
        for name in STAT_FIELDS:
            low = _count(_one(getlist, f"{name}_min"), f"{name}_min", f.errors)
            high = _count(_one(getlist, f"{name}_max"), f"{name}_max", f.errors)
            if low is not None and high is not None and low > high:
                f.errors.append(str(STAT_RANGE_ERRORS[name]))
                low = high = None
            setattr(f, f"{name}_min", low)
            setattr(f, f"{name}_max", high)
        f.updated = _date_range(getlist, "updated", f.errors)
        f.published = _date_range(getlist, "published", f.errors)
        f.language = _language(_one(getlist, "language"), f.errors)
        f.crossovers = _choice(
            _one(getlist, "crossovers"), CROSSOVER_CHOICES, "include", "crossovers", f
        )
        f.q = " ".join(_one(getlist, "q").split())
        if len(f.q) > MAX_QUERY_LENGTH:
            f.errors.append(
                ngettext(
                    "Searches can be at most %(max)s character; cut short.",
                    "Searches can be at most %(max)s characters; cut short.",
                    MAX_QUERY_LENGTH,
                )
                % {"max": MAX_QUERY_LENGTH}
            )
            f.q = f.q[:MAX_QUERY_LENGTH]
        f.q_body = bool(f.q) and _one(getlist, "q_body").lower() in TRUE_VALUES
        f.sort = _choice(_one(getlist, "sort"), tuple(SORTS), "", "sort", f)
        if f.sort == "relevance" and not f.q:
            f.errors.append(gettext("Best match needs a search; sorted by date updated instead."))
            f.sort = ""
        f.page = _page(_one(getlist, "page"), f.errors)
        f.facets_all = _one(getlist, "facets").lower() == "all"
        return f

    def to_query_string(self, **overrides: Any) -> str:
        """The GET parameters that give this filter back (defaults left out), for links.

        `overrides` replace fields first, e.g. `to_query_string(page=3)`.
        """
        f = self
        if overrides:
            f = WorkFilter(**{x.name: getattr(self, x.name) for x in fields(self)})
            for key, value in overrides.items():
                setattr(f, key, value)
        pairs: list[tuple[str, Any]] = []
        pairs += [("tag", t) for t in f.include]
        pairs += [("exclude", t) for t in f.exclude]
        pairs += [("rating", t) for t in f.ratings]
        pairs += [("warning", t) for t in f.warnings]
        pairs += [("category", t) for t in f.categories]
        if f.complete != "any":
            pairs.append(("complete", f.complete))
        if f.single_chapter:
            pairs.append(("single_chapter", "1"))
        for name in STAT_FIELDS:
            for end in ("min", "max"):
                value = getattr(f, f"{name}_{end}")
                if value is not None:
                    pairs.append((f"{name}_{end}", value))
        for name in ("updated", "published"):
            span: DateRange = getattr(f, name)
            if span.start:
                pairs.append((f"{name}_from", span.start.isoformat()))
            if span.end:
                pairs.append((f"{name}_to", span.end.isoformat()))
            if span.within_days is not None:
                pairs.append((f"{name}_within", span.within_days))
        if f.language:
            pairs.append(("language", f.language))
        if f.crossovers != "include":
            pairs.append(("crossovers", f.crossovers))
        if f.q:
            pairs.append(("q", f.q))
            if f.q_body:
                pairs.append(("q_body", "1"))
        if f.sort:
            pairs.append(("sort", f.sort))
        if f.facets_all:
            pairs.append(("facets", "all"))
        if f.page != 1:
            pairs.append(("page", f.page))
        return urlencode(pairs)


# --- field parsers ----------------------------------------------------------------------


def _getlist(params: Mapping[str, Any]):
    def getlist(key: str) -> list[str]:
        if hasattr(params, "getlist"):
            values = params.getlist(key)
        else:
            raw = params.get(key, [])
            values = raw if isinstance(raw, list | tuple) else [raw]
        out: list[str] = []
        for value in values:
            # "tag=1,2" and "tag=1&tag=2" both work; names with commas cannot be tags.
            out += [part.strip() for part in str(value).split(",") if part.strip()]
        return out

    return getlist


def _one(getlist, key: str) -> str:
    values = getlist(key)
    return values[-1] if values else ""


def _tag_refs(values: list[str], label: str, errors: list[str]) -> list[int | str]:
    refs: list[int | str] = []
    # Tag names never contain commas, so a typed "Fluff, Angst" is two tags.
    parts = [part for value in values for part in value.split(",")]
    for value in parts:
        value = value.strip()
        if not value:
            continue
        ref: int | str | None = parse_id(value)
        if ref is None:
            if value.isascii() and value.isdigit():
                errors.append(
                    gettext("“%(value)s” is not a tag of this archive; ignored.")
                    % {"value": value[:20]}
                )
                continue
            ref = " ".join(value.split())
        if ref not in refs:
            refs.append(ref)
    if len(refs) > MAX_TAGS:
        if label == "included":
            message = ngettext(
                "At most %(max)s included tag is used; the rest were ignored.",
                "At most %(max)s included tags are used; the rest were ignored.",
                MAX_TAGS,
            )
        else:
            message = ngettext(
                "At most %(max)s excluded tag is used; the rest were ignored.",
                "At most %(max)s excluded tags are used; the rest were ignored.",
                MAX_TAGS,
            )
        errors.append(message % {"max": MAX_TAGS})
        refs = refs[:MAX_TAGS]
    return refs


def _ids(values: list[str], label: str, errors: list[str]) -> list[int]:
    ids: list[int] = []
    for value in values:
        parsed = parse_id(value)
        if parsed is None:
            errors.append(str(NOT_A_CHOICE[label]) % {"value": value[:40]})
        elif parsed not in ids:
            ids.append(parsed)
    return ids[:MAX_TAGS]


def _choice(value: str, choices: tuple[str, ...], default: str, label: str, f) -> str:
    if not value:
        return default
    if value not in choices:
        f.errors.append(str(NOT_AN_OPTION[label]) % {"value": value[:40]})
        return default
    return value


def _count(value: str, label: str, errors: list[str]) -> int | None:
    if not value:
        return None
    count = parse_int(value.replace("_", "").replace(",", ""), maximum=10**12 - 1)
    if count is None:
        # Translators: %(field)s is the link's parameter, e.g. "Words min" (kept in English).
        errors.append(
            gettext("%(field)s must be a whole number; ignored.")
            % {"field": label.replace("_", " ").capitalize()}
        )
    return count


def _date(value: str, label: str, errors: list[str]) -> dt.date | None:
    if not value:
        return None
    date = parse_date(value)
    if date is None:
        # Translators: %(field)s is the link's parameter, e.g. "Updated from" (kept in English).
        errors.append(
            gettext(
                "%(field)s must be a date like 2024-05-31, between %(min)s and %(max)s; ignored."
            )
            % {"field": label, "min": MIN_DATE.year, "max": MAX_DATE.year}
        )
    return date


def _date_range(getlist, name: str, errors: list[str]) -> DateRange:
    label = name.capitalize()
    span = DateRange(
        start=_date(_one(getlist, f"{name}_from"), f"{label} from", errors),
        end=_date(_one(getlist, f"{name}_to"), f"{label} to", errors),
    )
    within = _one(getlist, f"{name}_within")
    if within:
        days = _count(within, f"{name}_within", errors)
        if days is not None and not 1 <= days <= MAX_DAYS:
            # Translators: %(field)s is the link's parameter, e.g. "Updated within".
            errors.append(
                gettext("%(field)s must be between 1 and %(max)s days; ignored.")
                % {"field": f"{label} within", "max": MAX_DAYS}
            )
            days = None
        span.within_days = days
    if span.start and span.end and span.start > span.end:
        # Translators: the fields are the link's parameters, e.g. "Updated from", "updated to".
        errors.append(
            gettext("%(start)s is after %(end)s; ignored both.")
            % {"start": f"{label} from", "end": f"{name} to"}
        )
        span.start = span.end = None
    return span


def _language(value: str, errors: list[str]) -> str:
    from fanfold.works.models import Language

    if not value:
        return ""
    if value not in Language.values:
        errors.append(
            gettext("“%(value)s” is not a language of this archive; ignored.")
            % {"value": value[:20]}
        )
        return ""
    return value


def _page(value: str, errors: list[str]) -> int:
    if not value:
        return 1
    page = parse_id(value)
    if page is None:
        errors.append(gettext("The page must be a positive whole number; showing page 1."))
        return 1
    return min(page, 10**9)
