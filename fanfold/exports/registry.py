"""The download formats this archive offers, in menu order."""

from __future__ import annotations

from fanfold.exports.azw3 import Azw3Format
from fanfold.exports.base import DownloadFormat
from fanfold.exports.epub import EpubFormat
from fanfold.exports.html import HtmlFormat
from fanfold.exports.pdf import PdfFormat

FORMATS: dict[str, DownloadFormat] = {
    f.name: f for f in (EpubFormat(), Azw3Format(), PdfFormat(), HtmlFormat())
}


def format_named(name: str) -> DownloadFormat | None:
    """The format for a URL's extension if this install can build it, else None."""
    fmt = FORMATS.get(name.lower())
    return fmt if fmt is not None and fmt.available() else None


def available_formats() -> list[DownloadFormat]:
    return [f for f in FORMATS.values() if f.available()]


def unavailable_formats() -> list[DownloadFormat]:
    return [f for f in FORMATS.values() if not f.available()]
