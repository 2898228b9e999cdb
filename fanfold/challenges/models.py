"""Challenges and prompts a work can respond to (eFiction's challenges module)."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from fanfold.markup.fields import SanitizedHTMLField


class Challenge(models.Model):
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True, max_length=5000)
    summary_html = SanitizedHTMLField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges",
    )
    # Who set the challenge, as written (eFiction kept a free-text name beside the account).
    challenger_name = models.CharField(max_length=200, blank=True)
    fandoms = models.ManyToManyField("tags.Tag", blank=True, related_name="challenges")
    characters = models.ManyToManyField("tags.Tag", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("challenges:detail", args=[self.pk])
