import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.audit.models import AuditEntry
from fanfold.staff.permissions import has_perm, roles_of
from fanfold.staff.roles import Role
from fanfold.staff.services import member_roles_set, wrangler_assign, wrangler_unassign
from fanfold.tags.models import Tag, TagType

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user("root", is_superuser=True)


def test_role_change_is_logged_with_before_and_after(make_user, admin):
    member = make_user("mira")
    member_roles_set(actor=admin, member=member, roles=[Role.SUPPORT], reason="joins support")
    member_roles_set(actor=admin, member=member, roles=[Role.MODERATOR, Role.WRANGLER])
    member.refresh_from_db()
    assert member.is_staff and roles_of(member) == {Role.MODERATOR, Role.WRANGLER}
    first, second = AuditEntry.objects.filter(action="role.change").order_by("pk")
    assert first.changes == {"roles": [[], ["support"]]} and first.reason == "joins support"
    assert second.changes == {"roles": [["support"], ["moderator", "wrangler"]]}
    assert second.actor_name == "root" and second.member_name == "mira"
    assert second.role == "administrator"


def test_taking_every_role_away_ends_staff_status(make_user, admin):
    member = make_user()
    member_roles_set(actor=admin, member=member, roles=[Role.SUPPORT])
    member_roles_set(actor=admin, member=member, roles=[])
    member.refresh_from_db()
    assert not member.is_staff and not has_perm(member, "view_reports")


def test_only_administrators_change_roles(make_user, admin):
    moderator = make_user()
    member_roles_set(actor=admin, member=moderator, roles=[Role.MODERATOR])
    with pytest.raises(PermissionDenied):
        member_roles_set(actor=moderator, member=moderator, roles=[Role.ADMINISTRATOR])
    assert roles_of(moderator) == {Role.MODERATOR}


def test_the_last_administrator_cannot_step_down(make_user):
    founder = make_user("founder")
    founder.is_superuser = True
    founder.save()
    only = make_user("only")
    member_roles_set(actor=founder, member=only, roles=[Role.ADMINISTRATOR])
    founder.is_active = False
    founder.save()
    with pytest.raises(ValidationError, match="at least one administrator"):
        member_roles_set(actor=only, member=only, roles=[Role.MODERATOR])
    assert not AuditEntry.objects.filter(member=only, changes__roles__1=["moderator"]).exists()


def test_wranglers_take_free_fandoms_but_not_held_ones(make_user, admin):
    alice, bob = make_user(), make_user()
    for wrangler in (alice, bob):
        member_roles_set(actor=admin, member=wrangler, roles=[Role.WRANGLER])
    fandom = Tag.objects.create(name="Harbour Tales", type=TagType.FANDOM, canonical=True)
    wrangler_assign(actor=alice, wrangler=alice, fandom=fandom)
    with pytest.raises(PermissionDenied):
        wrangler_assign(actor=bob, wrangler=bob, fandom=fandom)
    wrangler_unassign(actor=alice, wrangler=alice, fandom=fandom)
    wrangler_assign(actor=bob, wrangler=bob, fandom=fandom)
    actions = list(
        AuditEntry.objects.filter(target_type="tag").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["wrangler.take", "wrangler.unassign", "wrangler.take"]


def test_members_cannot_be_given_fandoms_without_the_role(make_user, admin):
    fandom = Tag.objects.create(name="Harbour Tales", type=TagType.FANDOM, canonical=True)
    with pytest.raises(ValidationError, match="not a tag wrangler"):
        wrangler_assign(actor=admin, wrangler=make_user(), fandom=fandom)
