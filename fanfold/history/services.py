"""Reading history: visits from members' reading pages (buffered), the reading list."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from fanfold.accounts.models import User
from fanfold.history.models import Reading
from fanfold.history.visits import Visit, pending_visits_forget, visit_add
from fanfold.works.models import Work


def reading_record(*, user: User, work: Work, chapter_position: int) -> None:
    """Count a visit. `chapter_position` is how far the page reached (the last chapter
    for the whole-work view); history keeps the furthest point. Buffered: the page
    doesn't wait for the write (fanfold.history.visits)."""
    if not user.is_authenticated or not user.history_enabled:
        return
    now = timezone.now()
    visit_add(
        user_id=user.pk,
        work_id=work.pk,
        visit=Visit(
            first=now,
            last=now,
            count=1,
            position=chapter_position,
            work_updated_at=work.updated_at,
        ),
    )


@transaction.atomic
def reading_mark_for_later(*, user: User, work: Work, marked: bool) -> Reading:
    if not Work.objects.readable_by(user).filter(pk=work.pk).exists():
        raise PermissionDenied(gettext("You can't mark this work."))
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
    pending_visits_forget(user_id=user.pk)
    Reading.objects.filter(user=user, marked_for_later=True).update(
        first_visit=None, last_visit=None, visit_count=0, chapter_position=0, work_updated_at=None
    )
    return Reading.objects.filter(user=user, marked_for_later=False).delete()[0]


@transaction.atomic
def history_set_enabled(*, user: User, enabled: bool) -> None:
    if not enabled:
        pending_visits_forget(user_id=user.pk)
    user.history_enabled = enabled
    user.save(update_fields=["history_enabled"])
