"""Staff: the permission codenames (on a table-less model) and wranglers' fandoms."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fanfold.staff.roles import PERMISSIONS


class StaffAccess(models.Model):
    """Owns the staff permission codenames; it has no table.

    Django keys permissions by content type, so the codenames need a model to hang from;
    an unmanaged one gives them a stable home (`staff.<codename>`) without a table.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = list(PERMISSIONS.items())

    def __str__(self) -> str:
        return "staff permissions"


class WranglerAssignment(models.Model):
    """A fandom given to a wrangler. Fandoms nobody holds form the unassigned pool that
    any wrangler may work on."""

    wrangler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wrangler_assignments"
    )
    fandom = models.ForeignKey("tags.Tag", on_delete=models.CASCADE, related_name="wranglers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wrangler", "fandom"], name="staff_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fandom_id} → {self.wrangler_id}"
