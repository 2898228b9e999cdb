import pytest
from django.core.exceptions import PermissionDenied

from fanfold.staff.permissions import can_wrangle, has_perm, require_perm, role_for
from fanfold.staff.roles import PERMISSIONS, ROLE_PERMISSIONS, Role
from fanfold.staff.services import member_roles_set, wrangler_assign
from fanfold.tags.models import Tag, TagType

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user("root", is_superuser=True)


@pytest.fixture
def give(admin):
    def give(member, *roles):
        member_roles_set(actor=admin, member=member, roles=roles)
        member.refresh_from_db()
        return member

    return give


@pytest.mark.parametrize("role", list(Role))
def test_each_role_holds_exactly_its_permissions(make_user, give, role):
    member = give(make_user(), role)
    held = {perm for perm in PERMISSIONS if has_perm(member, perm)}
    assert held == set(ROLE_PERMISSIONS[role])


def test_members_and_guests_hold_nothing(make_user):
    member = make_user()
    assert not any(has_perm(member, perm) for perm in PERMISSIONS)
    assert not has_perm(None, "view_reports")
    with pytest.raises(PermissionDenied):
        require_perm(member, "hide_content")


def test_deactivated_staff_lose_their_permissions(make_user, give):
    member = give(make_user(), Role.MODERATOR)
    member.is_active = False
    member.save()
    assert not has_perm(member, "hide_content")


def test_unknown_permission_is_a_programming_error(make_user):
    with pytest.raises(ValueError, match="Unknown staff permission"):
        has_perm(make_user(), "hide_everything")


def test_several_roles_combine_and_the_narrowest_is_named(make_user, give):
    member = give(make_user(), Role.MODERATOR, Role.ADMINISTRATOR)
    assert has_perm(member, "manage_roles") and has_perm(member, "hide_content")
    assert role_for(member, "hide_content") == "moderator"
    assert role_for(member, "manage_roles") == "administrator"


def _tag(name, tag_type, canonical=False):
    return Tag.objects.create(name=name, type=tag_type, canonical=canonical)


def _fandom(name):
    return _tag(name, TagType.FANDOM, canonical=True)


def test_wranglers_hold_their_fandoms_and_the_unassigned_pool(make_user, give, admin):
    alice, bob = give(make_user(), Role.WRANGLER), give(make_user(), Role.WRANGLER)
    held, free = _fandom("Harbour Tales"), _fandom("Lighthouse Keepers")
    wrangler_assign(actor=admin, wrangler=alice, fandom=held)
    character = _tag("Ada the Keeper", TagType.CHARACTER)
    character.parents.add(held)
    assert can_wrangle(alice, held) and can_wrangle(alice, character)
    assert not can_wrangle(bob, held) and not can_wrangle(bob, character)
    assert can_wrangle(bob, free)
    orphan = _tag("Salt in the air", TagType.FREEFORM)
    assert can_wrangle(bob, orphan)
    assert can_wrangle(admin, character)
    assert not can_wrangle(make_user(), free)
