"""Reports of abuse, the actions staff take on them, and the one appeal each action
allows.

A report names what it is about by kind and id (`targets.py` knows each kind) and keeps
a snapshot of it as it was when reported, so an edit or a deletion afterwards does not
erase the evidence. Reports about the same thing are handled together: the queue shows
one row per object, and closing it closes every open report on it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fanfold.markup import sanitize_html
from fanfold.reports import seeds

TEXT_MAX = 5000


class TargetKind(models.TextChoices):
    WORK = "work", _("Work")
    CHAPTER = "chapter", _("Chapter")
    # One catalogue per language serves every app, so words another app uses as a verb
    # ("Comment", "Bookmark") or a plural heading ("Series") carry a context of their own.
    COMMENT = "comment", pgettext_lazy("reported content", "Comment")
    BOOKMARK = "bookmark", pgettext_lazy("reported content", "Bookmark")
    SERIES = "series", pgettext_lazy("reported content", "Series")
    CHALLENGE = "challenge", _("Challenge")
    USER = "user", _("Profile")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ASSIGNED = "assigned", _("Assigned")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


CLOSED = (ReportStatus.RESOLVED, ReportStatus.DISMISSED)


class ReportReason(models.Model):
    """A reason a reporter can pick. Staff edit the list; a retired reason is kept for
    the reports that gave it."""

    label = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.shown_label

    @property
    def shown_label(self) -> str:
        return seeds.shown(self.label)

    @property
    def shown_description(self) -> str:
        return seeds.shown(self.description)


class Report(models.Model):
    kind = models.CharField(max_length=12, choices=TargetKind.choices)
    object_id = models.PositiveBigIntegerField()
    reason = models.ForeignKey(ReportReason, on_delete=models.PROTECT, related_name="reports")
    text = models.TextField(blank=True, max_length=TEXT_MAX)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_made",
    )
    # A guest's address, or the member's at the time: where the outcome goes.
    reporter_email = models.EmailField(blank=True)
    reporter_ip = models.GenericIPAddressField(null=True, blank=True)
    # The members responsible for the reported thing (a work's creators, a comment's
    # writer), as they were when it was reported.
    subjects = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reports_received"
    )
    # What the reported thing looked like: {"title", "authors", "url", "tags", "parts",
    # "facts"}; "parts" hold HTML that was sanitised when it was written.
    snapshot = models.JSONField(default=dict)
    label = models.CharField(max_length=255)
    url = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_assigned",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The one sentence the reporter was sent when it was closed.
    outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "object_id", "status"]),
            models.Index(fields=["status", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} on {self.kind} {self.object_id}"

    def get_absolute_url(self) -> str:
        return reverse("reports:group", args=[self.kind, self.object_id])

    @property
    def shown_snapshot(self) -> dict:
        """The snapshot for display. Its HTML was sanitised when first written, but a
        JSON column is no SanitizedHTMLField: it is sanitised again here, so the page
        never trusts stored markup it did not clean itself."""
        shown = dict(self.snapshot)
        shown["parts"] = [
            [name, sanitize_html(html or "")] for name, html in self.snapshot.get("parts", [])
        ]
        return shown

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED


class ActionKind(models.TextChoices):
    HIDE = "hide", _("Hide")
    REQUIRE_RATING = "require_rating", _("Require a re-rating")
    REQUIRE_TAGS = "require_tags", _("Require re-tagging")
    WARN = "warn", _("Warn the member")
    SUSPEND = "suspend", _("Suspend the member")
    BAN = "ban", _("Ban the member")


class ModerationAction(models.Model):
    """Something staff did about a reported object, taken from the queue: the record
    an appeal answers. The change itself is made (and audited) by the owning app."""

    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    target_kind = models.CharField(max_length=12, choices=TargetKind.choices)
    object_id = models.PositiveBigIntegerField()
    label = models.CharField(max_length=255)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(help_text=_("Shown to the member."))
    until = models.DateTimeField(null=True, blank=True)
    hide_works = models.BooleanField(default=False)
    # The sanction the member services made, for lifting it when an appeal is granted.
    sanction_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind} on {self.target_kind} {self.object_id}"


class Appeal(models.Model):
    """A member's one reply to an action taken on them or their content. It moves
    through the queue's statuses: resolved means granted (the action was undone),
    dismissed means the action stands."""

    action = models.OneToOneField(ModerationAction, on_delete=models.CASCADE, related_name="appeal")
    text = models.TextField(max_length=TEXT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The answer sent to the member.
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"appeal {self.pk} of action {self.action_id}"

    def get_absolute_url(self) -> str:
        return reverse("reports:appeal", args=[self.pk])

    @property
    def granted(self) -> bool:
        return self.status == ReportStatus.RESOLVED
