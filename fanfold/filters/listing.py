"""The works listing pages' selector: a page of blurbs with the filter sidebar's data.

Every filterable listing (/works, a tag's works, a creator's or pseud's works, a
series, a challenge) comes through `works_filtered_listing`, which adds the viewer's
rules to what the reader asked for: muted creators' works and the reader's standing
exclusions leave the results and the counts alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.filters.chips import Chip, filter_chips
from fanfold.filters.models import SavedFilter, StandingExclusion
from fanfold.filters.query import MAX_PAGE, SORTS, WorkFilter
from fanfold.filters.selectors import FacetEntry, FilterResult, filter_works
from fanfold.tags.models import Tag, TagType
from fanfold.works.models import Language, Work

# Types shown in the sidebar, in AO3's order, with their labels.
FACET_TYPES = [
    (TagType.RATING.value, _("Ratings")),
    (TagType.WARNING.value, _("Warnings")),
    (TagType.CATEGORY.value, _("Categories")),
    (TagType.FANDOM.value, _("Fandoms")),
    (TagType.CHARACTER.value, _("Characters")),
    (TagType.RELATIONSHIP.value, _("Relationships")),
    (TagType.FREEFORM.value, _("Additional Tags")),
]
# Ratings, warnings and categories are ticked as groups ("any of these").
GROUP_PARAMS = {
    TagType.RATING.value: "rating",
    TagType.WARNING.value: "warning",
    TagType.CATEGORY.value: "category",
}
# "Show all" can mean every tag of the whole archive; past this many the sidebar says
# so and the reader types a name instead.
SHOW_ALL_LIMIT = 500


@dataclass
class FacetGroup:
    type: str
    label: str
    entries: list[FacetEntry]
    param: str  # the GET name that includes one of these
    chosen: set[int] = field(default_factory=set)
    truncated: int = 0


@dataclass
class FilteredListing:
    blurbs: list[SafeString]
    result: FilterResult
    filter: WorkFilter
    groups: list[FacetGroup]
    fixed_tag: Tag | None
    standing: list[Tag]
    standing_applied: bool
    saved: list[SavedFilter]

    @property
    def total(self) -> int:
        return self.result.total

    @property
    def errors(self) -> list[str]:
        return self.result.errors

    @property
    def first(self) -> int:
        return (self.filter.page - 1) * 20 + 1 if self.blurbs else 0

    @property
    def last(self) -> int:
        return self.first + len(self.blurbs) - 1 if self.blurbs else 0

    def page_link(self, number: int) -> str:
        return "?" + self.filter.to_query_string(page=number)

    @property
    def pages(self) -> list[tuple[int | None, str]]:
        """Page numbers around the current one, with None for a gap."""
        current, last = self.filter.page, self.result.num_pages
        wanted = {1, 2, last - 1, last, *range(current - 2, current + 3)}
        numbers = sorted(n for n in wanted if 1 <= n <= last)
        out: list[tuple[int | None, str]] = []
        previous = 0
        for n in numbers:
            if n - previous > 1:
                out.append((None, ""))
            out.append((n, self.page_link(n)))
            previous = n
        return out

    @property
    def previous_link(self) -> str | None:
        return self.page_link(self.filter.page - 1) if self.filter.page > 1 else None

    @property
    def next_link(self) -> str | None:
        return self.page_link(self.filter.page + 1) if self.result.has_next else None

    @property
    def standing_names(self) -> str:
        return ", ".join(tag.name for tag in self.standing)

    @property
    def sorts(self) -> list[tuple[str, str]]:
        # Labels in the active language (SORTS holds lazy strings).
        return [
            (k, str(label)) for k, (label, _) in SORTS.items() if k != "relevance" or self.filter.q
        ]

    @property
    def within_choices(self) -> list[tuple[int, str]]:
        # Options after "Updated within" / "Posted within", each a phrase of its own.
        labels = [(1, _("the last day")), (7, _("7 days")), (30, _("30 days")), (365, _("a year"))]
        return [(days, str(label)) for days, label in labels]

    @property
    def languages(self) -> list[tuple[str, str]]:
        return list(Language.choices)

    @property
    def show_all_link(self) -> str:
        return "?" + self.filter.to_query_string(facets_all=True, page=1)

    @property
    def active(self) -> bool:
        return bool(self.filter.to_query_string(page=1, sort=""))

    @property
    def chips(self) -> list[Chip]:
        return filter_chips(self)


def muted_work_ids(viewer: User | None) -> list[int]:
    from fanfold.blocking.selectors import muted_user_ids

    muted = muted_user_ids(viewer)
    if not muted:
        return []
    return list(
        Work.objects.filter(creatorships__pseud__user_id__in=muted)
        .values_list("pk", flat=True)
        .distinct()
    )


def standing_exclusions(viewer: User | None) -> list[Tag]:
    if viewer is None or not viewer.is_authenticated:
        return []
    return list(
        Tag.objects.filter(pk__in=StandingExclusion.objects.filter(user=viewer).values("tag"))
    )


def works_filtered_listing(
    *,
    viewer: User | None,
    params: Mapping[str, Any],
    fixed_tag: Tag | None = None,
    within_work_ids: Iterable[int] | None = None,
    sidebar: bool = True,
    with_blurbs: bool = True,
) -> FilteredListing:
    """One page of a filterable listing for `viewer`.

    `fixed_tag` is the tag a tag page is about (always included, not in the links);
    `within_work_ids` narrows to a creator's, pseud's, series' or challenge's works.
    Standing exclusions apply unless the reader asked to ignore them (`standing=off`).
    `sidebar=False` (feeds, the OPDS catalogue) skips the facet counts and the blurbs:
    the same works in the same order, for outputs that render entries of their own.
    Without `with_blurbs` (the JSON API, which wants the facet counts) the page's works
    are `result.work_ids` alone.
    """
    f = WorkFilter.from_params(params)
    run = f
    if fixed_tag is not None:
        run = WorkFilter.from_params(params)
        run.include = [*f.include, fixed_tag.pk]
    standing = standing_exclusions(viewer)
    applied = bool(standing) and params.get("standing") != "off"
    result = filter_works(
        run,
        viewer,
        exclude_work_ids=muted_work_ids(viewer),
        within_work_ids=within_work_ids,
        always_exclude_tags=[t.pk for t in standing] if applied else (),
        facets=sidebar,
    )
    result.filter = f
    blurbs = _blurbs(result.work_ids, viewer) if sidebar and with_blurbs else []
    saved: list[SavedFilter] = []
    if sidebar and viewer is not None and viewer.is_authenticated:
        saved = list(SavedFilter.objects.filter(user=viewer))
    return FilteredListing(
        blurbs=blurbs,
        result=result,
        filter=f,
        groups=_groups(result, f, fixed_tag),
        fixed_tag=fixed_tag,
        standing=standing,
        standing_applied=applied,
        saved=saved,
    )


def _groups(result: FilterResult, f: WorkFilter, fixed_tag: Tag | None) -> list[FacetGroup]:
    chosen_groups = {
        TagType.RATING.value: set(f.ratings),
        TagType.WARNING.value: set(f.warnings),
        TagType.CATEGORY.value: set(f.categories),
    }
    groups = []
    for tag_type, label in FACET_TYPES:
        entries = [
            e
            for e in result.facets.get(tag_type, [])
            if fixed_tag is None or e.tag_id != fixed_tag.pk
        ]
        truncated = 0
        if len(entries) > SHOW_ALL_LIMIT:
            truncated = len(entries) - SHOW_ALL_LIMIT
            entries = entries[:SHOW_ALL_LIMIT]
        groups.append(
            FacetGroup(
                type=tag_type,
                label=str(label),
                entries=entries,
                param=GROUP_PARAMS.get(tag_type, "tag"),
                chosen=chosen_groups.get(tag_type, set()),
                truncated=truncated,
            )
        )
    return groups


def _blurbs(work_ids: list[int], viewer: User | None) -> list[SafeString]:
    from fanfold.works.blurbs import blurbs_for_viewer

    if not work_ids:
        return []
    versions = dict(Work.objects.filter(pk__in=work_ids).values_list("pk", "render_version"))
    return blurbs_for_viewer([(pk, versions[pk]) for pk in work_ids if pk in versions], viewer)


__all__ = ["MAX_PAGE", "FilteredListing", "works_filtered_listing"]
