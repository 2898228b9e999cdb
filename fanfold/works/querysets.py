"""The visibility rule for works lives here and only here.

Every output (pages, listings, feeds, search, API, downloads) starts from
`Work.objects.visible_to(viewer)`, so a draft, hidden, members-only or unapproved work
(waiting in the moderation queue, or rejected) cannot leak through a new page by accident.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Prefetch, Q

if TYPE_CHECKING:
    from fanfold.accounts.models import User

# `Approval.APPROVED`; spelled out because models.py imports this module.
APPROVED = "approved"


class WorkQuerySet(models.QuerySet):
    # --- visibility -------------------------------------------------------------------
    def public_q(self) -> Q:
        return Q(posted=True, hidden_by_admin=False, restricted=False, approval=APPROVED)

    def visible_q(self, viewer: User | None) -> Q:
        """What `viewer` may see in listings: posted works, members-only ones for members,
        hidden and unapproved ones for staff only. Drafts never appear in shared listings."""
        if viewer is None or not viewer.is_authenticated:
            return self.public_q()
        q = Q(posted=True)
        if not viewer.is_staff:
            q &= Q(hidden_by_admin=False, approval=APPROVED)
        return q

    def make_pages_stale(self) -> int:
        """Bump these works' render version, part of every cached page's and blurb's key,
        so readers see a change at once."""
        return self.update(render_version=models.F("render_version") + 1)

    def members_only(self) -> WorkQuerySet:
        """Works every member may read and guests may not: where a guest is sent to log
        in rather than told the work does not exist."""
        return self.filter(posted=True, hidden_by_admin=False, approval=APPROVED, restricted=True)

    def visible_to(self, viewer: User | None) -> WorkQuerySet:
        return self.filter(self.visible_q(viewer))

    def readable_by(self, viewer: User | None) -> WorkQuerySet:
        """Like `visible_to`, plus the viewer's own drafts, hidden and unapproved works
        (their own pages, the work page itself)."""
        q = self.visible_q(viewer)
        if viewer is not None and viewer.is_authenticated:
            own = self.model._default_manager.filter(
                creatorships__pseud__user=viewer, creatorships__approved=True
            )
            q |= Q(pk__in=own.values("pk"))
        return self.filter(q)

    def created_by(self, user: User) -> WorkQuerySet:
        return self.filter(creatorships__pseud__user=user, creatorships__approved=True)

    def by_pseud(self, pseud) -> WorkQuerySet:
        return self.filter(creatorships__pseud=pseud, creatorships__approved=True)

    # --- shapes for output ------------------------------------------------------------
    def with_blurb_data(self) -> WorkQuerySet:
        """Everything a blurb shows, in a fixed number of queries."""
        from fanfold.works.models import Creatorship, SerialWork

        return self.select_related("rating").prefetch_related(
            Prefetch(
                "creatorships",
                queryset=Creatorship.objects.filter(approved=True).select_related("pseud__user"),
                to_attr="approved_creatorships",
            ),
            "tags",
            Prefetch(
                "serial_works",
                # Parts waiting for a series owner's approval are not shown to readers.
                queryset=SerialWork.objects.filter(approved=True).select_related("series"),
            ),
        )


class ChapterQuerySet(models.QuerySet):
    def posted(self) -> ChapterQuerySet:
        return self.filter(posted=True)

    def public(self) -> ChapterQuerySet:
        """The chapters readers get: posted and not hidden by staff. Pages, navigation,
        the work's counts, search and downloads all start here."""
        return self.filter(posted=True, hidden_by_admin=False)

    def readable_by_creator(self, is_creator: bool) -> ChapterQuerySet:
        # `is_creator` is "may edit": the work's creators and staff see drafts and
        # hidden chapters too.
        return self if is_creator else self.public()
