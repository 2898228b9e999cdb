"""EPUB 3 with ebooklib: a cover, a preface page per work, one file per chapter, the
navigation document (and an NCX for older readers), checked by EPUBCheck in the tests."""

from __future__ import annotations

import io
import warnings

from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from ebooklib import epub

from fanfold.exports.base import DownloadFormat, LaidPart, lay_out, stylesheet, to_xhtml
from fanfold.exports.book import Book
from fanfold.exports.cover import cover_svg


def _page(title: str, body: str, language: str, epub_type: str = "") -> bytes:
    context = {
        "title": title,
        "body": mark_safe(body),  # noqa: S308 - rendered from our templates
        "language": language,
        "epub_type": epub_type,
    }
    return render_to_string("exports/epub/page.xhtml", context).encode()


class _Writer:
    """One book being assembled: documents go into the manifest, spine and contents."""

    def __init__(self, book: Book):
        self.book = book
        self.out = epub.EpubBook()
        self.spine: list = []
        self.toc: list = []
        self.count = 0

    def document(self, title: str, body: str, language: str, epub_type: str = "") -> str:
        self.count += 1
        name = f"text{self.count:04d}.xhtml"
        item = epub.EpubItem(
            uid=f"t{self.count:04d}",
            file_name=name,
            media_type="application/xhtml+xml",
            content=_page(title, body, language, epub_type),
        )
        self.out.add_item(item)
        self.spine.append(item)
        return name

    def metadata(self) -> None:
        book, out = self.book, self.out
        out.set_identifier(book.identifier)
        out.set_title(book.title)
        out.set_language(book.language)
        for index, name in enumerate(book.creators):
            out.add_author(name, uid=f"creator{index}")
        out.add_metadata("DC", "publisher", book.site_name)
        out.add_metadata("DC", "source", book.url)
        summary = book.summary_html or (book.parts[0].summary_html if book.parts else "")
        if summary:
            out.add_metadata("DC", "description", strip_tags(summary).strip())
        for subject in book.subjects:
            out.add_metadata("DC", "subject", subject)
        if book.language in {"ar", "he"}:
            out.set_direction("rtl")
        out.add_item(
            epub.EpubItem(
                uid="style", file_name="book.css", media_type="text/css", content=stylesheet()
            )
        )
        out.set_cover("cover.svg", cover_svg(book), create_page=False)

    def part(self, laid: LaidPart) -> None:
        part, lang = laid.part, laid.part.language
        context = {"book": self.book, "part": part, **_LEVELS}
        context.update(language_name=laid.language_name, summary=laid.summary, notes=laid.notes)
        preface = render_to_string("exports/_preface.html", context)
        href = self.document(part.title, preface, lang)
        chapters = []
        for chapter in laid.chapters:
            body = render_to_string(
                "exports/_chapter.html",
                {"chapter": chapter, "anchor": chapter.anchor, **_LEVELS},
            )
            name = self.document(chapter.title or part.title, body, lang, "chapter")
            if chapter.title:
                chapters.append(epub.Link(name, chapter.title, chapter.anchor))
        after = render_to_string(
            "exports/_afterword.html",
            {"book": self.book, "part": part, "endnotes": laid.endnotes, **_LEVELS},
        )
        self.document(f"{part.title}: afterword", after, lang)
        if self.book.is_series:
            self.toc.append((epub.Section(part.title, href), chapters))
        else:
            self.toc.append(epub.Link(href, "Preface", f"preface{part.work_id}"))
            self.toc.extend(chapters)

    def write(self) -> bytes:
        book = self.book
        self.metadata()
        cover = render_to_string("exports/epub/cover.xhtml", {"book": book})
        self.document(book.title, cover, book.language, "cover")
        if book.is_series:
            series = render_to_string(
                "exports/epub/series.xhtml",
                {"book": book, "summary": _xhtml(book.summary_html)},
            )
            self.toc.append(
                epub.Link(self.document(book.title, series, book.language), "Series", "series")
            )
        for laid in lay_out(book, "xml"):
            self.part(laid)
        if book.disclaimer_html:
            disclaimer = f'<div class="disclaimer">{_xhtml(book.disclaimer_html)}</div>'
            self.toc.append(
                epub.Link(
                    self.document("Disclaimer", disclaimer, book.language),
                    "Disclaimer",
                    "disclaimer",
                )
            )
        nav = epub.EpubNav(title="Contents")
        self.out.add_item(nav)
        self.out.add_item(epub.EpubNcx())
        self.out.toc = self.toc
        self.out.spine = [self.spine[0], nav, *self.spine[1:]]
        buffer = io.BytesIO()
        with warnings.catch_warnings():
            # ebooklib warns that its NCX default will change; we pass it explicitly.
            warnings.simplefilter("ignore")
            epub.write_epub(
                buffer,
                self.out,
                {"mtime": book.modified, "epub2_guide": False, "epub3_landmark": False},
            )
        return buffer.getvalue()


# Each EPUB document starts its own page, so a work's title is always a top heading.
_LEVELS = {"level": 1, "sublevel": 3}


def _xhtml(fragment: str) -> SafeString:
    return mark_safe(to_xhtml(fragment, "xml"))  # noqa: S308 - sanitised at write time


class EpubFormat(DownloadFormat):
    name = "epub"
    label = "EPUB"
    mime_type = "application/epub+zip"

    def render(self, book: Book) -> bytes:
        return _Writer(book).write()
