"""Writes for private feeds: issuing and revoking a member's feed key."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from fanfold.accounts.models import User
from fanfold.feeds.models import FeedKey


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def feed_key_issue(*, user: User) -> str:
    """A new secret for `user`'s private feeds, replacing (and so revoking) any earlier
    one. Returned once: only its digest is stored, so it cannot be shown again."""
    secret = secrets.token_urlsafe(32)
    FeedKey.objects.filter(user=user).delete()
    FeedKey.objects.create(user=user, secret_digest=secret_digest(secret))
    return secret


@transaction.atomic
def feed_key_revoke(*, user: User) -> bool:
    """Close `user`'s private feeds; whether there was a key to revoke."""
    deleted, _ = FeedKey.objects.filter(user=user).delete()
    return bool(deleted)
