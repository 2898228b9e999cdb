"""Reading history: written on members' reading pages, one upsert per page view."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from fanfold.accounts.models import User
from fanfold.history.models import Reading
from fanfold.works.models import Work


def reading_record(*, user: User, work: Work, chapter_position: int) -> None:
    """Count a visit. `chapter_position` is how far the page reached (the last chapter
    for the whole-work view); history keeps the furthest point."""
    if not user.is_authenticated or not user.history_enabled:
        return
    now = timezone.now()
    updated = Reading.objects.filter(user=user, work=work).update(
        last_visit=now,
        visit_count=F("visit_count") + 1,
        chapter_position=Greatest(F("chapter_position"), chapter_position),
        work_updated_at=work.updated_at,
    )
    if updated:
        return
    try:
        with transaction.atomic():
            Reading.objects.create(
                user=user,
                work=work,
                first_visit=now,
                last_visit=now,
                visit_count=1,
                chapter_position=chapter_position,
                work_updated_at=work.updated_at,
            )
    except IntegrityError:  # a second tab got there first
        Reading.objects.filter(user=user, work=work).update(visit_count=F("visit_count") + 1)


@transaction.atomic
def reading_mark_for_later(*, user: User, work: Work, marked: bool) -> Reading:
    if not Work.objects.readable_by(user).filter(pk=work.pk).exists():
        raise PermissionDenied("You can't mark this work.")
    reading, _ = Reading.objects.get_or_create(user=user, work=work)
    reading.marked_for_later = marked
    reading.save(update_fields=["marked_for_later"])
    return reading


@transaction.atomic
def reading_delete(*, user: User, reading_id: int) -> None:
    Reading.objects.filter(user=user, pk=reading_id).delete()


@transaction.atomic
def history_clear(*, user: User) -> int:
    """Forget every visit; works marked for later stay on the reading list."""
    Reading.objects.filter(user=user, marked_for_later=True).update(
        first_visit=None, last_visit=None, visit_count=0, chapter_position=0, work_updated_at=None
    )
    return Reading.objects.filter(user=user, marked_for_later=False).delete()[0]


@transaction.atomic
def history_set_enabled(*, user: User, enabled: bool) -> None:
    user.history_enabled = enabled
    user.save(update_fields=["history_enabled"])
