"""How eFiction's categories, characters, classes and ratings become Fanfold tags.

The default mapping needs no editing: the category tree becomes fandoms (a subcategory's
parent fandom is its metatag), characters become characters under their category's
fandom, each class type goes by its title ("Warnings" → archive warnings when the name is
one of them, otherwise additional tags; everything else → additional tags), and ratings
become ratings carrying eFiction's warning text, adult (age consent) and members-only
flags.

`import_efiction --write-mapping FILE` writes that mapping as a CSV an admin can edit in
any spreadsheet; `--mapping FILE` applies the edited file. One row per eFiction item:

    kind, legacy_id, legacy_name, legacy_context, type, name, parents,
    adult, members_only, warning_text

`type` is a Fanfold tag type (fandom, character, relationship, freeform, warning,
category, rating) or `skip`; `name` may name an existing tag, which is then reused;
`parents` lists fandom names separated by " | "; the last three columns apply to ratings.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from fanfold.tags.models import NAME_MAX, TagType, tag_key
from fanfold.tags.seeds import WARNINGS

COLUMNS = [
    "kind",
    "legacy_id",
    "legacy_name",
    "legacy_context",
    "type",
    "name",
    "parents",
    "adult",
    "members_only",
    "warning_text",
]
KINDS = ("rating", "category", "character", "class")
SKIP = "skip"
PARENT_SEPARATOR = " | "

# eFiction warning class names that mean one of the archive warnings.
_WARNING_SYNONYMS = {
    "character death": "Major Character Death",
    "death": "Major Character Death",
    "major character death": "Major Character Death",
    "violence": "Graphic Depictions Of Violence",
    "graphic violence": "Graphic Depictions Of Violence",
    "graphic depictions of violence": "Graphic Depictions Of Violence",
    "rape": "Rape/Non-Con",
    "non-con": "Rape/Non-Con",
    "noncon": "Rape/Non-Con",
    "non-consensual": "Rape/Non-Con",
    "rape/non-con": "Rape/Non-Con",
    "underage": "Underage Sex",
    "underage sex": "Underage Sex",
    "no archive warnings apply": "No Archive Warnings Apply",
    "none": "No Archive Warnings Apply",
    "creator chose not to use archive warnings": "Creator Chose Not To Use Archive Warnings",
}
_ARCHIVE_WARNINGS = {tag_key(name): name for name, _symbol in WARNINGS}


class MappingError(Exception):
    """An edited mapping file that cannot be applied; `errors` name file lines."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Entry:
    kind: str
    legacy_id: int
    legacy_name: str
    legacy_context: str = ""
    type: str = TagType.FREEFORM
    name: str = ""
    parents: list[str] = field(default_factory=list)
    adult: bool = False
    members_only: bool = False
    warning_text: str = ""

    @property
    def skipped(self) -> bool:
        return self.type == SKIP


@dataclass
class Legacy:
    """The decoded eFiction vocabulary the mapping is built from."""

    # catid -> (name, parentcatid, displayorder)
    categories: dict[int, tuple[str, int, int]] = field(default_factory=dict)
    # charid -> (name, catid)
    characters: dict[int, tuple[str, int]] = field(default_factory=dict)
    # classtype_id -> title
    classtypes: dict[int, str] = field(default_factory=dict)
    # class_id -> (name, classtype_id)
    classes: dict[int, tuple[str, int]] = field(default_factory=dict)
    # rid -> (name, ratingwarning bitmask, warning text)
    ratings: dict[int, tuple[str, int, str]] = field(default_factory=dict)

    def category_path(self, catid: int) -> list[str]:
        path: list[str] = []
        seen: set[int] = set()
        while catid in self.categories and catid not in seen:
            seen.add(catid)
            name, parent, _order = self.categories[catid]
            path.append(name)
            catid = parent
        return list(reversed(path))


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _archive_warning(name: str) -> str | None:
    key = tag_key(name)
    return _ARCHIVE_WARNINGS.get(key) or _WARNING_SYNONYMS.get(key)


def _class_target(type_title: str, class_name: str) -> tuple[str, str]:
    title = type_title.casefold()
    if "warning" in title:
        warning = _archive_warning(class_name)
        if warning:
            return TagType.WARNING, warning
    return TagType.FREEFORM, class_name


