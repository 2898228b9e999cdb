"""Blocks and mutes between members.

A block stops the blocked member from interacting with the blocker (comments on their
works, replies to their comments, kudos). A mute only changes what the muter sees: the
muted member's works and comments are left out of the muter's pages and counts by the
queries themselves, not hidden with CSS.
"""

from django.conf import settings
from django.db import models

# AO3 caps blocks at 2,000; the same cap keeps the exclusion lists in queries small.
MAX_ENTRIES = 2000


class Block(models.Model):
    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="blocking_block_unique")
        ]
        indexes = [models.Index(fields=["blocked", "blocker"])]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Mute(models.Model):
    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes"
    )
    muted = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="blocking_mute_unique")
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} mutes {self.muted_id}"
