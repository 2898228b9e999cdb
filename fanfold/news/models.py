"""News posts written by the archive's staff, shown on /news, the home page and a feed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from fanfold.markup import TextFormat
from fanfold.markup.fields import SanitizedHTMLField
from fanfold.news.permissions import can_post_news

TITLE_MAX = 200
BODY_MAX = 100_000


class NewsPostQuerySet(models.QuerySet):
    """Visibility of news in one place: the list, a post's page, the home page, the feed
    and the comments on a post all ask these."""

    def published(self) -> NewsPostQuerySet:
        return self.filter(published=True)

    def visible_to(self, viewer: Any) -> NewsPostQuerySet:
        """Published posts for everyone; drafts too for those who may write news."""
        return self if can_post_news(viewer) else self.published()

    def newest_first(self) -> NewsPostQuerySet:
        # Drafts (never published) first, for the staff who are still writing them.
        return self.order_by(models.F("published_at").desc(nulls_first=True), "-pk")


class NewsPost(models.Model):
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField()
    body_html = SanitizedHTMLField()
    text_format = models.CharField(
        max_length=10, choices=TextFormat.choices(), default=TextFormat.HTML
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news_posts",
    )
    published = models.BooleanField(default=False)
    # Set the first time the post is published and kept after, so unpublishing to fix
    # a typo does not move it to the top of the list.
    published_at = models.DateTimeField(null=True, blank=True)
    comments_enabled = models.BooleanField(default=True)
    # Published, unhidden, undeleted comments; moved by the comment services.
    comment_count = models.PositiveIntegerField(default=0)
    # Not auto_now: an eFiction import keeps the old posts' dates.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["published", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", args=[self.pk])

    @property
    def author_name(self) -> str:
        return self.author.username if self.author_id and self.author else "The archive's staff"
