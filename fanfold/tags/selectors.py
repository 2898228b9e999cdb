"""Reads for tags."""

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When

from fanfold.tags.models import FIXED_TYPES, Tag, tag_key

# A fandom metatag can have thousands of characters under it; the tag page shows a
# first slice and the works page is where the rest are reached.
FAMILY_LIMIT = 200
# Where a word of a tag name begins, after the name's own start: "Ada Vell/Bo Lark",
# "Vell (Original)", "Ada & Bo". A contains-match cannot use the key's index; suggestions
# ask for 15 rows from the tags table, which stays small beside the works.
WORD_SEPARATORS = (" ", "/", "(", "&", "-", "'")


def tags_visible_to(viewer) -> QuerySet[Tag]:
    """The tags `viewer` may learn exist; every other tag is, for them, missing.

    Canonical tags are public: the seeded ratings, warnings and categories, and the
    tags wranglers made the archive's vocabulary (parents and merge targets are always
    canonical). Any other tag, synonyms included, exists for a viewer only while a work
    visible to them carries it: a tag that only drafts, hidden, unapproved or (for
    guests) members-only works use would give away what those works are about.

    Every place that takes a tag from a reader (filter parameters, facets, tag pages,
    autocomplete, old eFiction links) looks it up here, so such a tag answers exactly
    as a tag that does not exist.
    """
    from fanfold.works.models import Work, WorkTag

    # Correlated on the work's key, not `work__in=<visible works>`: that form makes the
    # database list every visible work first (a million at scale) on each filter request.
    visible = Work.objects.visible_to(viewer).filter(pk=OuterRef("work_id"))
    used = WorkTag.objects.filter(tag=OuterRef("pk")).filter(Exists(visible))
    return Tag.objects.filter(Q(canonical=True) | Exists(used))


def tag_by_url_name(url_name: str, viewer=None, *, every_tag: bool = False) -> Tag | None:
    """The tag a URL names, if the viewer may see it. `every_tag` is for staff pages:
    wranglers must reach tags that only drafts use, which no listing shows them."""
    key = tag_key(Tag.name_from_url(url_name))
    tags = Tag.objects.all() if every_tag else tags_visible_to(viewer)
    return tags.filter(key=key).select_related("merger").first()


def tag_named(name: str) -> Tag | None:
    """Any tag by name, case-insensitively (for staff forms that name a tag)."""
    return Tag.objects.named(name).select_related("merger").first()


@dataclass
class TagFamily:
    synonyms: list[Tag]
    parents: list[Tag]
    children: list[Tag]


def tag_family(tag: Tag, viewer=None, *, every_tag: bool = False) -> TagFamily:
    """A tag's synonyms, parents (metatags, fandoms) and children (sub-tags, and the
    characters and relationships under a fandom), each limited to tags the viewer may
    see (`every_tag` for the staff wrangling page)."""
    visible = (Tag.objects.all() if every_tag else tags_visible_to(viewer)).order_by("type", "key")
    return TagFamily(
        synonyms=list(visible.filter(merger=tag)[:FAMILY_LIMIT]),
        parents=list(visible.filter(children=tag)[:FAMILY_LIMIT]),
        children=list(visible.filter(parents=tag)[:FAMILY_LIMIT]),
    )


def unwrangled_tags(*, fandom: Tag | None = None, tag_type: str | None = None) -> QuerySet[Tag]:
    """The wrangling queue: tags that are neither canonical nor a synonym, most used
    first, each annotated with `uses` (how many works carry it).

    With `fandom`, only tags on works of that fandom (tagged with it or a synonym of it).
    Fixed tags (ratings, warnings, categories) are canonical from the start, so they
    never show up here. Sliceable, so a Paginator can page it.
    """
    return wrangling_tags(status="unwrangled", fandom=fandom, tag_type=tag_type)


# What the wrangling page lists, by the status filter's value.
WRANGLING_STATUS = {
    "unwrangled": Q(canonical=False, merger__isnull=True),
    "canonical": Q(canonical=True),
    "synonyms": Q(merger__isnull=False),
}


def wrangling_tags(
    *, status: str = "unwrangled", fandom: Tag | None = None, tag_type: str | None = None
) -> QuerySet[Tag]:
    """The wrangling page's tags of one status (`WRANGLING_STATUS`), filtered like the
    queue (`unwrangled_tags`), most used first, with `uses` and their `merger` loaded.
    Fixed tags are never listed: nothing can be done to them here."""
    from fanfold.works.models import WorkTag

    tags = Tag.objects.filter(WRANGLING_STATUS[status]).exclude(type__in=FIXED_TYPES)
    if tag_type:
        tags = tags.filter(type=tag_type)
    if fandom is not None:
        fandom_ids = [fandom.pk, *fandom.synonyms.values_list("pk", flat=True)]
        in_fandom = WorkTag.objects.filter(tag=OuterRef("pk"), work__tags__in=fandom_ids)
        tags = tags.filter(Exists(in_fandom))
    tags = tags.select_related("merger").annotate(uses=Count("work_tags"))
    return tags.order_by("-uses", "key")


def tag_family_ids(tag: Tag) -> list[int]:
    """The tag, its synonyms and its direct sub-tags: what a tag's works page lists.
    (The full filter closure arrives with the filtering work.)"""
    canonical = tag.merger or tag
    q = Q(pk=canonical.pk) | Q(merger=canonical) | Q(parents=canonical)
    return list(Tag.objects.filter(q).values_list("pk", flat=True).distinct())


def tags_autocomplete(
    *, term: str, tag_type: str | None, viewer=None, limit: int = 15
) -> QuerySet[Tag]:
    """Tags with a word starting with `term` ("Vell" finds "Ada Vell" and "Ada Vell/Bo
    Lark") that the viewer may see: canonical ones first, then names that start so."""
    key = tag_key(term)
    if not key:
        return Tag.objects.none()
    starts = Q(key__startswith=key)
    word = starts
    for separator in WORD_SEPARATORS:
        word |= Q(key__contains=separator + key)
    tags = tags_visible_to(viewer).filter(word, merger__isnull=True)
    if tag_type:
        tags = tags.filter(type=tag_type)
    prefix_first = Case(When(starts, then=Value(0)), default=Value(1))
    return tags.order_by("-canonical", prefix_first, "key")[:limit]


# A search names at most this many words; more would only slow the query down.
SEARCH_WORDS = 8


def tags_search(*, query: str, viewer=None, tag_type: str | None = None) -> QuerySet[Tag]:
    """Tags the viewer may see whose name holds every word of `query` (anywhere, any
    case): the tag search page. Canonical tags first, then synonyms and loose tags, each
    A to Z; a synonym comes with its canonical tag (`merger`)."""
    words = tag_key(query).split()[:SEARCH_WORDS]
    if not words:
        return Tag.objects.none()
    tags = tags_visible_to(viewer)
    for word in words:
        tags = tags.filter(key__contains=word)
    if tag_type:
        tags = tags.filter(type=tag_type)
    return tags.select_related("merger").order_by("-canonical", "key")
