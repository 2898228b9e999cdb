import pytest

from fanfold.audit.models import AuditEntry
from fanfold.efiction.importer.staff_roles import import_staff_roles
from fanfold.efiction.report import Report
from fanfold.efiction.source.base import Row
from fanfold.staff.models import WranglerAssignment
from fanfold.staff.permissions import roles_of
from fanfold.staff.roles import Role
from fanfold.staff.services import member_roles_set
from fanfold.tags.models import Tag, TagType

pytestmark = pytest.mark.django_db


def _pref(uid: int, level: int, categories: str = "0") -> Row:
    return Row(
        table="authorprefs",
        values={
            "uid": str(uid).encode(),
            "level": str(level).encode(),
            "categories": categories.encode(),
        },
        where=f"test authorprefs {uid}",
    )


@pytest.fixture
def members(make_user):
    return {uid: make_user(f"admin{uid}") for uid in range(1, 7)}


def test_each_level_becomes_its_roles_and_categories_become_fandoms(members):
    fantasy = Tag.objects.create(name="Fantasy", type=TagType.FANDOM, canonical=True)
    sea = Tag.objects.create(name="Sea Stories", type=TagType.FANDOM, canonical=True)
    report = Report()
    import_staff_roles(
        prefs=[
            _pref(1, 1),
            _pref(2, 2, "1,2"),
            _pref(3, 3, "1"),
            _pref(4, 4),
            _pref(5, 0),
            _pref(6, -1),
        ],
        user_pk={uid: m.pk for uid, m in members.items()},
        category_tag={1: fantasy.pk, 2: sea.pk},
        report=report,
    )
    assert [roles_of(members[uid]) for uid in range(1, 7)] == [
        {Role.ADMINISTRATOR},
        {Role.MODERATOR, Role.WRANGLER},
        {Role.MODERATOR},
        {Role.SUPPORT},
        set(),
        set(),
    ]
    held = WranglerAssignment.objects.filter(wrangler=members[2]).values_list(
        "fandom__name", flat=True
    )
    assert sorted(held) == ["Fantasy", "Sea Stories"]
    assert report.imported["staff roles"] == 4 and report.imported["wrangler fandoms"] == 2
    assert any("limited to some categories" in note for note in report.notes)
    entry = AuditEntry.objects.filter(member=members[2], action="role.change").get()
    assert entry.actor is None and entry.reason == "eFiction admin level 2"


def test_a_rerun_keeps_role_changes_made_since(members, make_user):
    user_pk = {uid: m.pk for uid, m in members.items()}
    import_staff_roles(prefs=[_pref(3, 3)], user_pk=user_pk, category_tag={}, report=Report())
    chief = make_user("chief", is_superuser=True)
    member_roles_set(actor=chief, member=members[3], roles=[])
    import_staff_roles(prefs=[_pref(3, 3)], user_pk=user_pk, category_tag={}, report=Report())
    members[3].__dict__.pop("_staff_roles", None)
    assert roles_of(members[3]) == set()
