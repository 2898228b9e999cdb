"""The visibility rule for works lives here and only here.

Every output (pages, listings, feeds, search, API, downloads) starts from
`Work.objects.visible_to(viewer)`, so a draft, hidden, members-only or unapproved work
(waiting in the moderation queue, or rejected) cannot leak through a new page by accident.

Who sees what in listings (decided once, here):

- guests, and accounts that are not active (deactivated or banned), see posted,
  approved, unhidden works that are not members-only;
- every signed-in member sees those and the members-only ones. **Staff included**:
  listings (the home page, /works, tag, user, series and challenge pages, feeds, search,
  facet counts, autocomplete) show staff exactly what members see. Staff reach hidden
  and unapproved works through the moderation queue and their staff tools, and may open
  such a work's own page (`readable_by`, for moderators), which says why readers
  cannot see it.

Derived structures (the guest page cache, the filter index) compile their SQL from
these methods rather than restating the rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from fanfold.staff.permissions import has_perm

if TYPE_CHECKING:
    from fanfold.accounts.models import User

# `Approval.APPROVED`; spelled out because models.py imports this module.
APPROVED = "approved"
# Staff who may open a hidden or unapproved work's page (to unhide, approve or reject it).
MODERATING = ("hide_content", "approve_works")


def is_member(viewer: User | None) -> bool:
    """Signed in with an active account. An inactive (deactivated or banned) account
    sees what guests see, whether or not a session still names it."""
    return viewer is not None and viewer.is_authenticated and viewer.is_active


class WorkQuerySet(models.QuerySet):
    # --- visibility -------------------------------------------------------------------
    def members_q(self) -> Q:
        """What every signed-in member, staff included, sees in listings."""
        return Q(posted=True, hidden_by_admin=False, approval=APPROVED)

    def public_q(self) -> Q:
        """What guests see: the members' set without members-only works."""
        return self.members_q() & Q(restricted=False)

    def visible_q(self, viewer: User | None) -> Q:
        """What `viewer` may see in listings (see the module docstring). Drafts, hidden
        and unapproved works never appear in shared listings, not even for staff."""
        if not is_member(viewer):
            return self.public_q()
        return self.members_q()

    def make_pages_stale(self) -> int:
        """Bump these works' render version, part of every cached page's and blurb's key,
        so readers see a change at once."""
        return self.update(render_version=models.F("render_version") + 1)

    def members_only(self) -> WorkQuerySet:
        """Works every member may read and guests may not: where a guest is sent to log
        in rather than told the work does not exist."""
        return self.filter(self.members_q(), restricted=True)

    def visible_to(self, viewer: User | None) -> WorkQuerySet:
        return self.filter(self.visible_q(viewer))

    def visible_to_members(self) -> WorkQuerySet:
        """What any member sees: the filter index holds exactly these (members-only ones
        flagged, so guests' answers can drop them)."""
        return self.filter(self.members_q())

    def readable_by(self, viewer: User | None) -> WorkQuerySet:
        """Like `visible_to`, plus the viewer's own drafts, hidden and unapproved works
        (their own pages, the work page itself), and for moderators any posted work:
        they must read what they hide or approve, though listings never show it."""
        q = self.visible_q(viewer)
        if is_member(viewer):
            own = self.model._default_manager.filter(
                creatorships__pseud__user=viewer, creatorships__approved=True
            )
            q |= Q(pk__in=own.values("pk"))
            if any(has_perm(viewer, perm) for perm in MODERATING):
                q |= Q(posted=True)
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


class SeriesQuerySet(models.QuerySet):
    """A series is seen through its parts: it exists for a viewer only if one of its
    approved parts does. A series whose every part is a draft, hidden, unapproved or
    (for guests) members-only is missing for them: its title and summary would tell of
    those works. Every page that names a series asks here."""

    def parts_among(self, works: WorkQuerySet) -> QuerySet:
        """The approved parts of the outer series that are among `works`, for Exists and
        per-series counts. Correlated on the work's key rather than `work__in=works`,
        which would have the database list every work in `works` first."""
        # Imported here: works/models.py imports this module.
        from fanfold.works.models import SerialWork

        seen = works.filter(pk=OuterRef("work_id"))
        return SerialWork.objects.filter(series=OuterRef("pk"), approved=True).filter(Exists(seen))

    def with_parts_among(self, works: WorkQuerySet) -> SeriesQuerySet:
        """Series with an approved part among `works`."""
        return self.filter(Exists(self.parts_among(works)))

    def visible_to(self, viewer: User | None) -> SeriesQuerySet:
        """Series to list for `viewer` (the series index, others' bookmark lists): an
        approved part is in `Work.objects.visible_to(viewer)`."""
        return self.with_parts_among(self._works().visible_to(viewer))

    def readable_by(self, viewer: User | None) -> SeriesQuerySet:
        """Series that exist for `viewer` (the series page, bookmarking, subscribing, the
        posting form, old links): an approved part they may read, or their own."""
        q = Q(Exists(self.parts_among(self._works().readable_by(viewer))))
        if is_member(viewer):
            q |= Q(owner=viewer)
        return self.filter(q)

    def _works(self) -> WorkQuerySet:
        # Imported here: works/models.py imports this module.
        from fanfold.works.models import Work

        return Work.objects.all()
