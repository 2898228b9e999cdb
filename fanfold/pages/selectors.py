"""Reading pages: one page by its address, the list, and the footer's links."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from fanfold.pages.models import Page

FOOTER_CACHE_KEY = "pages:footer:v1"
# Short, like the site settings' cache: with a per-process cache, other workers see an
# edit within this many seconds (the editing worker drops its copy at once).


@dataclass(frozen=True)
class FooterLink:
    title: str
    url: str


def footer_links() -> list[FooterLink]:
    """The pages shown in every page's footer, in their order. One query every few
    seconds per process, none in between."""
    links = cache.get(FOOTER_CACHE_KEY)
    if links is None:
        links = [FooterLink(p.title, p.get_absolute_url()) for p in Page.objects.in_footer()]
        cache.set(FOOTER_CACHE_KEY, links, settings.SITE_SETTINGS_CACHE_SECONDS)
    return links


def page_by_slug(slug: str) -> Page | None:
    return Page.objects.filter(slug=slug).first()


def page_list() -> QuerySet[Page]:
    return Page.objects.order_by("order", "title")
