"""Download links for a work or a series: the menu on their pages and the OPDS
catalogue's acquisition links both come from here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import slugify

from fanfold.exports.registry import available_formats


@dataclass(frozen=True)
class DownloadLink:
    format: str  # "epub", "pdf", "html", "azw3"
    label: str  # "EPUB"
    mime_type: str  # "application/epub+zip", ...
    url: str  # site-relative path


def download_slug(title: str, fallback: str) -> str:
    """The decorative file name in a download URL ("Everything_the_Lamp_Remembers");
    any slug serves the same book."""
    slug = slugify(title).replace("-", "_")[:80].strip("_")
    return slug or fallback


def download_links(work) -> list[DownloadLink]:
    """The formats this install offers for `work`; visibility is checked on download."""
    slug = download_slug(work.title, f"work_{work.pk}")
    return [
        DownloadLink(
            format=fmt.name,
            label=fmt.label,
            mime_type=fmt.mime_type,
            url=reverse("exports:work", args=[work.pk, slug, fmt.name]),
        )
        for fmt in available_formats()
    ]


def series_download_links(series) -> list[DownloadLink]:
    slug = download_slug(series.title, f"series_{series.pk}")
    return [
        DownloadLink(
            format=fmt.name,
            label=fmt.label,
            mime_type=fmt.mime_type,
            url=reverse("exports:series", args=[series.pk, slug, fmt.name]),
        )
        for fmt in available_formats()
    ]
