"""Listings from the database while no index snapshot is ready (first start, rebuild).

Never waits for a build. The database narrows the candidates (tags through the inverse
of the closure the index expands, members-only, completion, ranges); when they are few
enough, the engine itself runs over an index of just those works, so the results, the
order and the facet counts are the index's by construction. A broad listing (the
whole archive) is paged in SQL instead, and says that tag counts are on their way:
it counts its works only up to `COUNT_UP_TO` ("more than 5,000"), and when there are
more than that it walks its sort's database index for the page instead of sorting
them all (at five million works, both the full count and the sort took tens of
seconds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from fanfold.filters.engine import Answer, Plan, answer
from fanfold.filters.index import FilterIndex
from fanfold.filters.loader import TAG_TYPES, indexed_works
from fanfold.filters.query import MAX_DEPTH, MAX_PAGE, PER_PAGE, WorkFilter
from fanfold.filters.word_query import Query as SearchQuery
from fanfold.tags.models import Tag
from fanfold.works.models import Creatorship, Work, WorkTag

# Up to this many candidates, an index of them answers exactly (results and facets):
# about half a second on a loaded 2-core machine; 10,000 took 7 s there.
EXACT_UP_TO = 2_000
STAT_FIELDS = {
    "words": "word_count",
    "kudos": "kudos_count",
    "hits": "hits",
    "comments": "comment_count",
    "bookmarks": "bookmark_count",
}
ORDER_FIELDS = {
    "updated": "updated_at",
    "posted": "published_at",
    **STAT_FIELDS,
}
# The sorts whose `_ordering` a database index gives (works.Work.Meta.indexes); the
# creator sort's key is a subquery into another table, which no index holds.
WALKABLE = frozenset({*ORDER_FIELDS, "title"})
# A broad listing counts its works up to this many and shows "more than" beyond: every
# page a reader can reach (MAX_PAGE) is still reachable.
COUNT_UP_TO = MAX_DEPTH
# Rows of the archive-wide sort order read by the walk's first step (each step reads
# twice as many as the one before, up to WALK_STEP_MAX ids in one IN list: a filter on
# tags re-reads its tags' works per step), and the most read for one page before it
# gives up and lets the database sort the candidates: a filter that keeps more than
# COUNT_UP_TO works but only a sliver of the archive is cheaper sorted.
WALK_STEP = 2_000
WALK_STEP_MAX = 16_000
WALK_BUDGET = 200_000


def answer_from_database(
    plan: Plan,
    *,
    query: SearchQuery | None,
    from_database: dict,
    exclude_work_ids: Iterable[int] = (),
    within_work_ids: Iterable[int] | None = None,
) -> tuple[Answer, list[str]]:
    """What `engine.answer` would say for `plan`, read from the database, and notes
    for the reader about anything a broad listing leaves out until the index is ready."""
    exclude_work_ids = list(exclude_work_ids)
    within = None if within_work_ids is None else list(within_work_ids)
    works = candidates(plan, exclude_work_ids, within)
    ids = list(works.values_list("pk", flat=True)[: EXACT_UP_TO + 1])
    if len(ids) <= EXACT_UP_TO:
        return _exact(plan, ids, query, from_database, exclude_work_ids, within), []
    return _broad(plan, works, query)


def _exact(plan, ids, query, from_database, exclude_work_ids, within) -> Answer:
    index = FilterIndex.build(work_ids=ids, whole_graph=False)
    if query is not None:
        ranked = plan.filter.effective_sort == "relevance"
        plan.text = index.word_index().match(index, query, from_database, ranked=ranked)
    if exclude_work_ids:
        plan.exclude_works = index.positions(exclude_work_ids)
    if within is not None:
        plan.within_works = index.positions(within)
    return answer(index, plan)


def _broad(plan: Plan, works: QuerySet, query: SearchQuery | None) -> tuple[Answer, list[str]]:
    f = plan.filter
    notes = [_("Tag counts will show in a minute, once the filter index is ready.")]
    empty: dict[str, list[tuple[int, int]]] = {name: [] for name in TAG_TYPES}
    if query is not None:
        notes.append(
            _("Searching needs the filter index, which is being prepared; try again soon.")
        )
        return Answer(total=0, work_ids=[], facets=empty), notes
    if f.crossovers != "include":
        notes.append(_("The crossover choice applies once the filter index is ready."))
    counted = works[: COUNT_UP_TO + 1].count()
    more = counted > COUNT_UP_TO
    total = min(counted, COUNT_UP_TO)
    if f.page > MAX_PAGE:
        return Answer(total=total, work_ids=[], facets=empty, total_is_lower_bound=more), notes
    start, stop = f.offset, f.offset + PER_PAGE
    page = _walk(works, f.effective_sort, stop) if more else None
    if page is None:
        ordered = works.order_by(*_ordering(f.effective_sort))[start:stop]
        page = list(ordered.values_list("pk", flat=True))
    else:
        page = page[start:stop]
    return Answer(total=total, work_ids=page, facets=empty, total_is_lower_bound=more), notes


def _walk(works: QuerySet, sort: str, stop: int) -> list[int] | None:
    """The first `stop` of `works` in `sort`'s order, read off the archive-wide order
    that the sort column's database index gives without sorting (the same ORDER BY, so
    the same order), keeping the rows `works` holds. None when the sort has no such
    index (creator) or the works are too sparse in it for WALK_BUDGET rows."""
    if sort not in WALKABLE:
        return None
    archive = Work.objects.order_by(*_ordering(sort)).values_list("pk", flat=True)
    found: list[int] = []
    seen, size = 0, WALK_STEP
    while seen < WALK_BUDGET:
        step = list(archive[seen : seen + size])
        kept = set(works.filter(pk__in=step).values_list("pk", flat=True))
        found.extend(pk for pk in step if pk in kept)
        if len(found) >= stop or len(step) < size:
            return found[:stop]
        seen += size
        size = min(size * 2, WALK_STEP_MAX)
    return None


def _ordering(sort: str) -> list:
    # Ties go to the newer work, as in the index. The index compares dates to the second
    # and titles by their first 16 bytes: a broad page may order near-ties differently.
    if sort == "title":
        return [Lower("title"), "-pk"]
    if sort == "creator":
        first = Creatorship.objects.filter(work=OuterRef("pk"), approved=True).order_by(
            "position", "pk"
        )
        return [Lower(Subquery(first.values("pseud__name")[:1])), "-pk"]
    return [F(ORDER_FIELDS.get(sort, "updated_at")).desc(nulls_last=True), "-pk"]


# --- narrowing in SQL -------------------------------------------------------------------


def direct_tags(tags: Iterable[int]) -> set[int]:
    """The direct tags a work may carry to count for any of `tags`: the inverse of
    `TagGraph.closure` (a tag's canonical form, then same-type parents, resolved at each
    step), walked down in SQL so no request loads the whole tag graph."""
    reached = set(tags)
    frontier = set(reached)
    links = Tag.parents.through.objects.filter(from_tag__type=F("to_tag__type")).order_by()
    while frontier:
        targets = _resolving_to(frontier)
        children = set(
            links.filter(to_tag_id__in=sorted(targets)).values_list("from_tag_id", flat=True)
        )
        frontier = children - reached
        reached |= frontier
    return _resolving_to(reached)


def _resolving_to(tags: set[int]) -> set[int]:
    """Tags whose canonical form (`TagGraph.resolve`, one step) is one of `tags`."""
    ids = sorted(tags)
    # Two plain index lookups, unordered: the model's default ordering (or an OR across
    # the two) makes SQLite walk every tag instead.
    own = Tag.objects.filter(pk__in=ids).order_by().values_list("pk", "merger_id")
    synonyms = Tag.objects.filter(merger_id__in=ids).order_by().values_list("pk", flat=True)
    return {pk for pk, merger in own if merger in (None, pk)} | set(synonyms)


def _tagged(tags: set[int]) -> QuerySet:
    return WorkTag.objects.filter(tag_id__in=sorted(tags)).order_by().values("work_id")


def candidates(plan: Plan, exclude_work_ids: list[int], within: list[int] | None) -> QuerySet:
    """The indexed works (`indexed_works`, the one visibility rule) that can match."""
    f = plan.filter
    works = indexed_works()
    if plan.impossible:
        return works.none()
    if plan.guest:
        works = works.filter(restricted=False)
    for tag in plan.include:
        works = works.filter(pk__in=_tagged(direct_tags([tag])))
    for group in plan.groups:
        works = works.filter(pk__in=_tagged(direct_tags(group)))
    if plan.exclude:
        works = works.exclude(pk__in=_tagged(direct_tags(plan.exclude)))
    if exclude_work_ids:
        works = works.exclude(pk__in=exclude_work_ids)
    if within is not None:
        works = works.filter(pk__in=within)
    return _narrow(works, f)


def _narrow(works: QuerySet, f: WorkFilter) -> QuerySet:
    if f.complete != "any":
        works = works.filter(complete=f.complete == "yes")
    for name, column in STAT_FIELDS.items():
        low, high = f.stat_range(name)
        if low is not None:
            works = works.filter(**{f"{column}__gte": low})
        if high is not None:
            works = works.filter(**{f"{column}__lte": high})
    if f.single_chapter:
        works = works.filter(chapter_count=1)
    if f.language:
        works = works.filter(language=f.language)
    today = timezone.localdate()
    for name, column in (("updated", "updated_at"), ("published", "published_at")):
        span = getattr(f, name)
        if span.active:
            start, end = span.bounds(today)
            if start is not None:
                works = works.filter(**{f"{column}__gte": _midnight(start)})
            if end is not None:
                works = works.filter(**{f"{column}__lt": _midnight(end + dt.timedelta(days=1))})
    return works


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def tag_work_counts(
    filter_tags: dict[int, int], *, guest: bool, exclude_work_ids: Iterable[int] = ()
) -> dict[int, int]:
    """`selectors.tag_work_counts` from the database: {tag: works a filter on its
    filter tag alone finds}, for `filter_tags` = {tag asked for: its filter tag}."""
    works = indexed_works()
    if guest:
        works = works.filter(restricted=False)
    excluded = list(exclude_work_ids)
    if excluded:
        works = works.exclude(pk__in=excluded)
    return {
        tag: works.filter(pk__in=_tagged(direct_tags([target]))).count()
        for tag, target in filter_tags.items()
    }
