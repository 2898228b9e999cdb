"""HTML: the whole book as one self-contained file (styles inline, no remote images)."""

from fanfold.exports.base import DownloadFormat, book_html
from fanfold.exports.book import Book


class HtmlFormat(DownloadFormat):
    name = "html"
    label = "HTML"
    mime_type = "text/html"
    cost = 0.5

    def render(self, book: Book) -> bytes:
        return book_html(book).encode()
