"""What a viewer may download, and the storage name of the book they would get.

Derived from the one visibility rule: a work must be in `Work.objects.visible_to(viewer)`
(the listings' rule), so drafts, hidden and held works are never downloaded, not even
by their creators or staff, who read them on the work page; `work_for_reader` decides
between "log in" and "not found" exactly as the reading pages do.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from fanfold.accounts.models import User
from fanfold.archive.models import SiteSettings
from fanfold.exports import cache as files
from fanfold.works.models import Series, Work
from fanfold.works.selectors import (
    WorkNotFound,
    guest_reading_stamp,
    series_parts,
    work_for_reader,
)


@dataclass(frozen=True)
class Downloadable:
    """A book a viewer may have: which one, whether it is adult, its size and versions."""

    subject: str  # "work-12", "series-3"
    version: str  # folded into the file name (fanfold.exports.cache)
    adult: bool
    words: int | None  # None: not read yet (the guests' path skips it when cached)
    work_id: int | None = None
    series_id: int | None = None
    work_ids: tuple[int, ...] = ()
    can_edit: bool = False

    def name(self, extension: str) -> str:
        return files.file_name(self.subject, self.version, extension)

    def word_count(self) -> int:
        if self.words is not None:
            return self.words
        assert self.work_id is not None  # a series always has its words counted
        return Work.objects.filter(pk=self.work_id).values_list("word_count", flat=True)[0]


def downloadable_work(*, viewer: User | None, work_id: int) -> Downloadable:
    """The work's book for `viewer`; raises WorkNotFound or LoginRequired like
    `work_for_reader`."""
    if viewer is None or not viewer.is_authenticated:
        # Guests' fast path, compiled from `visible_to(None)` (one indexed query).
        stamp = guest_reading_stamp(work_id)
        if stamp is not None:
            return Downloadable(
                subject=f"work-{work_id}",
                version=f"r{stamp.render_version}-s{stamp.site_version}",
                adult=stamp.adult,
                words=None,
                work_id=work_id,
            )
    work, can_edit = work_for_reader(viewer=viewer, work_id=work_id)
    if not Work.objects.visible_to(viewer).filter(pk=work.pk).exists():
        raise WorkNotFound  # a draft, hidden or held work its creator or staff may read
    site_version = SiteSettings.current().version
    return Downloadable(
        subject=f"work-{work.pk}",
        version=f"r{work.render_version}-s{site_version}",
        adult=work.is_adult,
        words=work.word_count,
        work_id=work.pk,
        can_edit=can_edit,
    )


def downloadable_series(*, viewer: User | None, series_id: int) -> Downloadable:
    """A series' book: the parts `viewer` may read, in order. Raises Series.DoesNotExist
    when the series has none (or does not exist for them)."""
    series = Series.objects.readable_by(viewer).get(pk=series_id)
    parts = list(
        series_parts(series)
        .visible_to(viewer)
        .order_by("serial_works__position", "pk")
        .values_list("pk", "render_version", "word_count", "rating_id", "rating__adult")
    )
    if not parts:
        raise Series.DoesNotExist
    site_version = SiteSettings.current().version
    # The parts and their versions decide the content: guests and members may get
    # different books, each cached under its own name.
    stamp = f"{series.updated_at.isoformat()}|" + ",".join(f"{p[0]}:{p[1]}" for p in parts)
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    # Guests and members may see different parts: each audience's book is kept (and
    # pruned when stale) on its own, so one does not evict the other.
    audience = "members" if viewer is not None and viewer.is_authenticated else "guests"
    return Downloadable(
        subject=f"series-{series.pk}-{audience}",
        version=f"{digest}-s{site_version}",
        adult=any(rating is None or bool(adult) for *_, rating, adult in parts),
        words=sum(p[2] for p in parts),
        series_id=series.pk,
        work_ids=tuple(p[0] for p in parts),
    )
