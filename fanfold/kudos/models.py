from django.conf import settings
from django.db import models
from django.db.models import Q


class Kudos(models.Model):
    """One per member per work, or one per guest (address or session) per work.

    Both rules are unique constraints, so two clicks racing each other cannot both
    count: the second insert fails and is reported as "already left kudos".
    """

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kudos_given",
    )
    # A keyed hash of the guest's address; never the address itself.
    guest_key = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "kudos"
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"], condition=Q(user__isnull=False), name="kudos_member_once"
            ),
            models.UniqueConstraint(
                fields=["work", "guest_key"],
                condition=Q(user__isnull=True),
                name="kudos_guest_once",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(guest_key=""), name="kudos_has_giver"
            ),
        ]

    def __str__(self) -> str:
        return f"kudos on {self.work_id}"
