"""The audit trail: one row per staff action or security event, never edited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from fanfold.audit.messages import LABELS, NOTES, worded


class AuditEntryQuerySet(models.QuerySet):
    # The log is append-only from anywhere in the site: bulk changes are refused too.
    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """Who did what to which object, in which role, why, and what changed.

    Names and labels are copied at the time of the action, so the entry still reads
    right after the member is renamed or deleted (the foreign keys then become null).
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who acted (empty for the system or a guest).",
    )
    actor_name = models.CharField(max_length=60, blank=True)
    role = models.CharField(max_length=30, blank=True, help_text="The staff role acted in.")
    action = models.CharField(max_length=60, db_index=True)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    target_label = models.CharField(max_length=255, blank=True)
    # A label or reason the site wrote (not typed by a person) is kept as a code and its
    # values and worded in the reader's language (fanfold.audit.messages); target_label
    # and reason then hold its English wording.
    label_code = models.CharField(max_length=40, blank=True)
    note_code = models.CharField(max_length=40, blank=True)
    message_values = models.JSONField(default=dict, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member the action concerns.",
    )
    member_name = models.CharField(max_length=60, blank=True)
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["actor", "created_at"]),
            models.Index(fields=["member", "created_at"]),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name or 'system'} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")

    @property
    def label(self) -> str:
        """What the entry is about, in the active language where the site wrote it."""
        return worded(LABELS, self.label_code, self.message_values, self.target_label)

    @property
    def note(self) -> str:
        """The reason, in the active language where the site wrote it."""
        return worded(NOTES, self.note_code, self.message_values, self.reason)
