"""Staff writes: role groups, members' roles and wranglers' fandoms. Each change is
checked against the actor's permissions and written to the audit log in the same
transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.audit.services import audit_record
from fanfold.staff.models import StaffAccess, WranglerAssignment
from fanfold.staff.permissions import has_perm, require_perm, roles_of
from fanfold.staff.roles import PERMISSIONS, ROLE_PERMISSIONS, Role
from fanfold.tags.models import Tag, TagType


def role_groups_sync() -> None:
    """Create the role groups and give each exactly the permissions `roles.py` lists."""
    content_type = ContentType.objects.get_for_model(StaffAccess, for_concrete_model=False)
    perms = {}
    for codename, name in PERMISSIONS.items():
        perm, _created = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        perms[codename] = perm
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set([perms[c] for c in sorted(codenames)])


def role_groups_sync_on_migrate(**kwargs: Any) -> None:
    role_groups_sync()


def _administrators_left(excluding: User) -> bool:
    admins = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR.value)
    )
    return admins.exclude(pk=excluding.pk).exists()


@transaction.atomic
def member_roles_set(
    *, actor: User | None, member: User, roles: Iterable[Role], reason: str = ""
) -> User:
    """Give `member` exactly `roles`. Only administrators may, or the system itself
    (`actor=None`: commands such as an import); the last administrator cannot give up the
    role (the archive would have nobody to run it)."""
    if actor is not None:
        require_perm(actor, "manage_roles", _("Only administrators can change staff roles."))
    wanted = {Role(role) for role in roles}
    before = roles_of(member)
    if before == wanted:
        return member
    if (
        Role.ADMINISTRATOR in before
        and Role.ADMINISTRATOR not in wanted
        and not member.is_superuser
        and not _administrators_left(member)
    ):
        raise ValidationError(_("The archive needs at least one administrator."))
    groups = Group.objects.filter(name__in=[role.value for role in wanted])
    member.groups.remove(*Group.objects.filter(name__in=Role.values))
    member.groups.add(*groups)
    # `is_staff` keeps meaning "holds some staff role": it opens staff pages' links and the
    # Django admin, where each model still asks for its own permission.
    member.is_staff = bool(wanted) or member.is_superuser
    member.save(update_fields=["is_staff"])
    for cache in ("_staff_roles", "_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        member.__dict__.pop(cache, None)
    audit_record(
        action="role.change",
        actor=actor,
        perm="manage_roles",
        target=member,
        member=member,
        reason=reason,
        changes={"roles": [sorted(r.value for r in before), sorted(r.value for r in wanted)]},
    )
    return member


def _check_fandom(fandom: Tag) -> None:
    if fandom.type != TagType.FANDOM or fandom.merger_id:
        raise ValidationError(_("“{fandom}” is not a canonical fandom.").format(fandom=fandom.name))


@transaction.atomic
def wrangler_assign(*, actor: User | None, wrangler: User, fandom: Tag) -> WranglerAssignment:
    """Give `fandom` to `wrangler`. Administrators assign anyone, and so does the system
    (`actor=None`: an import); a wrangler may take a fandom from the unassigned pool."""
    _check_fandom(fandom)
    if not has_perm(wrangler, "wrangle_tags"):
        raise ValidationError(
            _("{username} is not a tag wrangler.").format(username=wrangler.username)
        )
    taking = actor is not None and actor.pk == wrangler.pk and not has_perm(actor, "manage_roles")
    if taking:
        if WranglerAssignment.objects.filter(fandom=fandom).exists():
            raise PermissionDenied(
                _("“{fandom}” is already held by another wrangler.").format(fandom=fandom.name)
            )
    elif actor is not None:
        require_perm(actor, "manage_roles", _("Only administrators can assign fandoms."))
    assignment, created = WranglerAssignment.objects.get_or_create(wrangler=wrangler, fandom=fandom)
    if created:
        audit_record(
            action="wrangler.take" if taking else "wrangler.assign",
            actor=actor,
            perm="wrangle_tags" if taking else "manage_roles",
            target=fandom,
            member=wrangler,
        )
    return assignment


@transaction.atomic
def wrangler_unassign(*, actor: User, wrangler: User, fandom: Tag) -> None:
    """Take `fandom` from `wrangler` (administrators), or give it back (the wrangler)."""
    if actor.pk != wrangler.pk:
        require_perm(actor, "manage_roles", _("Only administrators can take fandoms away."))
    deleted, _kinds = WranglerAssignment.objects.filter(wrangler=wrangler, fandom=fandom).delete()
    if deleted:
        audit_record(
            action="wrangler.unassign",
            actor=actor,
            perm="manage_roles" if actor.pk != wrangler.pk else "wrangle_tags",
            target=fandom,
            member=wrangler,
        )
