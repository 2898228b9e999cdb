"""Writes for tags."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fanfold.audit.services import audit_record
from fanfold.markup.formats import render_text
from fanfold.staff.permissions import require_perm, require_wrangle
from fanfold.tags.models import FIXED_TYPES, NAME_MAX, Tag, TagType, tag_key

MAX_TAGS_PER_FIELD = 75
DESCRIPTION_MAX = 5000


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
        raise ValidationError(
            _("Use at most %(count)s tags in one field.") % {"count": MAX_TAGS_PER_FIELD}
        )
    too_long = [n for n in names if len(n) > NAME_MAX]
    if too_long:
        raise ValidationError(
            _("Tags can be at most %(count)s characters: %(tag)s…")
            % {"count": NAME_MAX, "tag": too_long[0][:40]}
        )
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


# --- Wrangling -------------------------------------------------------------------------
# Staff-only writes that change what a tag stands for. Each one tells the filter engine
# (mark_changed, in the same transaction) which tags' synonym or parent rows moved, and
# bumps the render_version of works whose cached pages show the tag.

# Parents of another type a tag may have: a character, relationship or free-form tag can
# sit under its fandom. Same-type metatags are allowed for every type.
FANDOM_CHILD_TYPES = frozenset({TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM})


def _require_wrangler(user, *tags: Tag) -> None:
    """Wrangling needs the wrangler role, and each tag must be in the wrangler's fandoms
    or the unassigned pool (administrators wrangle everything)."""
    require_perm(user, "wrangle_tags", "Only tag wranglers can wrangle tags.")
    for tag in tags:
        require_wrangle(user, tag)


def _audit(user, action: str, tag: Tag, changes: dict) -> None:
    audit_record(action=action, actor=user, perm="wrangle_tags", target=tag, changes=changes)


def _synonym_ids(tag: Tag) -> list[int]:
    return list(Tag.objects.filter(merger=tag).values_list("pk", flat=True))


def _works_of(tag_ids: Iterable[int]) -> list[int]:
    from fanfold.works.models import WorkTag

    rows = WorkTag.objects.filter(tag_id__in=list(tag_ids)).values_list("work_id", flat=True)
    return list(rows.distinct())


def _touch(*, tag_ids: Iterable[int], shown_by: Iterable[int] = (), text: bool = False) -> None:
    """Tell the filter engine these tags' links moved, and refresh cached pages of works
    tagged with `shown_by`. `text=True` also rewrites those works' search documents
    (only a rename changes the words a document holds)."""
    from fanfold.filters.services import mark_changed
    from fanfold.works.models import Work

    shown = list(dict.fromkeys(shown_by))
    mark_changed(tag_ids=list(dict.fromkeys(tag_ids)))
    if shown:
        Work.objects.filter(tags__in=shown).make_pages_stale()
        if text:
            mark_changed(work_ids=_works_of(shown))


def _ancestor_ids(tag_ids: Iterable[int]) -> set[int]:
    """Every tag above these ones through parent links (one query per level)."""
    through = Tag.parents.through
    seen: set[int] = set()
    frontier = set(tag_ids)
    while frontier:
        rows = through.objects.filter(from_tag_id__in=frontier).values_list("to_tag_id", flat=True)
        frontier = set(rows) - seen
        seen |= frontier
    return seen


def _refuse_fixed(tag: Tag, what: str) -> None:
    if tag.type in FIXED_TYPES:
        raise ValidationError(
            f"“{tag.name}” is a {_label(tag.type)}; those are fixed, so it can't be {what}."
        )


@transaction.atomic
def tag_make_canonical(*, user, tag: Tag, canonical: bool = True) -> Tag:
    """Make `tag` canonical (listed in filters and autocomplete), or take that back.

    A synonym must be unmerged first, and a tag others depend on (its synonyms, or
    sub-tags that need a canonical parent) can't stop being canonical.
    """
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    _require_wrangler(user, tag)
    _refuse_fixed(tag, "changed")
    if canonical and tag.merger_id:
        raise ValidationError(
            f"“{tag.name}” is a synonym of “{tag.merger}”; unmerge it before making it canonical."
        )
    if not canonical and tag.synonyms.exists():
        raise ValidationError(
            f"“{tag.name}” has synonyms; merge or unmerge them before it stops being canonical."
        )
    if not canonical and tag.children.exists():
        raise ValidationError(
            f"“{tag.name}” is the parent of other tags; remove them before it stops being "
            "canonical."
        )
    if tag.canonical != canonical:
        _audit(user, "tag.canonical", tag, {"canonical": [tag.canonical, canonical]})
        tag.canonical = canonical
        tag.save(update_fields=["canonical"])
        _touch(tag_ids=[tag.pk], shown_by=[tag.pk])
    return tag


@transaction.atomic
def tag_merge(*, user, tag: Tag, into: Tag) -> Tag:
    """Make `tag` a synonym of the canonical tag `into` (of the same type).

    Whatever hung on `tag` moves to `into`: its own synonyms (no chains of synonyms),
    its sub-tags and its parents, so filtering by `into` finds all of them.
    """
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    into = Tag.objects.select_for_update().get(pk=into.pk)
    _require_wrangler(user, tag, into)
    _validate_merge(tag, into)
    synonyms = _synonym_ids(tag)
    children = list(tag.children.exclude(pk=into.pk).values_list("pk", flat=True))
    parents = list(tag.parents.exclude(pk=into.pk).values_list("pk", flat=True))
    Tag.objects.filter(pk__in=synonyms).update(merger=into)
    into.children.add(*children)
    into.parents.add(*parents)
    tag.children.clear()
    tag.parents.clear()
    # If `tag` was a parent of `into`, `into` inherited `tag`'s parents above; a loop
    # can only pass through `into`, since every new link touches it.
    if into.pk in _ancestor_ids([into.pk]):
        raise ValidationError(
            f"Merging “{tag.name}” into “{into.name}” would make “{into.name}” its own "
            "parent; fix the parent tags first."
        )
    _audit(
        user,
        "tag.merge",
        tag,
        {"merger": [None, into.name], "canonical": [tag.canonical, False]},
    )
    tag.merger = into
    tag.canonical = False
    tag.save(update_fields=["merger", "canonical"])
    _touch(tag_ids=[tag.pk, into.pk, *synonyms, *children], shown_by=[tag.pk, *synonyms])
    return tag


def _validate_merge(tag: Tag, into: Tag) -> None:
    if tag.pk == into.pk:
        raise ValidationError(_("“%(tag)s” can't be merged into itself.") % {"tag": tag.name})
    _refuse_fixed(tag, "merged")
    if into.type != tag.type:
        raise ValidationError(
            f"“{tag.name}” is a {_label(tag.type)} tag and “{into.name}” is a "
            f"{_label(into.type)} tag; only tags of one type can be merged."
        )
    if into.merger_id:
        raise ValidationError(
            f"“{into.name}” is itself a synonym of “{into.merger}”; merge into that instead."
        )
    if not into.canonical:
        raise ValidationError(
            _("“%(tag)s” is not canonical; make it canonical first.") % {"tag": into.name}
        )
    if tag.merger_id == into.pk:
        raise ValidationError(
            _("“%(tag)s” is already a synonym of “%(into)s”.")
            % {"tag": tag.name, "into": into.name}
        )


@transaction.atomic
def tag_unmerge(*, user, tag: Tag) -> Tag:
    """Make a synonym a tag of its own again (not canonical: it returns to the queue)."""
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    _require_wrangler(user, tag)
    if not tag.merger_id:
        raise ValidationError(_("“%(tag)s” is not a synonym of any tag.") % {"tag": tag.name})
    _audit(user, "tag.unmerge", tag, {"merger": [str(tag.merger), None]})
    tag.merger = None
    tag.save(update_fields=["merger"])
    _touch(tag_ids=[tag.pk], shown_by=[tag.pk])
    return tag


@transaction.atomic
def tag_set_parents(*, user, tag: Tag, add: Iterable[Tag] = (), remove: Iterable[Tag] = ()) -> Tag:
    """Add and remove parents of `tag`: same-type metatags, or a fandom for a character,
    relationship or free-form tag. Parents must be canonical, and no tag may end up
    above itself."""
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    # Re-read the parents: their canonical flag decides, and a caller's copy may be stale.
    add = list(Tag.objects.filter(pk__in=[p.pk for p in add]))
    remove = list(remove)
    # Placing a tag under a fandom is work in that fandom too.
    _require_wrangler(user, tag, *[p for p in add if p.type == TagType.FANDOM])
    if add and tag.merger_id:
        raise ValidationError(
            f"“{tag.name}” is a synonym of “{tag.merger}”; give parents to that tag instead."
        )
    errors = [msg for parent in add if (msg := _parent_error(tag, parent))]
    if errors:
        raise ValidationError(errors)
    before = sorted(tag.parents.values_list("name", flat=True))
    tag.parents.remove(*remove)
    tag.parents.add(*add)
    after = sorted(tag.parents.values_list("name", flat=True))
    if before != after:
        _audit(user, "tag.parents", tag, {"parents": [before, after]})
    _touch(tag_ids=[tag.pk], shown_by=[tag.pk, *_synonym_ids(tag)])
    return tag


def _parent_error(tag: Tag, parent: Tag) -> str | None:
    if parent.pk == tag.pk:
        return f"“{tag.name}” can't be its own parent."
    if not parent.canonical:
        return f"“{parent.name}” is not canonical, so it can't be a parent tag."
    fandom_ok = parent.type == TagType.FANDOM and tag.type in FANDOM_CHILD_TYPES
    if parent.type != tag.type and not fandom_ok:
        return (
            f"A {_label(tag.type)} tag can't have the {_label(parent.type)} tag "
            f"“{parent.name}” as a parent."
        )
    if tag.pk in _ancestor_ids([parent.pk]):
        return f"“{parent.name}” is already below “{tag.name}”; that would make a loop."
    return None


@transaction.atomic
def tag_rename(*, user, tag: Tag, name: str) -> Tag:
    """Rename a tag. The new name may differ from the old only in case or spacing;
    otherwise it must not belong to another tag (names are unique regardless of case)."""
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    _require_wrangler(user, tag)
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("A tag needs a name."))
    if len(name) > NAME_MAX:
        raise ValidationError(_("Tags can be at most %(count)s characters.") % {"count": NAME_MAX})
    if "," in name:
        # Tag fields are comma-separated: a comma would split the tag in two.
        raise ValidationError(_("Tag names can't contain commas."))
    clash = Tag.objects.named(name).exclude(pk=tag.pk).first()
    if clash is not None:
        raise ValidationError(_("There is already a tag named “%(tag)s”.") % {"tag": clash.name})
    if name != tag.name:
        _audit(user, "tag.rename", tag, {"name": [tag.name, name]})
        tag.name = name
        tag.save(update_fields=["name", "key"])
        _touch(tag_ids=[tag.pk], shown_by=[tag.pk, *_synonym_ids(tag)], text=True)
    return tag


@transaction.atomic
def tag_set_type(*, user, tag: Tag, tag_type: str) -> Tag:
    """Move a tag to another (non-fixed) type, e.g. a free-form tag that names a
    character. Only loose tags: synonym and parent links are only valid within a type."""
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    _require_wrangler(user, tag)
    _refuse_fixed(tag, "retyped")
    if tag_type not in TagType.values or tag_type in FIXED_TYPES:
        raise ValidationError(
            _("“%(type)s” is not a type a tag can be moved to.") % {"type": tag_type}
        )
    if tag.merger_id or tag.synonyms.exists() or tag.parents.exists() or tag.children.exists():
        raise ValidationError(
            f"“{tag.name}” has synonyms or parent or sub-tags; unwrangle it before changing "
            "its type."
        )
    if tag.type != tag_type:
        _audit(user, "tag.type", tag, {"type": [tag.type, tag_type]})
        tag.type = tag_type
        tag.save(update_fields=["type"])
        _touch(tag_ids=[tag.pk], shown_by=[tag.pk])
    return tag


@transaction.atomic
def tag_set_description(*, tag: Tag, description: str) -> Tag:
    """Set the tag's description (HTML), sanitised once here for its page."""
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(
            _("A description can be at most %(count)s characters.") % {"count": DESCRIPTION_MAX}
        )
    tag.description = description
    tag.description_html = render_text(description, "html")
    tag.save(update_fields=["description", "description_html"])
    return tag