def default_mapping(legacy: Legacy) -> list[Entry]:
    """The mapping used when the admin gives none. Names that would collide across
    types (Tag names are unique archive-wide) get the usual "(Type)"-style suffix."""
    entries: list[Entry] = []
    for rid, (name, bits, warning) in sorted(legacy.ratings.items()):
        entries.append(
            Entry(
                kind="rating",
                legacy_id=rid,
                legacy_name=name,
                legacy_context=f"ratingwarning={bits}",
                type=TagType.RATING,
                name=name,
                adult=bool(bits & 2),
                members_only=bool(bits & 4),
                warning_text=warning,
            )
        )
    # Category names repeat ("Season 1" under two shows): the second one is qualified by
    # its parent.
    used: dict[str, str] = {}  # key -> type
    category_names: dict[int, str] = {}
    for catid, (name, parent, _order) in sorted(
        legacy.categories.items(), key=lambda item: (len(legacy.category_path(item[0])), item[0])
    ):
        final = name
        if tag_key(final) in used and parent in category_names:
            final = f"{name} ({category_names[parent]})"
        if tag_key(final) in used:
            final = f"{name} ({catid})"
        used[tag_key(final)] = TagType.FANDOM
        category_names[catid] = final
    for catid, (name, parent, _order) in sorted(legacy.categories.items()):
        entries.append(
            Entry(
                kind="category",
                legacy_id=catid,
                legacy_name=name,
                legacy_context=" > ".join(legacy.category_path(catid)),
                type=TagType.FANDOM,
                name=category_names[catid],
                parents=[category_names[parent]] if parent in category_names else [],
            )
        )
    for charid, (name, catid) in sorted(legacy.characters.items()):
        fandom = category_names.get(catid)
        final = name
        if tag_key(final) in used:
            final = f"{name} ({fandom})" if fandom else f"{name} (Character)"
        if tag_key(final) in used:
            final = f"{name} ({charid})"
        used[tag_key(final)] = TagType.CHARACTER
        entries.append(
            Entry(
                kind="character",
                legacy_id=charid,
                legacy_name=name,
                legacy_context=fandom or "",
                type=TagType.CHARACTER,
                name=final,
                parents=[fandom] if fandom else [],
            )
        )
    for class_id, (name, type_id) in sorted(legacy.classes.items()):
        title = legacy.classtypes.get(type_id, "")
        tag_type, final = _class_target(title, name)
        if tag_type == TagType.FREEFORM and used.get(tag_key(final), TagType.FREEFORM) not in (
            TagType.FREEFORM,
        ):
            final = f"{name} ({title or 'Tag'})"
        if tag_type == TagType.FREEFORM:
            used[tag_key(final)] = TagType.FREEFORM
        entries.append(
            Entry(
                kind="class",
                legacy_id=class_id,
                legacy_name=name,
                legacy_context=title,
                type=tag_type,
                name=final,
            )
        )
    return entries


def write_mapping(entries: list[Entry], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for entry in entries:
            is_rating = entry.kind == "rating"
            writer.writerow(
                [
                    entry.kind,
                    entry.legacy_id,
                    entry.legacy_name,
                    entry.legacy_context,
                    entry.type,
                    entry.name,
                    PARENT_SEPARATOR.join(entry.parents),
                    _yes(entry.adult) if is_rating else "",
                    _yes(entry.members_only) if is_rating else "",
                    entry.warning_text if is_rating else "",
                ]
            )


def _flag(raw: str, line: int, column: str, errors: list[str]) -> bool:
    value = raw.strip().casefold()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("", "no", "n", "false", "0"):
        return False
    errors.append(f"line {line}: {column} must be yes or no, not “{raw}”")
    return False


def read_mapping(path: Path, defaults: list[Entry]) -> list[Entry]:
    """The edited mapping, checked as a whole: every problem is listed with its line.
    Items missing from the file keep their default mapping (an admin may delete rows
    they are happy with)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise MappingError([f"cannot read {path}: {error}"]) from error
    reader = csv.DictReader(io.StringIO(text))
    missing = [
        c for c in ("kind", "legacy_id", "type", "name") if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise MappingError([f"{path}: missing column(s) {', '.join(missing)}"])
    by_key = {(e.kind, e.legacy_id): e for e in defaults}
    errors: list[str] = []
    valid_types = {*TagType.values, SKIP}
    for line, row in enumerate(reader, start=2):
        kind = (row.get("kind") or "").strip()
        if kind not in KINDS:
            errors.append(f"line {line}: kind must be one of {', '.join(KINDS)}, not “{kind}”")
            continue
        try:
            legacy_id = int((row.get("legacy_id") or "").strip())
        except ValueError:
            errors.append(f"line {line}: legacy_id “{row.get('legacy_id')}” is not a number")
            continue
        entry = by_key.get((kind, legacy_id))
        if entry is None:
            errors.append(f"line {line}: the dump has no {kind} with id {legacy_id}")
            continue
        tag_type = (row.get("type") or "").strip().casefold()
        if tag_type not in valid_types:
            errors.append(
                f"line {line}: type must be one of {', '.join(sorted(valid_types))}, "
                f"not “{row.get('type')}”"
            )
            continue
        name = " ".join((row.get("name") or "").split())
        if tag_type != SKIP and not name:
            errors.append(f"line {line}: name is empty (use type “skip” to leave it out)")
            continue
        if len(name) > NAME_MAX:
            errors.append(f"line {line}: name is longer than {NAME_MAX} characters")
            continue
        if kind == "rating" and tag_type not in (TagType.RATING, SKIP):
            errors.append(f"line {line}: a rating can only map to type rating (or skip)")
            continue
        entry.type = tag_type
        entry.name = name
        entry.parents = [
            " ".join(p.split()) for p in (row.get("parents") or "").split("|") if p.strip()
        ]
        if kind == "rating":
            entry.adult = _flag(row.get("adult") or "", line, "adult", errors)
            entry.members_only = _flag(row.get("members_only") or "", line, "members_only", errors)
            entry.warning_text = (row.get("warning_text") or "").strip()
    # One name, one type: a tag cannot be a fandom in one row and a character in another.
    types_by_name: dict[str, tuple[str, str]] = {}
    for entry in by_key.values():
        if entry.skipped:
            continue
        seen = types_by_name.setdefault(tag_key(entry.name), (entry.type, entry.kind))
        if seen[0] != entry.type:
            errors.append(
                f"“{entry.name}” is mapped both as {seen[0]} and as {entry.type}; "
                "a tag has one type"
            )
    if errors:
        raise MappingError(errors)
    return list(by_key.values())
