"""Reads for the moderation queue: the works waiting for staff, oldest first."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.utils.safestring import SafeString

from fanfold.accounts.models import User
from fanfold.works.blurbs import BlurbOptions, blurbs_for
from fanfold.works.models import Approval, Work
from fanfold.works.querysets import WorkQuerySet


def works_waiting() -> WorkQuerySet:
    """Posted works the moderators have not decided on, oldest first. Imported works
    keep their original dates, so an old eFiction backlog comes before new posts."""
    return Work.objects.filter(posted=True, approval=Approval.PENDING).order_by(
        "published_at", "pk"
    )


def works_waiting_count() -> int:
    """For the staff header: one COUNT over the indexed `approval` column."""
    return works_waiting().count()


@dataclass
class QueueItem:
    work: Work
    blurb: SafeString


@dataclass
class Queue:
    items: list[QueueItem]
    page: Page

    @property
    def page_range(self) -> list:
        return list(self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2))


def work_queue(*, viewer: User, page: str | int | None) -> Queue:
    """A page of the queue: each work with its blurb (title, creators, rating, fandoms,
    words, chapters, summary), as readers would see it once approved."""
    paginator = Paginator(works_waiting().select_related("rating"), settings.WORKS_PER_PAGE)
    page_obj = paginator.get_page(page)
    works = list(page_obj.object_list)
    blurbs = blurbs_for([(w.pk, w.render_version) for w in works], BlurbOptions.for_viewer(viewer))
    return Queue(
        items=[QueueItem(work=w, blurb=b) for w, b in zip(works, blurbs, strict=True)],
        page=page_obj,
    )
