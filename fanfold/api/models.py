"""Personal API tokens: a member's key to their own lists and to members-only works.

Only a SHA-256 digest of each token is stored. Tokens are 256 random bits, so a fast
digest is enough (no password hasher's cost): nobody can guess one to match a leaked
digest, and the lookup by digest is one indexed query per request.
"""

from django.conf import settings
from django.db import models

NAME_MAX = 60
# A member needs one per device or program; a cap keeps the preferences page short.
TOKENS_MAX = 10


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=NAME_MAX)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The token's first characters, shown on the preferences page to tell tokens apart.
    prefix = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Written at most once an hour per token (see `fanfold.api.auth`).
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"API token {self.prefix}… of user {self.user_id}"
