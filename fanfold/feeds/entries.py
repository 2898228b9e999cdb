"""What a feed or catalogue entry says about a work or a chapter: the work's creators,
summary, tags and statistics, never chapter text (a members-only work's text must not
reach a public feed, and no feed needs it)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.html import strip_tags

from fanfold.tags.models import DISPLAY_ORDER, TagType
from fanfold.works.models import Chapter, Work

# Headings for each tag group, plural where a work may have several.
GROUP_LABELS = {
    TagType.RATING: "Rating",
    TagType.WARNING: "Archive Warnings",
    TagType.CATEGORY: "Categories",
    TagType.FANDOM: "Fandoms",
    TagType.RELATIONSHIP: "Relationships",
    TagType.CHARACTER: "Characters",
    TagType.FREEFORM: "Additional Tags",
}


def tag_groups(work: Work) -> list[tuple[str, list]]:
    by_type = work.tags_by_type
    return [(GROUP_LABELS[t], by_type[t.value]) for t in DISPLAY_ORDER if by_type[t.value]]


def work_summary_html(work: Work, *, base: str) -> str:
    """HTML for an entry's summary; `base` (scheme and host) makes its links absolute."""
    context = {"work": work, "groups": tag_groups(work), "base": base}
    return render_to_string("feeds/_work_summary.html", context)


def work_summary_text(work: Work) -> str:
    """The work's own summary as plain text (OPDS entries' `summary` is text only)."""
    return " ".join(strip_tags(work.summary_html).split())


def chapter_summary_html(chapter: Chapter, work: Work, *, base: str) -> str:
    context = {"chapter": chapter, "work": work, "groups": tag_groups(work), "base": base}
    return render_to_string("feeds/_chapter_summary.html", context)


def creator_names(work: Work) -> str:
    return ", ".join(str(pseud) for pseud in work.creators) or "Anonymous"
