"""The catalogue's navigation feeds: its root (newest, most kudos, fandoms, the member's
shelves) and the fandoms A to Z, counted as the works listing counts them.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.archive.models import SiteSettings
from fanfold.filters.listing import works_filtered_listing
from fanfold.opds import catalog
from fanfold.opds.catalog import ACQUISITION, NAVIGATION, Link
from fanfold.opds.shelves import SHELVES
from fanfold.opds.views.browse import Browse, _catalog, _nav_entry, _respond, catalogue_view
from fanfold.tags.models import Tag, TagType

OTHER = "other"  # fandoms not starting with a Latin letter
LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)]


@catalogue_view
def root(b: Browse) -> HttpResponse:
    site = SiteSettings.current().site_name
    items = [
        _nav_entry(
            gettext("Newest works"),
            b.url("newest"),
            gettext("The most recently posted works."),
            rel=catalog.SORT_NEW,
        ),
        _nav_entry(
            gettext("Most kudos"),
            b.url("popular"),
            gettext("The works with the most kudos."),
            rel=catalog.SORT_POPULAR,
        ),
        _nav_entry(
            gettext("Fandoms A–Z"),
            b.url("fandoms"),
            gettext("Browse works by fandom."),
            kind=NAVIGATION,
        ),
    ]
    for shelf, (lazy_title, lazy_text) in SHELVES.items():
        title, text = str(lazy_title), str(lazy_text)
        if b.viewer is None:
            text += " " + gettext("Log in with your user name and password to open it.")
        items.append(_nav_entry(title, b.url("shelf", shelf), text))
    links = b.common_links(NAVIGATION)
    links += [
        Link(catalog.SORT_NEW, b.url("newest"), ACQUISITION, gettext("Newest works")),
        Link(catalog.SORT_POPULAR, b.url("popular"), ACQUISITION, gettext("Most kudos")),
    ]
    doc = _catalog(b, NAVIGATION, f"{site} catalogue", reverse("opds:root"), links, entries=items)
    return _respond(doc)


def fandom_counts(viewer: User | None) -> list[tuple[Tag, int]]:
    """Every fandom with works `viewer` may see and how many: the works listing's own
    facet counts (so muted creators and standing exclusions count as on /works)."""
    listing = works_filtered_listing(viewer=viewer, params={"facets": "all"})
    counted = {e.tag_id: e.count for e in listing.result.facets.get(TagType.FANDOM.value, [])}
    tags = Tag.objects.filter(pk__in=list(counted)).only("pk", "name", "type")
    return sorted(((t, counted[t.pk]) for t in tags), key=lambda tc: tc[0].name.casefold())


def _letter(name: str) -> str:
    first = name[:1].upper()
    return first if first in LETTERS else OTHER


@catalogue_view
def fandoms(b: Browse) -> HttpResponse:
    by_letter: dict[str, int] = {}
    for tag, _count in fandom_counts(b.viewer):
        by_letter[_letter(tag.name)] = by_letter.get(_letter(tag.name), 0) + 1
    items = [
        _nav_entry(
            letter if letter != OTHER else "Other",
            b.url("fandom_letter", letter),
            f"{by_letter[letter]} fandom{'s' if by_letter[letter] != 1 else ''}",
            kind=NAVIGATION,
        )
        for letter in [*LETTERS, OTHER]
        if letter in by_letter
    ]
    links = b.common_links(NAVIGATION, up=b.url("root"))
    doc = _catalog(
        b, NAVIGATION, gettext("Fandoms A–Z"), reverse("opds:fandoms"), links, entries=items
    )
    return _respond(doc)


@catalogue_view
def fandom_letter(b: Browse, letter: str) -> HttpResponse:
    if letter not in LETTERS and letter != OTHER:
        raise Http404(_("No such letter."))
    items = [
        _nav_entry(
            tag.name,
            b.url("tag", tag.url_name),
            f"{count} work{'s' if count != 1 else ''}",
        )
        for tag, count in fandom_counts(b.viewer)
        if _letter(tag.name) == letter
    ]
    title = (
        gettext("Fandoms: {letter}").format(letter=letter)
        if letter != OTHER
        else gettext("Fandoms: other")
    )
    links = b.common_links(NAVIGATION, up=b.url("fandoms"))
    path = reverse("opds:fandom_letter", args=[letter])
    return _respond(_catalog(b, NAVIGATION, title, path, links, entries=items))
