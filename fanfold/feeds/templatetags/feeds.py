"""`{% feed_link "tag" tag %}`: the <head> link that lets browsers and readers find a
page's public feed. Public feeds show what guests see, so the link is left out where the
feed would be missing for a guest (a members-only work, a tag only such works use)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from fanfold.archive.models import SiteSettings
from fanfold.tags.selectors import tags_visible_to
from fanfold.works.models import Series, Work

register = template.Library()


def _feed(kind: str, obj) -> tuple[str, str] | None:
    """(title, url) of `obj`'s public feed, or None when a guest would find none."""
    if kind == "tag":
        if not tags_visible_to(None).filter(pk=obj.pk).exists():
            return None
        canonical = obj.merger or obj
        return canonical.name, reverse("feeds:tag", args=[canonical.url_name])
    if kind == "creator":
        return gettext("works by %(name)s") % {"name": obj.username}, reverse(
            "feeds:creator", args=[obj.username]
        )
    if kind == "series":
        if not Series.objects.readable_by(None).filter(pk=obj.pk).exists():
            return None
        return obj.title, reverse("feeds:series", args=[obj.pk])
    if kind == "work":
        if not Work.objects.visible_to(None).filter(pk=obj.pk).exists():
            return None
        return gettext("new chapters of %(title)s") % {"title": obj.title}, reverse(
            "feeds:work", args=[obj.pk]
        )
    if kind == "challenge":
        return obj.title, reverse("feeds:challenge", args=[obj.pk])
    raise ValueError(f"No feed for {kind!r}.")


@register.simple_tag
def feed_link(kind: str, obj) -> str:
    feed = _feed(kind, obj)
    if feed is None:
        return ""
    title, url = feed
    site = SiteSettings.current().site_name
    return format_html(
        '<link rel="alternate" type="application/atom+xml" title="{}: {}" href="{}">',
        site,
        title,
        url,
    )


@register.simple_tag
def feed_url(kind: str, obj) -> str:
    """The address of `obj`'s public feed for a link on the page, or "" where a guest
    would find no feed (the same rule as the <head> link)."""
    feed = _feed(kind, obj)
    return feed[1] if feed is not None else ""
