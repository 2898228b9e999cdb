"""Wrangling services: their rules, refusals, and what the filter engine sees after."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.conftest import tag
from fanfold.filters.models import FilterChange
from fanfold.filters.query import WorkFilter
from fanfold.filters.selectors import filter_works
from fanfold.tags.models import Tag, TagType
from fanfold.tags.services import (
    tag_make_canonical,
    tag_merge,
    tag_rename,
    tag_set_parents,
    tag_set_type,
    tag_unmerge,
)

pytestmark = pytest.mark.django_db


def canon(name: str, tag_type: str = TagType.FANDOM) -> Tag:
    return Tag.objects.create(name=name, type=tag_type, canonical=True)


def total(name: str) -> int:
    return filter_works(WorkFilter.from_params({"tag": [name]}), None).total


def changed_tags() -> set[int]:
    return set(FilterChange.objects.exclude(tag_id=None).values_list("tag_id", flat=True))


# --- permissions -------------------------------------------------------------------------


def test_every_service_refuses_non_staff(make_user, make_work):
    make_work(fandoms=["Buffy"])
    reader, buffy, other = make_user(), tag("Buffy"), canon("BtVS")
    calls = [
        lambda u: tag_make_canonical(user=u, tag=buffy),
        lambda u: tag_merge(user=u, tag=buffy, into=other),
        lambda u: tag_unmerge(user=u, tag=buffy),
        lambda u: tag_set_parents(user=u, tag=buffy, add=[other]),
        lambda u: tag_rename(user=u, tag=buffy, name="Buffy!"),
        lambda u: tag_set_type(user=u, tag=buffy, tag_type=TagType.CHARACTER),
    ]
    for call in calls:
        for user in (reader, None):
            with pytest.raises(PermissionDenied):
                call(user)
    buffy.refresh_from_db()
    assert not buffy.canonical and buffy.merger is None and buffy.name == "Buffy"


# --- canonical -----------------------------------------------------------------------------


def test_make_canonical_and_back(staff, make_work):
    work = make_work(fandoms=["Angel"])
    version = work.render_version
    angel = tag_make_canonical(user=staff, tag=tag("Angel"))
    assert angel.canonical
    assert angel.pk in changed_tags()
    work.refresh_from_db()
    assert work.render_version == version + 1
    assert not tag_make_canonical(user=staff, tag=angel, canonical=False).canonical


def test_canonical_refusals(staff, make_work):
    make_work(fandoms=["BtVS"])
    buffy = canon("Buffy the Vampire Slayer")
    tag_merge(user=staff, tag=tag("BtVS"), into=buffy)
    with pytest.raises(ValidationError, match="synonym of"):
        tag_make_canonical(user=staff, tag=tag("BtVS"))
    with pytest.raises(ValidationError, match="has synonyms"):
        tag_make_canonical(user=staff, tag=buffy, canonical=False)
    verse = canon("Buffyverse")
    tag_set_parents(user=staff, tag=buffy, add=[verse])
    with pytest.raises(ValidationError, match="parent of other tags"):
        tag_make_canonical(user=staff, tag=verse, canonical=False)
    with pytest.raises(ValidationError, match="fixed"):
        tag_make_canonical(user=staff, tag=tag("Explicit"), canonical=False)


# --- merge ------------------------------------------------------------------------------------


def test_merge_makes_a_synonym_and_the_filter_finds_its_works(staff, make_work):
    synonym_work = make_work(fandoms=["BtVS"], title="Synonym Work")
    canon_work = make_work(fandoms=["Buffy the Vampire Slayer"], title="Canon Work")
    buffy = tag("Buffy the Vampire Slayer")
    tag_make_canonical(user=staff, tag=buffy)
    assert total(buffy.name) == 1  # the index is built before the merge
    btvs = tag_merge(user=staff, tag=tag("BtVS"), into=buffy)
    assert btvs.merger == buffy and not btvs.canonical
    result = filter_works(WorkFilter.from_params({"tag": [buffy.name]}), None)
    assert result.total == 2
    assert set(result.work_ids) == {synonym_work.pk, canon_work.pk}
    version = synonym_work.render_version
    synonym_work.refresh_from_db()
    assert synonym_work.render_version == version + 1


def test_merge_moves_synonyms_children_and_parents(staff, make_work):
    make_work(fandoms=["Old Name"], characters=["Spike"], title="Old")
    make_work(fandoms=["Older Name"], title="Older")
    old, older = tag("Old Name"), tag("Older Name")
    tag_make_canonical(user=staff, tag=old)
    tag_merge(user=staff, tag=older, into=old)
    spike = tag_make_canonical(user=staff, tag=tag("Spike"), canonical=True)
    verse = canon("Whedonverse")
    tag_set_parents(user=staff, tag=spike, add=[old])
    tag_set_parents(user=staff, tag=old, add=[verse])
    new = canon("New Name")

    tag_merge(user=staff, tag=old, into=new)

    assert tag("Older Name").merger == new  # no chain through Old Name
    assert list(new.synonyms.order_by("name")) == [tag("Old Name"), tag("Older Name")]
    assert list(tag("Spike").parents.all()) == [new]
    assert list(new.parents.all()) == [verse]
    assert not old.parents.exists() and not old.children.exists()
    assert {old.pk, older.pk, spike.pk, new.pk} <= changed_tags()
    assert total("New Name") == 2
    assert total("Whedonverse") == 2


@pytest.mark.parametrize(
    "case, message",
    [
        ("itself", "into itself"),
        ("types", "only tags of one type"),
        ("not canonical", "not canonical"),
        ("chain", "itself a synonym"),
        ("fixed", "fixed"),
    ],
)
def test_merge_refusals(staff, make_work, case, message):
    make_work(fandoms=["Buffy", "Buffy TV"], characters=["Willow"])
    buffy = tag_make_canonical(user=staff, tag=tag("Buffy"))
    source, target = tag("Buffy TV"), buffy
    if case == "itself":
        source = target
    elif case == "types":
        target = tag_make_canonical(user=staff, tag=tag("Willow"))
    elif case == "not canonical":
        target = Tag.objects.create(name="Loose", type=TagType.FANDOM)
    elif case == "chain":
        target = Tag.objects.create(name="BtVS", type=TagType.FANDOM)
        Tag.objects.filter(pk=target.pk).update(merger=buffy, canonical=True)
        target.refresh_from_db()
    elif case == "fixed":
        source, target = tag("Explicit"), tag("Mature")
    with pytest.raises(ValidationError, match=message):
        tag_merge(user=staff, tag=source, into=target)
    source.refresh_from_db()
    assert source.merger_id != target.pk


def test_merge_that_would_loop_is_rolled_back(staff, db):
    top, middle, leaf = canon("Top"), canon("Middle"), canon("Leaf")
    tag_set_parents(user=staff, tag=middle, add=[top])
    tag_set_parents(user=staff, tag=leaf, add=[middle])
    # Top would take Leaf's parent Middle, which sits below Top.
    with pytest.raises(ValidationError, match="its own parent"):
        tag_merge(user=staff, tag=leaf, into=top)
    leaf.refresh_from_db()
    assert leaf.merger is None and leaf.canonical
    assert list(leaf.parents.all()) == [middle]
    assert not top.parents.exists()


def test_unmerge(staff, make_work):
    make_work(fandoms=["BtVS"])
    buffy = canon("Buffy")
    btvs = tag_merge(user=staff, tag=tag("BtVS"), into=buffy)
    assert total("Buffy") == 1
    btvs = tag_unmerge(user=staff, tag=btvs)
    assert btvs.merger is None and not btvs.canonical
    assert total("Buffy") == 0
    with pytest.raises(ValidationError, match="not a synonym"):
        tag_unmerge(user=staff, tag=btvs)


# --- parents ----------------------------------------------------------------------------------


def test_metatag_filter_includes_subtag_works(staff, make_work):
    make_work(fandoms=["Buffy (TV)"], title="TV")
    make_work(fandoms=["Buffy (Comics)"], title="Comics")
    make_work(fandoms=["Angel"], title="Other")
    verse = canon("Buffy the Vampire Slayer")
    assert total(verse.name) == 0
    for name in ("Buffy (TV)", "Buffy (Comics)"):
        sub = tag_make_canonical(user=staff, tag=tag(name))
        tag_set_parents(user=staff, tag=sub, add=[verse])
    assert total(verse.name) == 2
    tag_set_parents(user=staff, tag=tag("Buffy (TV)"), remove=[verse])
    assert total(verse.name) == 1


def test_fandom_parent_for_characters_relationships_and_freeforms(staff, make_work):
    make_work(characters=["Willow"], relationships=["Willow/Tara"], freeforms=["Magic"])
    fandom = canon("Buffy")
    for name in ("Willow", "Willow/Tara", "Magic"):
        tag_set_parents(user=staff, tag=tag(name), add=[fandom])
        assert list(tag(name).parents.all()) == [fandom]
    child_fandom = canon("Buffy (TV)")
    with pytest.raises(ValidationError, match=r"(?i)can't have the character tag"):
        tag_set_parents(user=staff, tag=child_fandom, add=[canon("Giles", TagType.CHARACTER)])
    # A fandom's own parent is a fandom metatag, which is allowed.
    tag_set_parents(user=staff, tag=child_fandom, add=[fandom])


def test_parent_refusals(staff, db):
    a, b, c = canon("A"), canon("B"), canon("C")
    tag_set_parents(user=staff, tag=b, add=[a])
    tag_set_parents(user=staff, tag=c, add=[b])
    with pytest.raises(ValidationError, match="loop"):
        tag_set_parents(user=staff, tag=a, add=[c])
    with pytest.raises(ValidationError, match="own parent"):
        tag_set_parents(user=staff, tag=a, add=[a])
    loose = Tag.objects.create(name="Loose", type=TagType.FANDOM)
    with pytest.raises(ValidationError, match="not canonical"):
        tag_set_parents(user=staff, tag=a, add=[loose])
    assert not a.parents.exists()


# --- rename and type ----------------------------------------------------------------------


def test_rename(staff, make_work):
    work = make_work(fandoms=["Bufy"], title="Typo")
    version = work.render_version
    bufy = tag_rename(user=staff, tag=tag("Bufy"), name="  Buffy   Summers ")
    assert bufy.name == "Buffy Summers" and bufy.key == "buffy summers"
    assert tag_rename(user=staff, tag=bufy, name="BUFFY summers").name == "BUFFY summers"
    assert FilterChange.objects.filter(work_id=work.pk).exists()
    work.refresh_from_db()
    assert work.render_version == version + 2
    make_work(fandoms=["Angel"])
    with pytest.raises(ValidationError, match="already a tag named “Angel”"):
        tag_rename(user=staff, tag=bufy, name="angel")
    for bad, message in (("", "needs a name"), ("a, b", "commas"), ("x" * 151, "at most")):
        with pytest.raises(ValidationError, match=message):
            tag_rename(user=staff, tag=bufy, name=bad)


def test_set_type(staff, make_work):
    make_work(freeforms=["Willow Rosenberg"])
    willow = tag_set_type(user=staff, tag=tag("Willow Rosenberg"), tag_type=TagType.CHARACTER)
    assert willow.type == TagType.CHARACTER
    with pytest.raises(ValidationError, match="not a type"):
        tag_set_type(user=staff, tag=willow, tag_type=TagType.RATING)
    with pytest.raises(ValidationError, match="fixed"):
        tag_set_type(user=staff, tag=tag("Gen"), tag_type=TagType.FREEFORM)
    tag_set_parents(user=staff, tag=willow, add=[canon("Buffy")])
    with pytest.raises(ValidationError, match="unwrangle"):
        tag_set_type(user=staff, tag=willow, tag_type=TagType.FREEFORM)


def test_filtering_by_a_renamed_tag_finds_its_works(staff, make_work):
    make_work(fandoms=["Bufy"])
    assert total("Bufy") == 1
    tag_rename(user=staff, tag=tag("Bufy"), name="Buffy")
    assert total("Buffy") == 1
    assert filter_works(WorkFilter.from_params({"q": "Buffy"}), None).total == 1
