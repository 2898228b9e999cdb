from django.conf import settings
from django.db import models


class Reading(models.Model):
    """A member's reading of one work: visits, how far they got, and what they saw.

    `work_updated_at` is the work's update date at the last visit; a later update date
    on the work means "updated since you last read". `marked_for_later` rows exist even
    before a first visit (the reading list).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="readings"
    )
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="readings")
    first_visit = models.DateTimeField(null=True, blank=True)
    last_visit = models.DateTimeField(null=True, blank=True, db_index=True)
    visit_count = models.PositiveIntegerField(default=0)
    chapter_position = models.PositiveIntegerField(default=0)
    work_updated_at = models.DateTimeField(null=True, blank=True)
    marked_for_later = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="history_reading_unique")
        ]
        indexes = [models.Index(fields=["user", "-last_visit"])]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.work_id}"
