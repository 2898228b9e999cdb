"""Subscriptions and the notices they produce.

Posting a chapter or a work writes `Notice` rows in the same transaction as the post, so
a crash cannot post without notifying or notify without posting. A background task
(Django's tasks framework, database-backed queue) sends what is pending in batches: one
e-mail per subscriber per batch, listing every new chapter and work.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Subscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    work = models.ForeignKey(
        "works.Work", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    series = models.ForeignKey(
        "works.Series", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscribers",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "work"], condition=Q(work__isnull=False), name="sub_work_once"
            ),
            models.UniqueConstraint(
                fields=["user", "series"], condition=Q(series__isnull=False), name="sub_series_once"
            ),
            models.UniqueConstraint(
                fields=["user", "creator"],
                condition=Q(creator__isnull=False),
                name="sub_creator_once",
            ),
            models.CheckConstraint(
                condition=(
                    Q(work__isnull=False, series__isnull=True, creator__isnull=True)
                    | Q(work__isnull=True, series__isnull=False, creator__isnull=True)
                    | Q(work__isnull=True, series__isnull=True, creator__isnull=False)
                ),
                name="sub_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"subscription {self.pk}"

    @property
    def target(self):
        return self.work or self.series or self.creator


class NoticeKind(models.TextChoices):
    CHAPTER = "chapter", _("New chapter")
    WORK = "work", _("New work")


class Notice(models.Model):
    """One thing to tell one subscriber. Sent (and stamped) by the batch task."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="+")
    # For a new work, its first chapter.
    chapter = models.ForeignKey("works.Chapter", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set when the batch found the work no longer visible to the subscriber.
    dropped = models.BooleanField(default=False)

    class Meta:
        constraints = [
            # One notice per subscriber per chapter (or work), whatever the number of
            # subscriptions that lead to it (work + author + series).
            models.UniqueConstraint(fields=["user", "work", "chapter", "kind"], name="notice_once"),
        ]
        indexes = [models.Index(fields=["sent_at", "user"])]

    def __str__(self) -> str:
        return f"notice {self.pk}"
