"""Sanctions on members (warnings, suspensions, bans), clean-ups of spam accounts, and
the addresses members were seen at."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SanctionKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    SUSPENSION = "suspension", _("Suspension")
    BAN = "ban", _("Ban")


class SanctionQuerySet(models.QuerySet):
    def active(self, now=None) -> SanctionQuerySet:
        """In force now: not lifted and, for a suspension, not yet over. A suspension
        ends by itself at `until`, with no job to run: this is the only test of it."""
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True).exclude(
            kind=SanctionKind.SUSPENSION, until__lte=now
        )


class Sanction(models.Model):
    """One warning, suspension or ban, who gave it and why, and its lifting."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=12, choices=SanctionKind.choices)
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Suspensions only: the moment it ends.
    until = models.DateTimeField(null=True, blank=True)
    # Bans only: whether the member's works were hidden, and which ones the ban hid (works
    # hidden before stay hidden when it is lifted).
    hide_works = models.BooleanField(default=False)
    hidden_work_ids = models.JSONField(default=list, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lift_reason = models.TextField(blank=True)

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "kind", "lifted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=SanctionKind.SUSPENSION) | Q(until__isnull=False),
                name="sanction_suspension_has_end",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.member_id}"

    def is_active(self, now=None) -> bool:
        if self.lifted_at is not None:
            return False
        if self.kind == SanctionKind.SUSPENSION:
            return self.until is not None and self.until > (now or timezone.now())
        return True


class CleanupKind(models.TextChoices):
    HIDE_ALL = "hide_all", _("Hide everything by this account")
    SPAM = "spam", _("Delete spam account")


class Cleanup(models.Model):
    """Everything one clean-up hid, so a restore puts back exactly that. A spam
    clean-up also bans the account; after CLEANUP_RESTORE_DAYS `purge_cleanups` deletes
    the account and what it wrote for good."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cleanups",
    )
    member_name = models.CharField(max_length=60)
    kind = models.CharField(max_length=10, choices=CleanupKind.choices)
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # {"works": [ids], "comments": [ids], "bookmarks": [ids]}
    hidden = models.JSONField(default=dict, blank=True)
    ban = models.ForeignKey(
        Sanction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restored_at = models.DateTimeField(null=True, blank=True)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member_name}"


class MemberAddress(models.Model):
    """An address a member signed up, logged in or wrote from: one row per (member,
    address), with when it was first and last seen. Rows not seen for
    MEMBER_ADDRESS_DAYS are deleted by `purge_member_addresses`."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    ip = models.GenericIPAddressField()
    at_signup = models.BooleanField(default=False)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-last_seen"]
        constraints = [models.UniqueConstraint(fields=["member", "ip"], name="member_address_once")]
        indexes = [models.Index(fields=["ip"])]

    def __str__(self) -> str:
        return f"{self.member_id} at {self.ip}"
