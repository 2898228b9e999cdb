"""The fandom directory (`/fandoms`): every fandom with works, by media and by letter.

Fanfold has no separate media tag type: a fandom metatag plays that part (an eFiction
archive's top categories, "Anime" or "Books", arrive as fandoms with their fandoms
under them), so the directory groups each fandom under its fandom parents, and the
fandoms that have none under "Other fandoms".

Each fandom's count is what its works page lists (`tag_work_counts`: synonyms and
sub-fandoms included, members-only works only for members). The fandoms are those
`tags_visible_to` lets the viewer know of, and only those with a work they may see, so
a fandom only drafts, hidden or (for guests) members-only works use is never named.

Two audiences see different counts, guests and members (staff see what members see:
`WorkQuerySet.visible_q`), so the directory is built once per audience and cached under
the stamp guests' listing pages use (`listing_stamp`): a work posted, hidden or
retagged, or a tag wrangled, appends to the filter change log and the next request
builds a new one. Muted creators are not taken out (a member's own choice, which a
shared directory cannot hold); their works page leaves them out as usual.
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from fanfold.tags.models import Tag, TagType
from fanfold.tags.selectors import tags_visible_to
from fanfold.works.querysets import is_member

# The letters of the directory's index; names starting with anything else (a digit, a
# symbol, a script without a Latin base letter) are under OTHER.
LETTERS = tuple(string.ascii_lowercase)
OTHER = "0"
# How many of a group's fandoms the overview shows (the most used first); the rest are
# a click away on the group's own A to Z page.
OVERVIEW_PER_GROUP = 10
# Bumped when the cached structure changes shape, so an upgrade never reads an old one.
FORMAT = 1


@dataclass(frozen=True)
class FandomEntry:
    pk: int
    name: str
    url_name: str
    count: int
    initial: str
    parent_ids: tuple[int, ...] = ()

    @property
    def works_url(self) -> str:
        return reverse("tags:works", args=[self.url_name])

    @property
    def tag_url(self) -> str:
        return reverse("tags:detail", args=[self.url_name])


@dataclass(frozen=True)
class MediaGroup:
    """A fandom metatag and the fandoms directly under it (A to Z)."""

    tag: FandomEntry | None  # None: "Other fandoms", those without a parent
    fandoms: tuple[FandomEntry, ...]

    @property
    def key(self) -> str:
        return self.tag.url_name if self.tag is not None else ""

    @property
    def top(self) -> list[FandomEntry]:
        return sorted(self.fandoms, key=lambda e: (-e.count, e.name.casefold()))[
            :OVERVIEW_PER_GROUP
        ]

    @property
    def more(self) -> int:
        return max(0, len(self.fandoms) - OVERVIEW_PER_GROUP)


@dataclass(frozen=True)
class FandomDirectory:
    fandoms: tuple[FandomEntry, ...]  # A to Z
    groups: tuple[MediaGroup, ...]  # metatags A to Z, "Other fandoms" last
    letters: frozenset[str] = field(default_factory=frozenset)  # initials in use

    def by_letter(self, letter: str) -> list[FandomEntry]:
        return [e for e in self.fandoms if e.initial == letter]

    def group(self, key: str) -> MediaGroup | None:
        return next((g for g in self.groups if g.key == key), None)


def initial(name: str) -> str:
    """The directory letter of a name: its first character without accents, or OTHER."""
    first = unicodedata.normalize("NFKD", name[:1].casefold())[:1]
    return first if first in LETTERS else OTHER


def fandom_directory(viewer) -> FandomDirectory:
    """The directory as `viewer`'s audience sees it, from the cache when still current."""
    from fanfold.works.listing_cache import listing_stamp

    audience = "member" if is_member(viewer) else "guest"
    key = f"fandoms{FORMAT}:{audience}:{listing_stamp()}"
    directory = cache.get(key)
    if directory is None:
        directory = build_fandom_directory(viewer)
        cache.set(key, directory, settings.PAGE_CACHE_SECONDS)
    return directory


def build_fandom_directory(viewer) -> FandomDirectory:
    """The directory, computed: three queries and one count per fandom in the index."""
    from fanfold.filters.selectors import tag_work_counts

    fandoms = list(
        tags_visible_to(viewer)
        .filter(type=TagType.FANDOM, merger__isnull=True)
        .values_list("pk", "name")
    )
    counts = tag_work_counts([pk for pk, _ in fandoms], viewer)
    links = Tag.parents.through.objects.filter(
        from_tag_id__in=list(counts), to_tag__type=TagType.FANDOM
    ).values_list("from_tag_id", "to_tag_id")
    parents: dict[int, list[int]] = {}
    for child, parent in links:
        parents.setdefault(child, []).append(parent)
    entries = {
        pk: FandomEntry(
            pk=pk,
            name=name,
            url_name=Tag(name=name).url_name,
            count=counts.get(pk, 0),
            initial=initial(name),
            parent_ids=tuple(parents.get(pk, ())),
        )
        for pk, name in fandoms
        if counts.get(pk, 0) > 0
    }
    return FandomDirectory(
        fandoms=tuple(sorted(entries.values(), key=_order)),
        groups=_groups(entries),
        letters=frozenset(e.initial for e in entries.values()),
    )


def _order(entry: FandomEntry) -> tuple[str, str]:
    return (entry.name.casefold(), entry.name)


def _groups(entries: dict[int, FandomEntry]) -> tuple[MediaGroup, ...]:
    children: dict[int, list[FandomEntry]] = {}
    for entry in entries.values():
        # A parent no visible work uses (not listed) heads no group of its own.
        for parent in entry.parent_ids:
            if parent in entries:
                children.setdefault(parent, []).append(entry)
    # Neither under a listed metatag nor one itself: the "Other fandoms".
    others = [
        e
        for e in entries.values()
        if e.pk not in children and not any(p in entries for p in e.parent_ids)
    ]
    groups = [
        MediaGroup(tag=entries[pk], fandoms=tuple(sorted(kids, key=_order)))
        for pk, kids in sorted(children.items(), key=lambda item: _order(entries[item[0]]))
    ]
    if others:
        groups.append(MediaGroup(tag=None, fandoms=tuple(sorted(others, key=_order))))
    return tuple(groups)
