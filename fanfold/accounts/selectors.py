"""Reads for accounts."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from fanfold.accounts.models import Pseud, User


def username_taken(username: str) -> bool:
    """Whether an account already has this name, whatever its capitalisation."""
    return User.objects.filter(username__iexact=username).exists()


def pseud_name_taken(*, user: User, name: str) -> bool:
    return user.pseuds.filter(name__iexact=name).exists()


def user_can_manage(*, actor: User | AnonymousUser, owner: User) -> bool:
    """Whether `actor` may change `owner`'s pseuds: the owner themself, or staff."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    return actor.pk == owner.pk or actor.is_staff


def public_users():
    """Accounts that have a public profile; closed accounts look like unknown ones."""
    return User.objects.filter(is_active=True)


def public_pseuds():
    return Pseud.objects.select_related("user").filter(user__is_active=True)
