"""Reads for tags."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from fanfold.tags.models import Tag, tag_key


def tags_visible_to(viewer) -> QuerySet[Tag]:
    """Tags a viewer may learn exist: canonical and wrangled ones (staff made them
    public knowledge), and those on works the viewer may see.

    A brand-new tag that only a draft or members-only work uses could give away what
    that work is about, so it stays out of pages and autocomplete until it is public.
    """
    from fanfold.works.models import Work, WorkTag

    readable = Work.objects.visible_to(viewer)
    used = WorkTag.objects.filter(tag=OuterRef("pk"), work__in=readable)
    used_as_synonym = WorkTag.objects.filter(tag__merger=OuterRef("pk"), work__in=readable)
    wrangled = Q(canonical=True) | Q(merger__isnull=False)
    return Tag.objects.filter(wrangled | Exists(used) | Exists(used_as_synonym))


def tag_by_url_name(url_name: str, viewer=None) -> Tag | None:
    key = tag_key(Tag.name_from_url(url_name))
    return tags_visible_to(viewer).filter(key=key).select_related("merger").first()


def tag_family_ids(tag: Tag) -> list[int]:
    """The tag, its synonyms and its direct sub-tags: what a tag's works page lists.
    (The full filter closure arrives with the filtering work.)"""
    canonical = tag.merger or tag
    q = Q(pk=canonical.pk) | Q(merger=canonical) | Q(parents=canonical)
    return list(Tag.objects.filter(q).values_list("pk", flat=True).distinct())


def tags_autocomplete(
    *, term: str, tag_type: str | None, viewer=None, limit: int = 15
) -> QuerySet[Tag]:
    """Tags starting with `term` that the viewer may see, canonical ones first."""
    key = tag_key(term)
    if not key:
        return Tag.objects.none()
    tags = tags_visible_to(viewer).filter(key__startswith=key, merger__isnull=True)
    if tag_type:
        tags = tags.filter(type=tag_type)
    return tags.order_by("-canonical", "key")[:limit]
