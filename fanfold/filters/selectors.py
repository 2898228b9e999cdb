"""Reads for the works filter: the one place where filters, search and viewer rules
meet. Views (tag pages, the works index, user pages) call `filter_works`."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext, gettext_lazy

from fanfold.accounts.models import User
from fanfold.filters import fallback, snapshot
from fanfold.filters.engine import Answer, Plan, answer
from fanfold.filters.engine import count as count_selected
from fanfold.filters.index import FilterIndex
from fanfold.filters.loader import TAG_TYPES
from fanfold.filters.query import MAX_DEPTH, MAX_PAGE, PER_PAGE, WorkFilter
from fanfold.filters.search import database_matches
from fanfold.filters.word_query import parse
from fanfold.tags.models import Tag, TagType, tag_key
from fanfold.tags.selectors import tags_visible_to
from fanfold.works.models import Work
from fanfold.works.querysets import is_member

log = logging.getLogger(__name__)

_shared: snapshot.SnapshotIndex | None = None
_shared_lock = threading.RLock()
# After the log asked for a rebuild, a snapshot must have read it at least this far.
_wanted_change = 0
_builder: subprocess.Popen | None = None
_last_start = 0.0
# How often a worker may start a background build, at most.
BUILD_RETRY_SECONDS = 10.0
# A snapshot this old with changes on top is rebuilt (in `process` mode): each worker
# holds the changes since in memory of its own (the pages a changed or new work's rows
# sit in, its tags, the bitmaps it touched), so a fresh snapshot hands that back to the
# shared pages.
RENEW_AFTER_SECONDS = 15 * 60


@dataclass
class FacetEntry:
    tag_id: int
    name: str
    count: int
    included: bool = False
    excluded: bool = False


@dataclass
class FilterResult:
    filter: WorkFilter
    total: int
    work_ids: list[int]
    facets: dict[str, list[FacetEntry]]
    errors: list[str] = field(default_factory=list)
    # "More than `total`": the database fallback stopped counting (fallback.COUNT_UP_TO).
    total_is_lower_bound: bool = False

    @property
    def page(self) -> int:
        return self.filter.page

    @property
    def num_pages(self) -> int:
        return max(1, min(-(-self.total // PER_PAGE), MAX_PAGE))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def current_index() -> FilterIndex | None:
    """The host's snapshot as this process sees it (refreshed from the change log), or
    None while there is none ready: then a build is started (per FILTER_INDEX_BUILD)
    and listings come from the database meanwhile. Never waits for a build, except in
    the `inline` mode tests use."""
    global _shared, _wanted_change
    with _shared_lock:
        for _ in range(2):
            _follow_current()
            if _shared is None:
                _start_build()
                _follow_current()
            if _shared is None:
                return None
            try:
                _shared.refresh()
                _renew_if_old(_shared)
                return _shared
            except snapshot.NeedsSnapshot:
                # The row that asked lies past what this index read; a snapshot that read
                # at least one row further is worth trying (if it is still short, the
                # row asks again and the bar rises).
                _wanted_change = max(_wanted_change, _shared.last_change + 1)
                _drop()
        return None


def _renew_if_old(index: snapshot.SnapshotIndex) -> None:
    if settings.FILTER_INDEX_BUILD != "process" or not index.overlay:
        return
    if time.time() - index.created > RENEW_AFTER_SECONDS:
        _start_build()


def _follow_current() -> None:
    """Switch to the newest snapshot when `current` moved (one readlink per call)."""
    global _shared
    name = snapshot.current_name()
    if not name or (_shared is not None and _shared.snapshot_name == name):
        return
    fresh = snapshot.open_current(at_least=_wanted_change)
    if fresh is not None:
        switched = _shared is not None
        _drop()
        _shared = fresh
        if switched:
            # The last worker to let an old snapshot go removes it.
            snapshot.remove_unused()


def _drop() -> None:
    global _shared
    if _shared is not None:
        # Requests still holding the old index keep working: its files stay mapped.
        _shared.close()
        _shared = None


def _start_build() -> None:
    global _builder, _last_start
    mode = settings.FILTER_INDEX_BUILD
    if mode == "inline":
        snapshot.build_snapshot(blocking=True)
        return
    if mode != "process":
        return  # external: `manage.py rebuild_filter_index` builds it
    if _builder is not None and _builder.poll() is None:
        return
    if time.monotonic() - _last_start < BUILD_RETRY_SECONDS and _last_start:
        return
    if snapshot.build_running(snapshot.index_dir()):
        return
    _last_start = time.monotonic()
    command = [
        sys.executable,
        str(settings.BASE_DIR / "manage.py"),
        "rebuild_filter_index",
        "--if-idle",
    ]
    log.warning("Building a filter index snapshot in the background")
    # Its own session: a worker's restart (a signal to its process group) must not kill
    # the build every worker is waiting for.
    _builder = subprocess.Popen(  # noqa: S603 (our own command, no outside input)
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )


def shared_index() -> FilterIndex:
    """The index, building a snapshot here and now if none is ready (tests, the
    benchmark, commands): unlike `current_index`, this waits."""
    index = current_index()
    if index is None:
        with _shared_lock:
            snapshot.build_snapshot(blocking=True)
            index = current_index()
    if index is None:
        raise RuntimeError("The filter index snapshot could not be built")
    return index


def shared_index_ready() -> bool:
    """Whether this process has its index (a health check asks; it never waits)."""
    return _shared is not None


def reset_shared_index() -> None:
    """Forget the index (tests, or after restoring a database from a backup)."""
    global _wanted_change
    with _shared_lock:
        _drop()
        _wanted_change = 0


def filter_works(
    f: WorkFilter,
    viewer: User | None,
    *,
    exclude_work_ids: Iterable[int] = (),
    within_work_ids: Iterable[int] | None = None,
    always_exclude_tags: Iterable[int] = (),
    facets: bool = True,
    use_index: bool | None = None,
) -> FilterResult:
    """One page of works matching `f` for `viewer`, with facet counts over all of them.

    `exclude_work_ids` (muted creators' works) and `always_exclude_tags` (a reader's
    standing exclusions) narrow results and counts alike. Without the shared index
    (`FANFOLD_FILTER_INDEX=0`, or `use_index=False`) the same engine runs over an index
    of just the works the viewer may see: the same answers, built per request.
    """
    errors = list(f.errors)
    plan = _plan(f, viewer, errors, always_exclude_tags)
    plan.facets = facets
    query = parse(f.q, body=f.q_body) if f.q else None
    # The database's part of a search (phrases, chapter text) runs before the index lock.
    from_database = database_matches(query) if query is not None else {}
    deep = f.page > MAX_PAGE
    if deep:
        errors.append(
            gettext(
                "Only the first %(max)s results can be paged through; narrow the filters "
                "or change the sort to see others."
            )
            % {"max": f"{MAX_DEPTH:,}"}
        )
    index = _index_for(viewer, use_index)
    if index is None:
        result, notes = fallback.answer_from_database(
            plan,
            query=query,
            from_database=from_database,
            exclude_work_ids=exclude_work_ids,
            within_work_ids=within_work_ids,
        )
        return FilterResult(
            filter=f,
            total=result.total,
            work_ids=_still_visible(result.work_ids, viewer),
            facets=_named_facets(result, plan),
            errors=errors + notes,
            total_is_lower_bound=result.total_is_lower_bound,
        )
    with index.lock:
        if query is not None:
            ranked = f.effective_sort == "relevance"
            words = index.word_index()
            plan.text = words.match(index, query, from_database, ranked=ranked)
        if exclude_work_ids:
            plan.exclude_works = index.positions(exclude_work_ids)
        if within_work_ids is not None:
            plan.within_works = index.positions(within_work_ids)
        result = answer(index, plan)
    return FilterResult(
        filter=f,
        total=result.total,
        work_ids=_still_visible(result.work_ids, viewer),
        facets=_named_facets(result, plan),
        errors=errors,
    )


def _index_for(viewer: User | None, use_index: bool | None) -> FilterIndex | None:
    if use_index is None:
        use_index = getattr(settings, "FILTER_INDEX", True)
    if use_index:
        return current_index()
    return FilterIndex.build(work_ids=Work.objects.visible_to(viewer).values_list("pk", flat=True))


def tag_work_counts(
    tag_ids: Iterable[int],
    viewer: User | None,
    *,
    exclude_work_ids: Iterable[int] = (),
    use_index: bool | None = None,
) -> dict[int, int]:
    """For each tag, how many works a filter on that tag alone finds for `viewer`: what
    its works page lists before any other choice. A synonym counts its canonical tag's
    works and a metatag its sub-tags' too (the index's closure); guests' counts leave
    members-only works out, and `exclude_work_ids` (muted creators) leaves those out."""
    mergers = dict(Tag.objects.filter(pk__in=list(tag_ids)).values_list("pk", "merger_id"))
    index = _index_for(viewer, use_index)
    counts: dict[int, int] = {}
    if index is None:
        return fallback.tag_work_counts(
            {t: m or t for t, m in mergers.items()},
            guest=not is_member(viewer),
            exclude_work_ids=exclude_work_ids,
        )
    with index.lock:
        excluded = index.positions(exclude_work_ids) if exclude_work_ids else None
        for tag_id, merger in mergers.items():
            plan = Plan(filter=WorkFilter(), guest=not is_member(viewer))
            plan.include = [merger or tag_id]
            plan.exclude_works = excluded
            counts[tag_id] = count_selected(index, plan)
    return counts


def _still_visible(work_ids: list[int], viewer: User | None) -> list[int]:
    # Defence in depth: the database has the last word on who may see what.
    if not work_ids:
        return []
    allowed = set(
        Work.objects.visible_to(viewer).filter(pk__in=work_ids).values_list("pk", flat=True)
    )
    return [pk for pk in work_ids if pk in allowed]


MISSING_CHOICES = {
    TagType.RATING: gettext_lazy("Some rating choices do not exist."),
    TagType.WARNING: gettext_lazy("Some archive warning choices do not exist."),
    TagType.CATEGORY: gettext_lazy("Some category choices do not exist."),
}


def _plan(
    f: WorkFilter, viewer: User | None, errors: list[str], always_exclude: Iterable[int]
) -> Plan:
    plan = Plan(filter=f, guest=not is_member(viewer))
    plan.facet_limit = None if f.facets_all else 10
    # Tags the reader names count only if they may know of them: a tag only invisible
    # works carry answers exactly as a missing one (no name, no different message).
    known = tags_visible_to(viewer)
    included, missing = _resolve(f.include, known)
    for ref in missing:
        errors.append(
            gettext("No tag is called “%(name)s”, so no work can match it.") % {"name": ref}
        )
        plan.impossible = True
    plan.include = included
    excluded, missing = _resolve(f.exclude, known)
    for ref in missing:
        errors.append(
            gettext("No tag is called “%(name)s”; that exclusion was ignored.") % {"name": ref}
        )
    # Standing exclusions are the reader's own choices, kept by id: never an error.
    standing, _ = _resolve(list(always_exclude), Tag.objects.all())
    plan.exclude = [*excluded, *(t for t in standing if t not in excluded)]
    for tag_type, ids in (
        (TagType.RATING, f.ratings),
        (TagType.WARNING, f.warnings),
        (TagType.CATEGORY, f.categories),
    ):
        if ids:
            valid = list(known.filter(pk__in=ids, type=tag_type).values_list("pk", "merger_id"))
            if len(valid) < len(ids):
                errors.append(str(MISSING_CHOICES[tag_type]))
            plan.groups.append([merger or pk for pk, merger in valid] or [-1])
    return plan


def _resolve(refs: Iterable[int | str], tags: QuerySet[Tag]) -> tuple[list[int], list[str]]:
    """Tag ids and names, looked up among `tags` → filter-tag ids (a synonym stands for
    its canonical tag), and the references not found there."""
    refs = list(refs)
    ids = [r for r in refs if isinstance(r, int)]
    keys = {tag_key(r): r for r in refs if isinstance(r, str)}
    found = tags.filter(Q(pk__in=ids) | Q(key__in=list(keys)))
    by_id, by_key = {}, {}
    for pk, key, merger in found.values_list("pk", "key", "merger_id"):
        by_id[pk] = by_key[key] = merger or pk
    resolved: list[int] = []
    missing: list[str] = []
    for ref in refs:
        tag = by_id.get(ref) if isinstance(ref, int) else by_key.get(tag_key(ref))
        if tag is None:
            missing.append(str(ref))
        elif tag not in resolved:
            resolved.append(tag)
    return resolved, missing


def _named_facets(result: Answer, plan: Plan) -> dict[str, list[FacetEntry]]:
    wanted = {t for entries in result.facets.values() for t, _ in entries} | set(plan.exclude)
    tags = {t.pk: t for t in Tag.objects.filter(pk__in=wanted).only("pk", "name", "type")}
    facets: dict[str, list[FacetEntry]] = {name: [] for name in TAG_TYPES}
    for type_name, entries in result.facets.items():
        for tag_id, count in entries:
            if tag_id in tags:
                facets[type_name].append(
                    FacetEntry(tag_id, tags[tag_id].name, count, tag_id in plan.include)
                )
    # Excluded tags stay listed (with nothing left to count) so they can be un-ticked.
    for tag_id in plan.exclude:
        tag = tags.get(tag_id)
        if tag is not None and tag.type in facets:
            facets[tag.type].append(FacetEntry(tag_id, tag.name, 0, excluded=True))
    return facets
