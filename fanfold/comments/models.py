"""Threaded comments on chapters (or on a whole work) or on news posts, and the inbox
that announces them. What differs between works and news lives in `targets.py`.

Threads are stored as a materialised path: a comment's `path` is its ancestors' ids and
its own, zero-padded, so ordering a thread by `path` lists it depth-first with replies in
the order they were written, in one indexed query and with no recursion.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fanfold.markup.fields import SanitizedHTMLField
from fanfold.markup.sanitize import Profile

PATH_WIDTH = 10
# Replies deeper than this are shown at this depth with an "in reply to" line.
DISPLAY_DEPTH = 5


class CommentStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    # Waiting for a creator's approval on a work with moderated comments.
    PENDING = "pending", _("Awaiting approval")


class HeldReason(models.TextChoices):
    """Why a comment waits for approval although its work's comments are not moderated
    (the spam defence; the thresholds are site settings)."""

    NEW_MEMBER = "new_member", _("One of a new member's first comments")
    LINKS = "links", _("A guest comment with many links")


class CommentQuerySet(models.QuerySet):
    def public(self) -> "CommentQuerySet":
        """What every reader sees: published and not hidden by staff. Deleted comments
        stay in the thread as placeholders and are handled by the template."""
        return self.filter(status=CommentStatus.PUBLISHED, hidden_by_admin=False)

    def counted(self) -> "CommentQuerySet":
        """What the work's comment counter counts."""
        return self.public().filter(deleted=False)


class Comment(models.Model):
    # Exactly one of `work` and `news_post` is set (a check constraint below).
    work = models.ForeignKey(
        "works.Work", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    news_post = models.ForeignKey(
        "news.NewsPost",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    # Null for comments left on the whole-work view.
    chapter = models.ForeignKey(
        "works.Chapter", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    path = models.CharField(max_length=255, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    pseud = models.ForeignKey(
        "accounts.Pseud", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    guest_name = models.CharField(max_length=60, blank=True)
    guest_email = models.EmailField(blank=True)
    body = models.TextField()
    body_html = SanitizedHTMLField(profile=Profile.COMMENT)
    # Set when written by one of the work's creators; shown as "Creator".
    by_creator = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.PUBLISHED
    )
    # Set when the spam defence held it; creators and staff hear of it only once approved.
    # A database default too: bulk writers naming their columns (the eFiction import)
    # need not know about it.
    held_reason = models.CharField(
        max_length=12, choices=HeldReason.choices, blank=True, default="", db_default=""
    )
    hidden_by_admin = models.BooleanField(default=False)
    # Why staff hid it; its writer sees this under the comment.
    hidden_reason = models.TextField(blank=True)
    # A deleted comment with replies stays as a placeholder so the thread holds together.
    deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["work", "chapter", "depth", "id"]),
            models.Index(fields=["thread", "path"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(work__isnull=False, news_post__isnull=True)
                    | models.Q(work__isnull=True, news_post__isnull=False)
                ),
                name="comments_comment_one_target",
            )
        ]

    def __str__(self) -> str:
        if self.news_post_id:
            return f"comment {self.pk} on news post {self.news_post_id}"
        return f"comment {self.pk} on work {self.work_id}"

    def get_absolute_url(self) -> str:
        return reverse("comments:detail", args=[self.pk])

    @property
    def target(self):
        """The work or news post this comment is on (for titles and links)."""
        return self.work if self.work_id else self.news_post

    @property
    def author_name(self) -> str:
        if self.pseud_id:
            return str(self.pseud)
        return self.guest_name or "Anonymous"

    @property
    def display_depth(self) -> int:
        return min(self.depth, DISPLAY_DEPTH)


class InboxItem(models.Model):
    """A notice that a comment arrived on one's work or in reply to one's comment."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    is_reply = models.BooleanField(default=False)
    read = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="comments_inbox_unique")
        ]
        indexes = [models.Index(fields=["user", "read", "-created_at"])]

    def __str__(self) -> str:
        return f"inbox {self.user_id}: {self.comment_id}"
