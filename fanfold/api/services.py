"""Writes for personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.api.models import NAME_MAX, TOKENS_MAX, ApiToken

# A recognisable prefix lets secret scanners and people tell a Fanfold token apart.
TOKEN_PREFIX = "ff_"  # noqa: S105 (a label, not a secret)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


@transaction.atomic
def api_token_create(*, user: User, name: str) -> NewToken:
    """A new token for `user`; the returned secret is the only copy there will be."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Give the token a name, such as the program that will use it."))
    if len(name) > NAME_MAX:
        raise ValidationError(
            _("A token's name can be at most {most} characters.").format(most=NAME_MAX)
        )
    # Locks the member's row, so two quick requests cannot both pass the cap.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.filter(user=user).count() >= TOKENS_MAX:
        raise ValidationError(
            _("You can have at most {most} tokens; revoke one first.").format(most=TOKENS_MAX)
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, digest=token_digest(secret), prefix=secret[:10]
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of `user`'s tokens at once; False when they have no such token."""
    deleted, _by_model = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)
