"""Writes for accounts."""

from __future__ import annotations

from django.db import transaction

from fanfold.accounts.models import Pseud, User


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str | None,
    is_staff: bool = False,
    is_superuser: bool = False,
    email_verified: bool = False,
) -> User:
    """Create a member with their default pseud (named like the account)."""
    user = User(
        username=username,
        email=email,
        is_staff=is_staff or is_superuser,
        is_superuser=is_superuser,
        email_verified=email_verified,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    Pseud.objects.create(user=user, name=username, is_default=True)
    return user


@transaction.atomic
def pseud_create(*, user: User, name: str, description: str = "") -> Pseud:
    pseud = Pseud(user=user, name=name.strip(), description=description)
    pseud.full_clean()
    pseud.save()
    return pseud


@transaction.atomic
def pseud_make_default(*, pseud: Pseud) -> Pseud:
    Pseud.objects.filter(user=pseud.user_id, is_default=True).update(is_default=False)
    pseud.is_default = True
    pseud.save(update_fields=["is_default"])
    return pseud
