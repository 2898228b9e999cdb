"""A member's private feed key: one secret opens their saved filters and subscriptions as
feeds, and the OPDS catalogue's personal shelves, in readers that cannot log in."""

from django.conf import settings
from django.db import models


class FeedKey(models.Model):
    """Only a digest of the secret is kept: a leaked database (or backup) cannot be used
    to read anyone's private feeds. The secret is random (32 bytes), so a plain SHA-256
    is enough; there is no password to guess slowly."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_key"
    )
    secret_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feed key of {self.user_id}"
