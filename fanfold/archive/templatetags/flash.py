"""Flash messages where the page lands (fanfold.archive.returns).

`{% flash_here "kudos" %}` (or `{% flash_here "comment_" c.pk %}`) prints the messages
given that place, and `{% flash_top as top %}` the list at the top without them. A
view names the places its page holds in `flash_places`."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html, format_html_join

from fanfold.archive.returns import place_of

register = template.Library()


def _holds(places: Iterable[str], place: str) -> bool:
    # "comment_" stands for every comment_<id> anchor on the page.
    return any(place == p or (p.endswith("_") and place.startswith(p)) for p in places)


def _held(context) -> list[str]:
    # The display form is in every page's footer, so its place is always held.
    return ["display", *(context.get("flash_places") or ())]


@register.simple_tag(takes_context=True)
def flash_top(context) -> list:
    """Messages for the top of the page (`{% flash_top as top %}`): all but those the
    page shows at their place."""
    held = _held(context)
    return [m for m in context.get("messages") or () if not _holds(held, place_of(m))]


@register.simple_tag(takes_context=True)
def flash_here(context, *parts: object) -> str:
    """The messages given this place; its name may come in parts (`"comment_" c.pk`)."""
    place = "".join(str(part) for part in parts)
    if not _holds(_held(context), place):
        return ""  # this page shows it at the top (flash_top), as the view said
    here = [m for m in context.get("messages") or () if place_of(m) == place]
    if not here:
        return ""
    items = format_html_join(
        "",
        '<li class="flash__item flash__item--{}">{}</li>',
        ((m.level_tag, m.message) for m in here),
    )
    return format_html('<ul class="flash flash--here" role="status">{}</ul>', items)
