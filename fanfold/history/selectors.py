from __future__ import annotations

from django.db.models import F, Q, QuerySet

from fanfold.accounts.models import User
from fanfold.history.models import Reading
from fanfold.history.visits import pending_visits
from fanfold.works.models import Chapter, Work


def readings_of(*, user: User, marked_only: bool = False) -> QuerySet[Reading]:
    """The history page: most recent visit first, marked-for-later ones on their own list.
    Works the reader can no longer see stay listed, without their details."""
    qs = Reading.objects.filter(user=user).select_related("work")
    if marked_only:
        return qs.filter(marked_for_later=True).order_by(
            F("last_visit").desc(nulls_first=True), "-pk"
        )
    return qs.filter(visit_count__gt=0).order_by("-last_visit", "-pk")


def updated_since_read(*, user: User | None, work_ids: list[int]) -> set[int]:
    """Which of these works changed after the member last read them (one query).
    A visit still in this process's buffer counts as read: a member coming back to a
    listing from the work doesn't see "updated" on what they just read."""
    if user is None or not user.is_authenticated or not user.history_enabled or not work_ids:
        return set()
    pending = {w: v for w, v in pending_visits(user_id=user.pk).items() if w in set(work_ids)}
    updated = set(
        Reading.objects.filter(user=user, work_id__in=work_ids, visit_count__gt=0)
        .filter(Q(work__updated_at__gt=F("work_updated_at")))
        .exclude(work_id__in=pending)
        .values_list("work_id", flat=True)
    )
    if pending:  # only right after reading: one more query
        for work_id, updated_at in Work.objects.filter(pk__in=pending).values_list(
            "pk", "updated_at"
        ):
            seen = pending[work_id].work_updated_at
            if seen is not None and updated_at is not None and updated_at > seen:
                updated.add(work_id)
    return updated


def available_work_ids(*, user: User, readings: list[Reading]) -> set[int]:
    return set(
        Work.objects.readable_by(user)
        .filter(pk__in=[r.work_id for r in readings])
        .values_list("pk", flat=True)
    )


def reached_chapter_ids(*, readings: list[Reading], available: set[int]) -> dict[int, int]:
    """Work id -> the id of the chapter each reading says the reader reached (its
    `chapter_position`-th posted chapter, as the reading page counts), for works the
    reader may still read. One query for the page."""
    wanted = {r.work_id: r.chapter_position for r in readings if r.work_id in available}
    chapters = (
        Chapter.objects.filter(work_id__in=wanted, posted=True)
        .order_by("work_id", "position")
        .values_list("work_id", "pk")
    )
    reached: dict[int, int] = {}
    seen: dict[int, int] = {}
    for work_id, chapter_id in chapters:
        seen[work_id] = seen.get(work_id, 0) + 1
        if seen[work_id] == wanted[work_id]:
            reached[work_id] = chapter_id
    return reached
