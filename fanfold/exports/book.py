"""What a downloaded book holds, gathered once and handed to every format's writer.

A `Book` is plain data (no querysets): the EPUB, PDF, HTML and AZW3 writers and the
series book all read the same structure, so a field added here shows in every format.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fanfold.archive.models import SiteSettings
from fanfold.works.models import Chapter, SerialWork, Series, Work
from fanfold.works.selectors import work_page

# Labels of the tag groups in the preface, in the order the work page shows them.
_GROUP_LABELS = {
    "rating": (_("Rating"), _("Rating")),
    "warning": (_("Archive Warning"), _("Archive Warnings")),
    "category": (_("Category"), _("Categories")),
    "fandom": (_("Fandom"), _("Fandoms")),
    "relationship": (_("Relationship"), _("Relationships")),
    "character": (_("Character"), _("Characters")),
    "freeform": (_("Additional Tag"), _("Additional Tags")),
}


@dataclass(frozen=True)
class BookChapter:
    number: int
    title: str  # "Chapter 3: Landfall"
    summary_html: str
    notes_html: str
    body_html: str
    endnotes_html: str


@dataclass(frozen=True)
class BookPart:
    """One work: its preface, chapters and afterword."""

    work_id: int
    title: str
    url: str  # absolute link back to the work
    language: str
    creators: list[str]
    tags: list[tuple[str, list[str]]]  # (label, names), empty groups left out
    series: list[str]  # "Part 2 of Harbour Cycle"
    stats: list[tuple[str, str]]
    summary_html: str
    notes_html: str
    endnotes_html: str
    chapters: list[BookChapter]
    adult: bool


@dataclass(frozen=True)
class Book:
    """A work, or a whole series, ready to be written in any format."""

    title: str
    language: str
    creators: list[str]
    url: str
    identifier: str  # a stable urn:uuid per work or series
    parts: list[BookPart]
    site_name: str
    disclaimer_html: str
    modified: datetime
    is_series: bool = False
    summary_html: str = ""  # a series' own summary (a work's is in its part)
    subjects: list[str] = field(default_factory=list)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _tag_groups(work: Work) -> list[tuple[str, list[str]]]:
    groups = []
    for tag_type, _label, tags in work_page(work=work, can_edit=False).tag_groups:
        if tags:
            one, many = _GROUP_LABELS[tag_type]
            groups.append((str(many if len(tags) > 1 else one), [t.name for t in tags]))
    return groups


def _stats(work: Work) -> list[tuple[str, str]]:
    # Only what the work's render_version covers: counters that move without an edit
    # (hits, kudos) would make a cached book wrong the moment it is served.
    stats = []
    if work.published_at:
        stats.append((gettext("Published"), work.published_at.date().isoformat()))
    if work.updated_at:
        label = gettext("Completed") if work.complete else gettext("Updated")
        stats.append((label, work.updated_at.date().isoformat()))
    stats.append((gettext("Words"), intcomma(work.word_count)))
    stats.append((gettext("Chapters"), work.chapters_display))
    return stats


def _part(work: Work) -> BookPart:
    memberships = (
        SerialWork.objects.filter(work=work, approved=True)
        .select_related("series")
        .order_by("series_id")
    )
    chapters = [
        BookChapter(
            number=number,
            title=chapter.display_title if work.chapter_count > 1 or chapter.title else "",
            summary_html=chapter.summary_html,
            notes_html=chapter.notes_html,
            body_html=chapter.body_html,
            endnotes_html=chapter.endnotes_html,
        )
        # `readable_chapters` is the prefetch `_with_chapters` adds.
        for number, chapter in enumerate(work.readable_chapters, start=1)  # type: ignore[attr-defined]
    ]
    return BookPart(
        work_id=work.pk,
        title=work.title,
        url=_absolute(work.get_absolute_url()),
        language=work.language,
        creators=[str(pseud) for pseud in work.creators] or ["Anonymous"],
        tags=_tag_groups(work),
        series=[f"Part {m.position} of {m.series.title}" for m in memberships],
        stats=_stats(work),
        summary_html=work.summary_html,
        notes_html=work.notes_html,
        endnotes_html=work.endnotes_html,
        chapters=chapters,
        adult=work.is_adult,
    )


def _with_chapters(works):
    # Readers' chapters only (posted, not hidden), whatever the caller may edit: a
    # download is the reader's copy.
    readable = Chapter.objects.readable_by_creator(False).order_by("position")
    return works.select_related("rating").prefetch_related(
        Prefetch("chapters", queryset=readable, to_attr="readable_chapters")
    )


def _site() -> SiteSettings:
    return SiteSettings.current()


def work_book(work_id: int) -> Book:
    """The book of a work readers may see (`visible_to_members`: never a draft, hidden or
    held work, whoever asks). The caller has already checked the viewer may read it."""
    work = _with_chapters(Work.objects.visible_to_members()).get(pk=work_id)
    part = _part(work)
    site = _site()
    return Book(
        title=work.title,
        language=work.language,
        creators=part.creators,
        url=part.url,
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, part.url)}",
        parts=[part],
        site_name=site.site_name,
        disclaimer_html=site.disclaimer_html,
        modified=work.updated_at or work.edited_at or timezone.now(),
        subjects=[name for _label, names in part.tags for name in names],
    )


def series_book(series_id: int, work_ids: list[int]) -> Book:
    """The book of a series made of `work_ids`, in series order: the parts the caller
    decided this viewer may read."""
    series = Series.objects.select_related("owner").get(pk=series_id)
    works = _with_chapters(Work.objects.visible_to_members().filter(pk__in=work_ids))
    order = dict(
        SerialWork.objects.filter(series=series, work_id__in=work_ids).values_list(
            "work_id", "position"
        )
    )
    parts = [_part(w) for w in sorted(works, key=lambda w: (order.get(w.pk, 0), w.pk))]
    url = _absolute(series.get_absolute_url())
    creators = list(dict.fromkeys(name for p in parts for name in p.creators))
    languages = {p.language for p in parts}
    site = _site()
    return Book(
        title=series.title,
        language=parts[0].language if len(languages) == 1 else "en",
        creators=creators or [series.owner.username],
        url=url,
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}",
        parts=parts,
        site_name=site.site_name,
        disclaimer_html=site.disclaimer_html,
        modified=series.updated_at,
        is_series=True,
        summary_html=series.summary_html,
    )
