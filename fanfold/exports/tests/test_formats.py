"""Each format's file: what a reader opening it finds."""

import io
import os
import zipfile

import pytest

from fanfold.exports.book import work_book
from fanfold.exports.registry import FORMATS
from fanfold.exports.tests.conftest import epub_text
from fanfold.exports.xhtml import to_xhtml

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_work(make_work):
    return make_work(
        title="Harbour Lights",
        chapters=2,
        summary="Lamps at dusk.",
        notes="<p>Thanks to my beta.</p>",
        endnotes="<p>See you next winter.</p>",
        body='<p>The tide <img src="https://tracker.example/p.gif" alt="pixel"> came.</p>',
        freeforms=["Slow Burn"],
    )


def test_the_html_book_is_one_self_contained_file(rich_work):
    html = FORMATS["html"].render(work_book(rich_work.pk)).decode()
    for fetching in ("<img", "<link", "<script", "src="):
        assert fetching not in html
    assert 'href="https://tracker.example/p.gif"' in html  # the picture, as a link
    for part in ("Harbour Lights", "Lamps at dusk.", "Thanks to my beta.", "See you next winter.",
                 "Slow Burn", "Chapter 2: Part 2", "Chapter 2 text goes on."):  # fmt: skip
        assert part in html
    assert '<html lang="en">' in html


def test_the_epub_carries_metadata_cover_and_contents(rich_work):
    content = FORMATS["epub"].render(work_book(rich_work.pk))
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        assert book.namelist()[0] == "mimetype"
        opf = book.read("EPUB/content.opf").decode()
        nav = book.read("EPUB/nav.xhtml").decode()
        assert "EPUB/cover.svg" in book.namelist()
    assert "<dc:title>Harbour Lights</dc:title>" in opf
    assert "<dc:language>en</dc:language>" in opf
    assert 'properties="cover-image"' in opf
    assert "Chapter 1: Beginnings" in nav and "Chapter 2: Part 2" in nav
    assert "Thanks to my beta." in epub_text(content)


def test_a_japanese_work_keeps_its_language_and_text(make_work):
    work = make_work(title="灯台の娘", language="ja", body="<p>灯台の光が波の上を渡っていく。</p>")
    book = work_book(work.pk)
    text = epub_text(FORMATS["epub"].render(book))
    assert 'xml:lang="ja"' in text and "灯台の光が波の上を渡っていく。" in text
    pdf = FORMATS["pdf"].render(book)
    assert pdf.startswith(b"%PDF")


def test_a_pdf_is_a_pdf_of_the_work(rich_work):
    pdf = FORMATS["pdf"].render(work_book(rich_work.pk))
    assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-1024:]


def test_azw3_comes_from_calibre(rich_work):
    fmt = FORMATS["azw3"]
    if not fmt.available():
        if os.environ.get("CI"):
            pytest.fail("calibre is not installed (make export-tools installs it)")
        pytest.skip("calibre is not installed")
    content = fmt.render(work_book(rich_work.pk))
    # A Mobipocket container (AZW3 is KF8 inside it): "BOOKMOBI" at offset 60.
    assert content[60:68] == b"BOOKMOBI"


@pytest.mark.parametrize(
    ("html", "xhtml"),
    [
        ("<center>c</center>", '<div style="text-align: center">c</div>'),
        ('<p align="right">r</p>', '<p style="text-align: right">r</p>'),
        ("<span><p>block</p></span>", '<div class="span"><p>block</p></div>'),
        ("<ul>loose<li>item</li></ul>", "<ul><li>loose</li><li>item</li></ul>"),
        ('<a href="#note">n</a>', "<a>n</a>"),
        ('<a href="javascript:x">j</a>', "<a>j</a>"),
        ('<img src="https://e.org/a.png" alt="a">', '<a href="https://e.org/a.png">[a]</a>'),
        ("<p>a<br>b</p>", "<p>a<br/>b</p>"),
    ],
)
def test_authors_html_becomes_epub_xhtml(html, xhtml):
    assert to_xhtml(html) == xhtml
