"""Building books: at once for small works, through the task queue for big ones."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from fanfold.accounts.language import site_language
from fanfold.exports import cache as files
from fanfold.exports.book import Book, series_book, work_book
from fanfold.exports.registry import FORMATS

log = logging.getLogger(__name__)

# How long a queued build keeps others from queueing the same one.
QUEUED_SECONDS = 15 * 60


@dataclass(frozen=True)
class BuildRequest:
    """One book in one format: everything a worker needs to build the file by name."""

    format: str
    name: str  # the storage name, which carries the versions (fanfold.exports.cache)
    work_id: int | None = None
    series_id: int | None = None
    work_ids: tuple[int, ...] = ()  # a series' parts, as the viewer's rule chose them

    def book(self) -> Book:
        if self.series_id is not None:
            return series_book(self.series_id, list(self.work_ids))
        assert self.work_id is not None
        return work_book(self.work_id)


def builds_inline(*, words: int, format_name: str) -> bool:
    """Whether a book of `words` is built while the reader waits in `format_name`."""
    return words * FORMATS[format_name].cost <= settings.DOWNLOAD_INLINE_WORDS


def download_build(request: BuildRequest) -> str:
    """Build the book `request` names and store it; its storage name."""
    if files.cached(request.name):
        return request.name
    # One file serves every reader, so it is written in the site's language (a change
    # of that setting bumps the site version the file's name carries).
    with translation.override(site_language()):
        content = FORMATS[request.format].render(request.book())
    return files.store(request.name, content)


def download_enqueue(request: BuildRequest) -> None:
    """Queue a build once: a reader refreshing the "preparing" page does not add more."""
    if not cache.add(f"download-build:{request.name}", True, QUEUED_SECONDS):
        return
    # The tasks module imports this one (its task calls download_build).
    from fanfold.exports.tasks import build_download

    build_download.enqueue(
        format=request.format,
        name=request.name,
        work_id=request.work_id,
        series_id=request.series_id,
        work_ids=list(request.work_ids),
    )


def downloads_prune() -> int:
    """Remove built books nobody can be served any more: those of deleted works and
    series, and of works no longer readable (hidden, taken back to draft); their count.
    Stale versions of readable works go when their new version is stored."""
    from fanfold.works.models import Series, Work

    removed = 0
    readable = set(Work.objects.visible_to_members().values_list("pk", flat=True))
    series = set(Series.objects.values_list("pk", flat=True))
    for subject in files.subjects():
        kind, _sep, rest = subject.partition("-")
        object_id = int(rest.split("-")[0]) if rest.split("-")[0].isdigit() else None
        keep = (kind == "work" and object_id in readable) or (
            kind == "series" and object_id in series
        )
        if not keep:
            removed += files.remove_subject(subject)
    return removed
