"""Pages the archive's staff write: About, FAQ, Contact, Rules, Terms and any others."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from fanfold.markup import TextFormat
from fanfold.markup.fields import SanitizedHTMLField

TITLE_MAX = 200
SLUG_MAX = 100
BODY_MAX = 200_000
# Sign-up links to these, so they can be edited but not renamed or deleted.
RULES, TERMS = "rules", "terms"
REQUIRED_SLUGS = frozenset({RULES, TERMS})
# Words the page URLs use themselves.
RESERVED_SLUGS = frozenset({"new"})


class PageQuerySet(models.QuerySet):
    def in_footer(self) -> PageQuerySet:
        return self.filter(show_in_footer=True).order_by("order", "title")


class Page(models.Model):
    title = models.CharField(max_length=TITLE_MAX)
    slug = models.SlugField(max_length=SLUG_MAX, unique=True)
    body = models.TextField(blank=True)
    body_html = SanitizedHTMLField()
    text_format = models.CharField(
        max_length=10, choices=TextFormat.choices(), default=TextFormat.HTML
    )
    show_in_footer = models.BooleanField(default=True)
    # Footer position, smallest first; ties go by title.
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:detail", args=[self.slug])

    @property
    def required(self) -> bool:
        return self.slug in REQUIRED_SLUGS
