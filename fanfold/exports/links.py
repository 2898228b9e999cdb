"""Where a work's or series' downloads live, for pages, feeds and the OPDS catalogue.

A stand-in with the downloads branch's interface (the real module replaces it on merge):
plain URL strings, no views, so the catalogue can name its acquisition links.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify


@dataclass(frozen=True)
class DownloadLink:
    format: str
    label: str
    mime_type: str
    url: str  # site-relative path


FORMATS = (
    ("epub", "EPUB", "application/epub+zip"),
    ("pdf", "PDF", "application/pdf"),
    ("html", "HTML", "text/html"),
)


def _slug(title: str) -> str:
    return slugify(title) or "download"


def download_links(work) -> list[DownloadLink]:
    slug = _slug(work.title)
    return [
        DownloadLink(fmt, label, mime, f"/downloads/{work.pk}/{slug}.{fmt}")
        for fmt, label, mime in FORMATS
    ]


def series_download_links(series) -> list[DownloadLink]:
    slug = _slug(series.title)
    return [
        DownloadLink(
            "epub", "EPUB", "application/epub+zip", f"/downloads/series/{series.pk}/{slug}.epub"
        )
    ]
