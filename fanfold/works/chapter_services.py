"""Writes for chapters: adding one (at the end or in front of another, possibly
backdated), editing, posting, deleting and reordering them. A work's first chapter comes
with `services.work_create`; every chapter write ends with `services.work_refresh`.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from fanfold.accounts.models import User
from fanfold.subscriptions.services import notices_for_chapter
from fanfold.works.fields import ChapterFields, validate_chapter_fields
from fanfold.works.models import Chapter, Work
from fanfold.works.services import (
    apply_chapter_fields,
    audit_staff_edit,
    require_editor,
    work_refresh,
)

FUTURE_DATE = gettext_lazy(
    "The posting date cannot be in the future: this archive has no scheduled posting. "
    "Leave it empty to post now, or choose today or an earlier day."
)


def validate_posting_date(value: datetime.date | None, *, today: datetime.date) -> None:
    if value is not None and value > today:
        raise ValidationError({"posted_on": [FUTURE_DATE]}, code="future")


def posting_moment(value: datetime.date | None, *, now: datetime.datetime) -> datetime.datetime:
    """When a chapter posted now on the day `value` counts as posted: now for today (or
    no date), midday of an earlier day (midday, so the day reads the same in any zone)."""
    if value is None or value >= timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time(12)))


@transaction.atomic
def chapter_add(
    *,
    work: Work,
    editor: User,
    data: ChapterFields,
    post: bool,
    now=None,
    before: Chapter | None = None,
    posted_on: datetime.date | None = None,
) -> Chapter:
    """Add a chapter at the end, or in front of `before` (the chapters from there on
    move down one place). Posting it to a posted work updates the work's date;
    `posted_on` backdates it (a future day is refused: there is no scheduled posting).
    """
    require_editor(work=work, editor=editor)
    validate_chapter_fields(data)
    now = now or timezone.now()
    validate_posting_date(posted_on, today=timezone.localdate(now))
    # Locks the work's row: two chapters added at once must not take the same place.
    Work.objects.select_for_update().filter(pk=work.pk).first()
    if before is not None and before.work_id != work.pk:
        raise ValidationError({"before": [gettext("That chapter is not part of this work.")]})
    if before is None:
        position = (work.chapters.aggregate(m=Max("position"))["m"] or 0) + 1
    else:
        position = before.position
        work.chapters.filter(position__gte=position).update(position=F("position") + 1)
    chapter = Chapter(work=work, position=position)
    apply_chapter_fields(chapter, data, work.text_format)
    publish = post and work.posted
    chapter.posted = publish
    moment = posting_moment(posted_on, now=now) if publish else None
    chapter.published_at = moment
    chapter.save()
    # A backdated chapter does not make the work look freshly updated.
    fresher = moment is not None and (work.updated_at is None or moment > work.updated_at)
    work_refresh(work=work, updated_at=moment if fresher else None)
    if publish:
        notices_for_chapter(chapter=chapter)
    return chapter


@transaction.atomic
def chapter_update(*, chapter: Chapter, editor: User, data: ChapterFields) -> Chapter:
    require_editor(work=chapter.work, editor=editor)
    validate_chapter_fields(data)
    apply_chapter_fields(chapter, data, chapter.work.text_format)
    chapter.save()
    work_refresh(work=chapter.work)
    return chapter


@transaction.atomic
def chapter_post(*, chapter: Chapter, editor: User, now=None) -> Chapter:
    require_editor(work=chapter.work, editor=editor)
    if not chapter.work.posted:
        raise ValidationError(
            gettext("Post the work first; its draft chapters are posted with it.")
        )
    now = now or timezone.now()
    chapter.posted, chapter.published_at = True, now
    chapter.save(update_fields=["posted", "published_at"])
    work_refresh(work=chapter.work, updated_at=now)
    notices_for_chapter(chapter=chapter)
    return chapter


ONLY_CHAPTER = gettext_lazy(
    "This is the work's only chapter, and a work needs at least one: to remove it, "
    "delete the whole work instead."
)


@transaction.atomic
def chapter_delete(*, chapter: Chapter, editor: User) -> None:
    """Delete one chapter; the ones after it move up. A work's only chapter is refused:
    deleting the work is its own, separately confirmed action."""
    work = chapter.work
    require_editor(work=work, editor=editor)
    # Locks the work's row: two editors deleting its last two chapters at once would
    # both see two chapters otherwise.
    Work.objects.select_for_update().filter(pk=work.pk).first()
    if work.chapters.count() <= 1:
        raise ValidationError(ONLY_CHAPTER, code="only_chapter")
    audit_staff_edit(
        action="chapter.delete",
        work=work,
        editor=editor,
        target=chapter,
        label_code="chapter",
        message_values={"position": chapter.position, "title": work.title},
    )
    chapter.delete()
    _renumber(work, list(work.chapters.order_by("position").values_list("pk", flat=True)))
    work_refresh(work=work)


@transaction.atomic
def chapters_reorder(*, work: Work, editor: User, order: list[int]) -> None:
    """Put the work's chapters in the order of the chapter ids given."""
    require_editor(work=work, editor=editor)
    Work.objects.select_for_update().filter(pk=work.pk).first()  # one reorder at a time
    current = set(work.chapters.values_list("pk", flat=True))
    if set(order) != current or len(order) != len(current):
        raise ValidationError(gettext("The new order must list every chapter of this work once."))
    audit_staff_edit(
        action="chapters.reorder", work=work, editor=editor, target=work, changes={"order": order}
    )
    _renumber(work, order)
    work_refresh(work=work)


def _renumber(work: Work, order: list[int]) -> None:
    chapters = {c.pk: c for c in work.chapters.all()}
    for position, pk in enumerate(order, start=1):
        chapters[pk].position = position
    Chapter.objects.bulk_update(chapters.values(), ["position"])
