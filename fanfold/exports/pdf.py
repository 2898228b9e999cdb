"""PDF: the HTML book laid out in pages by WeasyPrint (drawn with the system's pango)."""

from __future__ import annotations

import functools

from django.utils.translation import gettext

from fanfold.exports.base import DownloadFormat, book_html
from fanfold.exports.book import Book

# Pages for reading on a tablet or printing on A5; each work and chapter starts a page.
PRINT_CSS = """
@page { size: A5; margin: 18mm 14mm 20mm; @bottom-center { content: counter(page); } }
body { max-width: none; padding: 0; font-size: 10.5pt; }
.chapter, section.work, .afterword, .disclaimer { break-before: page; }
.chapter-title, h1, h2 { break-after: avoid; }
a { color: inherit; }
"""


def _no_fetching(url: str, *args, **kwargs):
    # The book is self-contained; nothing in an author's text may make the server fetch
    # a URL (a remote image, a tracking pixel, an internal address).
    raise ValueError(f"Downloads do not fetch {url!r}.")


@functools.cache
def _weasyprint_loads() -> bool:
    try:
        import weasyprint  # noqa: F401 - loading it is the test
    except OSError:  # pango (a system library) is missing
        return False
    return True


class PdfFormat(DownloadFormat):
    name = "pdf"
    label = "PDF"
    mime_type = "application/pdf"
    cost = 20.0  # WeasyPrint lays out every page: far slower than writing EPUB

    def available(self) -> bool:
        return _weasyprint_loads()

    def unavailable_note(self) -> str:
        return gettext("PDF is not offered here: this archive's server lacks the pango library.")

    def render(self, book: Book) -> bytes:
        # Imported here: WeasyPrint loads pango when imported, which only PDF builds need.
        from weasyprint import CSS, HTML

        document = HTML(string=book_html(book), url_fetcher=_no_fetching, base_url="/")
        return document.write_pdf(stylesheets=[CSS(string=PRINT_CSS)])
