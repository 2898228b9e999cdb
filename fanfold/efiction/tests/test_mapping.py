from pathlib import Path

import pytest

from fanfold.efiction.mapping import (
    Legacy,
    MappingError,
    default_mapping,
    read_mapping,
    write_mapping,
)


def vocabulary() -> Legacy:
    legacy = Legacy()
    legacy.categories = {
        1: ("Buffy the Vampire Slayer", -1, 1),
        2: ("Season 1", 1, 1),
        3: ("Angel", -1, 2),
        4: ("Season 1", 3, 1),
    }
    legacy.characters = {10: ("Buffy Summers", 1), 11: ("Angel", 3), 12: ("Original Character", -1)}
    legacy.classtypes = {1: "Genres", 2: "Warnings", 3: "Pairings"}
    legacy.classes = {
        20: ("Angst", 1),
        21: ("Character Death", 2),
        22: ("Mild Language", 2),
        23: ("Buffy/Angel", 3),
    }
    legacy.ratings = {1: ("G", 0, ""), 2: ("NC-17", 6, "Adults only.")}
    return legacy


def by_key(entries):
    return {(e.kind, e.legacy_id): e for e in entries}


def test_default_mapping_follows_the_efiction_structure():
    entries = by_key(default_mapping(vocabulary()))
    assert entries[("category", 1)].type == "fandom"
    # A subcategory is a fandom under its parent; a repeated name is qualified.
    assert entries[("category", 2)].parents == ["Buffy the Vampire Slayer"]
    assert entries[("category", 2)].name == "Season 1"
    assert entries[("category", 4)].name == "Season 1 (Angel)"
    # A character that shares a fandom's name is qualified by its fandom.
    assert entries[("character", 11)].name == "Angel (Angel)"
    assert entries[("character", 10)].parents == ["Buffy the Vampire Slayer"]
    assert entries[("character", 12)].parents == []
    # Warnings that are archive warnings become them; the rest are additional tags.
    assert (entries[("class", 21)].type, entries[("class", 21)].name) == (
        "warning",
        "Major Character Death",
    )
    assert entries[("class", 22)].type == "freeform"
    assert entries[("class", 20)].type == "freeform"
    assert entries[("class", 23)].type == "freeform"
    nc17 = entries[("rating", 2)]
    assert (nc17.adult, nc17.members_only, nc17.warning_text) == (True, True, "Adults only.")
    assert entries[("rating", 1)].adult is False


def test_written_mapping_round_trips_and_applies_edits(tmp_path: Path):
    defaults = default_mapping(vocabulary())
    path = tmp_path / "tags.csv"
    write_mapping(defaults, path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("kind,legacy_id,legacy_name")
    edited = text.replace(
        "class,23,Buffy/Angel,Pairings,freeform,Buffy/Angel",
        "class,23,Buffy/Angel,Pairings,relationship,Angel/Buffy Summers",
    )
    edited = edited.replace(
        "class,22,Mild Language,Warnings,freeform", "class,22,Mild Language,Warnings,skip"
    )
    path.write_text(edited, encoding="utf-8")

    entries = by_key(read_mapping(path, default_mapping(vocabulary())))
    assert (entries[("class", 23)].type, entries[("class", 23)].name) == (
        "relationship",
        "Angel/Buffy Summers",
    )
    assert entries[("class", 22)].skipped
    assert entries[("category", 1)].name == "Buffy the Vampire Slayer"


def test_bad_mapping_lists_every_problem_with_its_line(tmp_path: Path):
    path = tmp_path / "tags.csv"
    path.write_text(
        "kind,legacy_id,legacy_name,legacy_context,type,name,parents,adult,members_only,warning_text\n"
        "class,20,Angst,Genres,genre,Angst,,,,\n"
        "class,99,Nope,Genres,freeform,Nope,,,,\n"
        "rating,2,NC-17,,rating,NC-17,,maybe,no,\n"
        "category,1,Buffy,,fandom,,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(MappingError) as caught:
        read_mapping(path, default_mapping(vocabulary()))
    errors = "\n".join(caught.value.errors)
    assert "line 2: type must be one of" in errors
    assert "line 3: the dump has no class with id 99" in errors
    assert "line 4: adult must be yes or no" in errors
    assert "line 5: name is empty" in errors


def test_php_date_formats_become_strftime():
    from fanfold.efiction.importer import php_date_format

    assert php_date_format("d/m/y") == "%d/%m/%y"
    assert php_date_format("F j, Y") == "%B %-d, %Y"
    assert php_date_format("M d Y \\a\\t H:i") == "%b %d %Y at %H:%M"
    assert php_date_format("jS F Y") == ""  # "S" (1st, 2nd) has no strftime match
