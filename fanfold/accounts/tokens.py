"""Signed links that prove a member can read mail sent to their address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.utils.translation import gettext as _

from fanfold.accounts.models import User

VERIFY_EMAIL_SALT = "fanfold.accounts.verify-email"
VERIFY_EMAIL_MAX_AGE = timedelta(days=3)


class InvalidToken(Exception):
    """The link cannot be used; `str(error)` says why, in words for the member."""


@dataclass(frozen=True)
class EmailClaim:
    user_id: int
    email: str


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=VERIFY_EMAIL_SALT)


def make_email_token(user: User) -> str:
    """A token for `user`'s current address. The address is part of the signed value,
    so changing it makes links sent to the old one useless."""
    return _signer().sign_object({"u": user.pk, "e": user.email}, compress=True)


def read_email_token(token: str) -> EmailClaim:
    """What a token vouches for, or InvalidToken if it is forged, damaged or too old."""
    try:
        data = _signer().unsign_object(token, max_age=VERIFY_EMAIL_MAX_AGE)
    except signing.SignatureExpired as error:
        raise InvalidToken(
            _("This link has expired. Verification links work for three days.")
        ) from error
    except (signing.BadSignature, ValueError) as error:
        raise InvalidToken(
            _("This link is not valid. It may have been cut short when it was copied.")
        ) from error
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise InvalidToken(_("This link is not valid."))
    return EmailClaim(user_id=data["u"], email=str(data.get("e", "")))
