"""Real books through Debian's EPUBCheck: 0 errors and 0 warnings, for the 86-chapter
demo work, a work in Japanese, authors' awkward markup and a whole series.

EPUBCheck is Java and slow to start, so one test builds every book and checks them
all in one Java process. The books' bytes do not depend on the database, so the check
runs in the main SQLite pass only (the PostgreSQL and Django 5.2 passes would repeat the
same minute with the same ebooklib and lxml).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import django
import pytest
from django.db import connection
from django.utils import timezone

from fanfold.archive.models import SiteSettings
from fanfold.demo.generator import ProseGenerator
from fanfold.demo.loader import Cast, _make_long_work, load_demo
from fanfold.exports.book import series_book, work_book
from fanfold.exports.registry import FORMATS
from fanfold.tags.models import Tag, TagType
from fanfold.works.models import Series, Work

pytestmark = pytest.mark.django_db

JAR = Path("/usr/share/java/epubcheck.jar")
BATCH = Path(__file__).with_name("EpubCheckBatch.java")

JAPANESE = (
    "<p>灯台守の娘は、毎晩海を見ていた。<ruby>灯台<rp>(</rp><rt>とうだい</rt><rp>)</rp></ruby>"
    "の光が波の上を渡っていく。</p><p>「帰ってくるよ」と父は言った。</p>"
)
AWKWARD = (
    '<center>Centred title</center><p align="right">Right, <big>big</big>, <tt>typed</tt>, '
    '<strike>struck</strike>, <acronym title="as soon as possible">ASAP</acronym>.</p>'
    '<p><a name="top"></a><a href="#missing">to nowhere</a> <a href="/works/1">on site</a> '
    '<img src="https://example.org/lamp.png" alt="a lamp"> <img src="/media/x.png"></p>'
    "<span><p>A paragraph inside a span.</p></span><p><blockquote>Quote in a p</blockquote></p>"
    "<ul>stray text<li>item</li><p>not an item</p></ul>"
    '<table><tr><td align="center">cell</td></tr></table><p dir="sideways">odd dir</p>'
    "<dl><dt>term</dt>loose<dd>definition</dd></dl><p><em><div>div in em</div></em></p>"
)


def _java() -> str | None:
    java = shutil.which("java") if JAR.exists() else None
    if java is None and os.environ.get("CI"):
        pytest.fail("epubcheck is not installed (make export-tools installs it)")
    return java


@pytest.mark.skipif(connection.vendor != "sqlite", reason="same books as the SQLite pass")
@pytest.mark.skipif(django.VERSION < (6, 0), reason="same writer and libraries as the main pass")
def test_every_kind_of_book_passes_epubcheck_without_warnings(make_user, make_work, tmp_path):
    java = _java()
    if java is None:
        pytest.skip("epubcheck is not installed (make export-tools)")
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"disclaimer_html": "<p>Characters belong to their owners.</p>"}
    )
    gen = ProseGenerator(2026)
    author = make_user("author")
    # The demo loader's own long work (its prose, 86 chapters, 253,000 words), cast with
    # one member instead of the demo's thirty.
    cast = Cast(
        users=[author],
        ratings=list(Tag.objects.of_type(TagType.RATING)),
        warnings=list(Tag.objects.of_type(TagType.WARNING)),
        categories=list(Tag.objects.of_type(TagType.CATEGORY)),
        challenges=[],
    )
    long_work = _make_long_work(gen, cast, 86, 253_000, timezone.now(), lambda _: None)
    japanese = make_work(
        author, title="灯台の娘", language="ja", body=JAPANESE, summary="海の物語。",
        series_title="灯台",
    )  # fmt: skip
    awkward = make_work(
        author, title="Odd Markup", body=AWKWARD, notes="<p>Before.</p>",
        endnotes="<p>After.</p>", series_title="灯台", rating="Explicit", chapters=2,
    )  # fmt: skip
    arabic = make_work(author, title="منارة", language="ar", body="<p>كان البحر هادئا.</p>")
    series = Series.objects.get(title="灯台")
    books = {
        "long": work_book(long_work.pk),
        "japanese": work_book(japanese.pk),
        "awkward": work_book(awkward.pk),
        "arabic": work_book(arabic.pk),
        "series": series_book(series.pk, [japanese.pk, awkward.pk]),
    }
    assert len(books["long"].parts[0].chapters) == 86
    paths = []
    for label, book in books.items():
        path = tmp_path / f"{label}.epub"
        path.write_bytes(FORMATS["epub"].render(book))
        paths.append(str(path))
    result = subprocess.run(
        [java, "-cp", str(JAR), str(BATCH), *paths],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = result.stdout + result.stderr
    counts = re.findall(r"Messages: (\d+) fatals / (\d+) errors / (\d+) warnings", report)
    assert len(counts) == len(paths), report
    assert all(c == ("0", "0", "0") for c in counts), report


@pytest.mark.skipif(connection.vendor != "sqlite", reason="same books as the SQLite pass")
@pytest.mark.skipif(django.VERSION < (6, 0), reason="same writer and libraries as the main pass")
def test_every_demo_work_downloads_as_a_clean_epub(tmp_path):
    """The whole demo archive `make run` loads (200 works of generated prose, notes,
    series, every rating, plus the 86-chapter work), each work's EPUB checked."""
    java = _java()
    if java is None:
        pytest.skip("epubcheck is not installed (make export-tools)")
    load_demo(progress=lambda _: None)
    # Every work anyone may download: members-only ones too (served after a login);
    # drafts have no book.
    downloadable = Work.objects.visible_to_members()
    work_ids = list(downloadable.order_by("pk").values_list("pk", flat=True))
    assert len(work_ids) > Work.objects.visible_to(None).count()
    assert downloadable.filter(chapter_count=86).exists()
    paths = []
    for work_id in work_ids:
        path = tmp_path / f"work-{work_id}.epub"
        path.write_bytes(FORMATS["epub"].render(work_book(work_id)))
        paths.append(str(path))
    result = subprocess.run(
        [java, "-cp", str(JAR), str(BATCH), *paths],
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = result.stdout + result.stderr
    counts = re.findall(r"Messages: (\d+) fatals / (\d+) errors / (\d+) warnings", report)
    assert len(counts) == len(paths), report[-4000:]
    dirty = [p for p, c in zip(paths, counts, strict=True) if c != ("0", "0", "0")]
    assert not dirty, (dirty[:5], report[-4000:])
