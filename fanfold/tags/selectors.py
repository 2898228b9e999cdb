"""Reads for tags."""

from django.db.models import Q, QuerySet

from fanfold.tags.models import Tag, tag_key


def tag_by_url_name(url_name: str) -> Tag | None:
    return (
        Tag.objects.filter(key=tag_key(Tag.name_from_url(url_name)))
        .select_related("merger")
        .first()
    )


def tag_family_ids(tag: Tag) -> list[int]:
    """The tag, its synonyms and its direct sub-tags: what a tag's works page lists.
    (The full filter closure arrives with the filtering work.)"""
    canonical = tag.merger or tag
    q = Q(pk=canonical.pk) | Q(merger=canonical) | Q(parents=canonical)
    return list(Tag.objects.filter(q).values_list("pk", flat=True).distinct())


def tags_autocomplete(*, term: str, tag_type: str | None, limit: int = 15) -> QuerySet[Tag]:
    """Tags starting with `term` (then containing it), canonical ones first."""
    key = tag_key(term)
    if not key:
        return Tag.objects.none()
    tags = Tag.objects.filter(key__startswith=key, merger__isnull=True)
    if tag_type:
        tags = tags.filter(type=tag_type)
    return tags.order_by("-canonical", "key")[:limit]
