"""Writes for tags."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from fanfold.tags.models import FIXED_TYPES, NAME_MAX, Tag, TagType, tag_key

MAX_TAGS_PER_FIELD = 75


def split_tag_names(raw: str | Iterable[str]) -> list[str]:
    """Split a comma-separated tag field, dropping blanks and case-insensitive repeats."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    names: list[str] = []
    seen: set[str] = set()
    for part in parts:
        name = " ".join(str(part).split())
        if name and tag_key(name) not in seen:
            seen.add(tag_key(name))
            names.append(name)
    return names


@transaction.atomic
def tags_find_or_create(*, names: Iterable[str], tag_type: str) -> list[Tag]:
    """Return tags for `names`, creating unknown free-form ones on the fly.

    A name that already exists as another type is an error rather than a silent
    retyping, so one author's typo cannot turn a fandom into a character for everyone.
    """
    names = split_tag_names(names)
    if len(names) > MAX_TAGS_PER_FIELD:
        raise ValidationError(f"Use at most {MAX_TAGS_PER_FIELD} tags in one field.")
    too_long = [n for n in names if len(n) > NAME_MAX]
    if too_long:
        raise ValidationError(f"Tags can be at most {NAME_MAX} characters: {too_long[0][:40]}…")
    existing = {t.key: t for t in Tag.objects.filter(key__in=[tag_key(n) for n in names])}
    result: list[Tag] = []
    errors: list[str] = []
    for name in names:
        tag = existing.get(tag_key(name))
        if tag is None:
            if tag_type in FIXED_TYPES:
                errors.append(f"“{name}” is not one of the archive's {_label(tag_type)}s.")
                continue
            tag = Tag.objects.create(name=name, type=tag_type)
        elif tag.type != tag_type:
            errors.append(
                f"“{tag.name}” is already a {_label(tag.type)} tag, so it can't be used as "
                f"a {_label(tag_type)} tag."
            )
            continue
        result.append(tag)
    if errors:
        raise ValidationError(errors)
    return result


def _label(tag_type: str) -> str:
    return TagType(tag_type).label.removesuffix("s")
