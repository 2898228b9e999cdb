"""The download formats' common shape: one class per format, one `render(book)` hook.

A format is a small class in its own module (`epub.py`, `pdf.py`, `html.py`,
`azw3.py`); `registry.py` lists them. Everything a writer needs is in the `Book`
(fanfold.exports.book), so a writer never queries the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from fanfold.exports.book import Book, BookChapter, BookPart
from fanfold.exports.xhtml import to_xhtml
from fanfold.works.models import Language


class DownloadFormat:
    """A download format. Subclasses set the class attributes and implement `render`."""

    name: ClassVar[str]  # "epub": the URL's extension and the cache's file suffix
    label: ClassVar[str]  # "EPUB"
    mime_type: ClassVar[str]
    # Relative build cost per word: the view builds small books at once and queues big
    # ones (see fanfold.exports.services.builds_inline).
    cost: ClassVar[float] = 1.0

    def available(self) -> bool:
        """Whether this install can build the format (a missing program says no)."""
        return True

    def unavailable_note(self) -> str:
        """What the download menu says when `available()` is false."""
        return ""

    def render(self, book: Book) -> bytes:
        raise NotImplementedError(
            f"{type(self).__name__} must define render(book) -> bytes, the finished file."
        )


# --- the layout every writer shares --------------------------------------------------


@dataclass(frozen=True)
class LaidChapter:
    anchor: str
    title: str
    summary: SafeString
    notes: SafeString
    body: SafeString
    endnotes: SafeString


@dataclass(frozen=True)
class LaidPart:
    part: BookPart
    anchor: str
    language_name: str
    summary: SafeString
    notes: SafeString
    endnotes: SafeString
    chapters: list[LaidChapter]
    level: int  # heading level of the work's title: 1 alone, 2 inside a series
    chapter_level: int
    sublevel: int


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    title: str


def _safe(fragment: str, method: str) -> SafeString:
    # The fragments are the site's sanitised HTML; to_xhtml only restructures them.
    return mark_safe(to_xhtml(fragment, method))  # noqa: S308


def _chapter(part: BookPart, chapter: BookChapter, method: str) -> LaidChapter:
    return LaidChapter(
        anchor=f"w{part.work_id}c{chapter.number}",
        title=chapter.title,
        summary=_safe(chapter.summary_html, method),
        notes=_safe(chapter.notes_html, method),
        body=_safe(chapter.body_html, method),
        endnotes=_safe(chapter.endnotes_html, method),
    )


def lay_out(book: Book, method: str) -> list[LaidPart]:
    """The book's parts with their text made ready for `method` ("xml" or "html")."""
    top = 2 if book.is_series else 1
    return [
        LaidPart(
            part=part,
            anchor=f"w{part.work_id}",
            language_name=Language(part.language).label
            if part.language in Language.values
            else part.language,
            summary=_safe(part.summary_html, method),
            notes=_safe(part.notes_html, method),
            endnotes=_safe(part.endnotes_html, method),
            chapters=[_chapter(part, c, method) for c in part.chapters],
            level=top,
            chapter_level=top + 1,
            sublevel=top + 2,
        )
        for part in book.parts
    ]


def table_of_contents(book: Book, parts: list[LaidPart]) -> list[TocEntry]:
    entries = []
    for laid in parts:
        if book.is_series:
            entries.append(TocEntry(laid.anchor, laid.part.title))
        for chapter in laid.chapters:
            if chapter.title:
                entries.append(TocEntry(chapter.anchor, chapter.title))
    return entries


def stylesheet() -> str:
    return render_to_string("exports/book.css")


def book_html(book: Book) -> str:
    """The whole book as one HTML document (the HTML download, and the PDF's source)."""
    parts = lay_out(book, "html")
    context = {
        "book": book,
        "parts": parts,
        "toc": table_of_contents(book, parts),
        "css": mark_safe(stylesheet()),  # noqa: S308 - our own file
        "summary": _safe(book.summary_html, "html"),
        "disclaimer": _safe(book.disclaimer_html, "html"),
    }
    return render_to_string("exports/book.html", context)
