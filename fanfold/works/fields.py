"""What an author fills in for a work and for a chapter (`WorkFields`, `ChapterFields`)
and the checks on it. Not model fields: the forms build these, and every work and chapter
service validates them before saving, so they sit apart from the services that use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext

from fanfold.tags.models import Tag, TagType
from fanfold.works.limits import CHAPTER_MAX, NOTES_MAX, SUMMARY_MAX, TITLE_MAX


@dataclass
class WorkFields:
    """What an author fills in for a work (the first chapter comes separately)."""

    title: str
    rating: Tag | None
    warnings: list[Tag]
    fandoms: list[str]
    categories: list[Tag] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    text_format: str = "html"
    language: str = "en"
    expected_chapters: int | None = None
    restricted: bool = False
    comment_permission: str = "everyone"
    moderated_comments: bool = False
    series_title: str = ""
    # Someone else's (open or moderated) series, or one of the author's own, by id.
    series_id: int | None = None
    challenge_id: int | None = None


@dataclass
class ChapterFields:
    body: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""


# --- validation ------------------------------------------------------------------------


def _check_length(errors: dict, name: str, value: str, limit: int, label: str) -> None:
    if len(value) > limit:
        # Translators: %(field)s is a field's name as in "The title" or "Chapter notes".
        message = ngettext(
            "%(field)s can be at most %(limit)s character (it has %(count)s).",
            "%(field)s can be at most %(limit)s characters (it has %(count)s).",
            limit,
        )
        errors.setdefault(name, []).append(
            message % {"field": label, "limit": f"{limit:,}", "count": f"{len(value):,}"}
        )


def validate_work_fields(data: WorkFields) -> None:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [gettext("Every work needs a title.")]
    _check_length(errors, "title", data.title, TITLE_MAX, gettext("The title"))
    _check_length(errors, "summary", data.summary, SUMMARY_MAX, gettext("The summary"))
    _check_length(errors, "notes", data.notes, NOTES_MAX, gettext("Notes"))
    _check_length(errors, "endnotes", data.endnotes, NOTES_MAX, gettext("End notes"))
    if data.rating is None or data.rating.type != TagType.RATING:
        errors["rating"] = [gettext("Choose exactly one rating.")]
    if not data.warnings or any(t.type != TagType.WARNING for t in data.warnings):
        errors["warnings"] = [gettext("Choose at least one archive warning.")]
    if not [n for n in data.fandoms if n.strip()]:
        errors["fandoms"] = [gettext("Name at least one fandom.")]
    if data.expected_chapters is not None and data.expected_chapters < 1:
        errors["expected_chapters"] = [
            gettext("Expected chapters must be at least 1, or left empty.")
        ]
    if errors:
        raise ValidationError(errors)


def validate_chapter_fields(data: ChapterFields) -> None:
    errors: dict[str, list[str]] = {}
    if not data.body.strip():
        errors["body"] = [gettext("A chapter needs some text.")]
    _check_length(errors, "body", data.body, CHAPTER_MAX, gettext("Chapter text"))
    _check_length(errors, "title", data.title, TITLE_MAX, gettext("The chapter title"))
    _check_length(errors, "summary", data.summary, SUMMARY_MAX, gettext("The chapter summary"))
    _check_length(errors, "notes", data.notes, NOTES_MAX, gettext("Chapter notes"))
    _check_length(errors, "endnotes", data.endnotes, NOTES_MAX, gettext("Chapter end notes"))
    if errors:
        raise ValidationError(errors)
