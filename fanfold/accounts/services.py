"""Writes for accounts."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import Pseud, User
from fanfold.audit.services import audit_record
from fanfold.invitations.services import invitation_redeem


def _validate_fields(user: User, names: list[str]) -> None:
    # Only the fields being written: an account imported with a name that today's rules
    # would refuse must still be able to save its preferences.
    others = [field.name for field in User._meta.fields if field.name not in names]
    user.clean_fields(exclude=others)


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
def user_sign_up(*, username: str, email: str, password: str, invitation: str = "") -> User:
    """A visitor's own sign-up; with an invitation token, it is used up in the same
    transaction, so a token that another sign-up took first leaves no account behind."""
    user = user_create(username=username, email=email, password=password)
    if invitation:
        invitation_redeem(token=invitation, user=user)
    return user


@transaction.atomic
def pseud_create(*, user: User, name: str, description: str = "") -> Pseud:
    """Add a pen name to `user`; names are unique per user, ignoring case."""
    pseud = Pseud(user=user, name=name.strip(), description=description)
    pseud.full_clean()
    pseud.save()
    return pseud


@transaction.atomic
def pseud_make_default(*, pseud: Pseud) -> Pseud:
    """Make `pseud` its owner's default, the one new works are credited to."""
    Pseud.objects.filter(user=pseud.user_id, is_default=True).update(is_default=False)
    pseud.is_default = True
    pseud.save(update_fields=["is_default"])
    return pseud


@transaction.atomic
def user_verify_email(*, user: User, email: str) -> User:
    """Mark `user`'s address as verified, if `email` (the address a link was sent to)
    is still the one on the account; otherwise raise ValidationError."""
    user = User.objects.select_for_update().get(pk=user.pk)
    # A link sent to an earlier address must not vouch for the current one.
    if not email or email.lower() != user.email.lower():
        raise ValidationError(
            _("This link was sent to an address that is no longer on the account.")
        )
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


@transaction.atomic
def user_change_email(*, user: User, email: str) -> bool:
    """Give `user` a new address, unverified until they follow the link sent to it.

    Returns False (and changes nothing) when the address is the one already on file."""
    email = User.objects.normalize_email(email.strip())
    if email == user.email:
        return False
    old = user.email
    user.email = email
    user.email_verified = False
    _validate_fields(user, ["email"])
    user.save(update_fields=["email", "email_verified"])
    # A changed address is how accounts are taken over: keep the old one on record.
    audit_record(
        action="email.change", actor=user, target=user, member=user, changes={"email": [old, email]}
    )
    return True


@transaction.atomic
def user_update_preferences(
    *,
    user: User,
    view_adult: bool,
    hide_warnings: bool,
    hide_freeform: bool,
    view_full_work: bool,
    theme: str,
    font_size: int,
    allow_cocreator: bool,
    history_enabled: bool = True,
    comment_emails: bool = True,
    subscription_emails: bool = True,
    language: str | None = None,
) -> User:
    """Save `user`'s reading and display preferences (`language`: a code from
    settings.LANGUAGES, "" for the archive's choice, None to leave it)."""
    if language is not None:
        user_set_language(user=user, language=language)
    values = {
        "history_enabled": history_enabled,
        "comment_emails": comment_emails,
        "subscription_emails": subscription_emails,
        "view_adult": view_adult,
        "hide_warnings": hide_warnings,
        "hide_freeform": hide_freeform,
        "view_full_work": view_full_work,
        "theme": theme,
        "font_size": font_size,
        "allow_cocreator": allow_cocreator,
    }
    for name, value in values.items():
        setattr(user, name, value)
    _validate_fields(user, list(values))
    user.save(update_fields=list(values))
    return user


def user_set_language(*, user: User, language: str) -> User:
    """Save the interface language `user` reads in ("" lets the archive choose)."""
    if language and language not in {code for code, _ in settings.LANGUAGES}:
        raise ValidationError({"language": _("Choose one of the archive's languages.")})
    user.language = language
    user.save(update_fields=["language"])
    return user


@transaction.atomic
def user_update_bio(*, user: User, bio: str) -> User:
    """Save `user`'s bio and the sanitised HTML that profiles show."""
    # Imported here so accounts does not load the markup stack at import time.
    from fanfold.markup import render_text

    user.bio = bio.strip()
    user.bio_html = render_text(user.bio, "html", field="bio")
    _validate_fields(user, ["bio"])
    user.save(update_fields=["bio", "bio_html"])
    return user


@transaction.atomic
def pseud_ensure_default(*, user: User) -> Pseud:
    """`user`'s default pseud, created (named like the account) if they have none yet.

    For accounts made outside `user_create`, such as in the admin."""
    pseud = user.pseuds.filter(is_default=True).first()
    if pseud is None:
        pseud = Pseud.objects.create(user=user, name=user.username, is_default=True)
    return pseud


@transaction.atomic
def pseud_update(*, pseud: Pseud, description: str) -> Pseud:
    """Change a pseud's description (names are fixed: they are in links to works)."""
    pseud.description = description.strip()
    pseud.full_clean()
    pseud.save(update_fields=["description"])
    return pseud


@transaction.atomic
def pseud_delete(*, pseud: Pseud) -> None:
    """Delete a pseud that is not the default and is credited on no work.

    Raises ValidationError otherwise."""
    # Locking the row makes a concurrent crediting of this pseud wait for us (and then
    # fail its foreign key) instead of being deleted along with it by the cascade.
    pseud = Pseud.objects.select_for_update().get(pk=pseud.pk)
    if pseud.is_default:
        raise ValidationError(
            _("Your default pseud cannot be deleted. Make another one the default first.")
        )
    if pseud.creatorships.exists():
        raise ValidationError(_("This pseud is credited on works, so it cannot be deleted."))
    pseud.delete()
