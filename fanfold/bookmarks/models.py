from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from fanfold.markup.fields import SanitizedHTMLField
from fanfold.markup.sanitize import Profile

NOTES_MAX = 5000
TAGS_MAX = 75  # per bookmark


class BookmarkQuerySet(models.QuerySet):
    def public(self) -> "BookmarkQuerySet":
        """Bookmarks anyone but their owner may see, and the work's bookmark count
        counts: not private, not hidden by staff."""
        return self.filter(private=False, hidden_by_admin=False)


class Bookmark(models.Model):
    """A member's bookmark of a work or a series, with their own notes and tags."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    pseud = models.ForeignKey("accounts.Pseud", on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey(
        "works.Work", null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    series = models.ForeignKey(
        "works.Series", null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    notes = models.TextField(blank=True, max_length=NOTES_MAX)
    notes_html = SanitizedHTMLField(profile=Profile.COMMENT)
    # The bookmarker's own tags, kept apart from the archive's wrangled tags. Stored as
    # "\x1f"-separated casefolded keys for search plus the display names.
    tag_names = models.JSONField(default=list, blank=True)
    tag_keys = models.TextField(blank=True, default="")
    private = models.BooleanField(default=False)
    rec = models.BooleanField("recommendation", default=False)
    # Hidden by staff: gone from every public list and count; its owner sees why.
    hidden_by_admin = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookmarkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "work"], condition=Q(work__isnull=False), name="bookmark_work_once"
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=Q(series__isnull=False),
                name="bookmark_series_once",
            ),
            models.CheckConstraint(
                condition=Q(work__isnull=False, series__isnull=True)
                | Q(work__isnull=True, series__isnull=False),
                name="bookmark_one_target",
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"bookmark {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("bookmarks:edit", args=[self.pk])

    @property
    def counted(self) -> bool:
        """Whether the work's bookmark count includes this one (see `public()`)."""
        return not self.private and not self.hidden_by_admin

    @property
    def target(self):
        return self.work if self.work_id else self.series
