"""Tags: one table for every kind, with canonical forms, synonyms and parents."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fanfold.markup.fields import SanitizedHTMLField
from fanfold.tags.querysets import TagQuerySet


class TagType(models.TextChoices):
    RATING = "rating", _("Rating")
    WARNING = "warning", _("Archive Warning")
    CATEGORY = "category", _("Category")
    FANDOM = "fandom", _("Fandom")
    RELATIONSHIP = "relationship", _("Relationship")
    CHARACTER = "character", _("Character")
    FREEFORM = "freeform", _("Additional Tags")


# Ratings, warnings and categories are a fixed, admin-editable set: authors pick from it.
FIXED_TYPES = frozenset({TagType.RATING, TagType.WARNING, TagType.CATEGORY})
# The order tag groups appear in on works and blurbs.
DISPLAY_ORDER = [
    TagType.RATING,
    TagType.WARNING,
    TagType.CATEGORY,
    TagType.FANDOM,
    TagType.RELATIONSHIP,
    TagType.CHARACTER,
    TagType.FREEFORM,
]
NAME_MAX = 150


def tag_key(name: str) -> str:
    """The case-insensitive identity of a tag name ("Buffy" and "buffy" are one tag)."""
    return " ".join(name.split()).casefold()


class Tag(models.Model):
    name = models.CharField(max_length=NAME_MAX)
    # Unique, indexed casefolded name: a portable case-insensitive unique key that both
    # SQLite and PostgreSQL can use in an index lookup.
    key = models.CharField(max_length=NAME_MAX, unique=True, editable=False)
    type = models.CharField(max_length=16, choices=TagType.choices, db_index=True)
    canonical = models.BooleanField(default=False)
    merger = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="synonyms",
        help_text=_("The canonical tag this one is a synonym of."),
    )
    parents = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="children",
        help_text=_("Fandoms of a character or relationship, or metatags of a tag."),
    )
    # For ratings: the adult gate and eFiction's per-rating warning/age consent.
    adult = models.BooleanField(default=False)
    warning_text = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)
    symbol = models.CharField(
        max_length=8, blank=True, help_text=_("Short label for the blurb symbols, e.g. 'E'.")
    )
    # What a fandom is about or who a character is (an eFiction category's description
    # or character's bio), shown on the tag's page; written with tag_set_description.
    description = models.TextField(blank=True)
    description_html = SanitizedHTMLField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        indexes = [models.Index(fields=["type", "canonical", "key"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.key = tag_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tags:detail", args=[self.url_name])

    def get_works_url(self) -> str:
        return reverse("tags:works", args=[self.url_name])

    @property
    def url_name(self) -> str:
        # AO3 escapes '/' in tag URLs as '*s*' so relationship tags fit in one path segment.
        return (
            self.name.replace("/", "*s*")
            .replace("&", "*a*")
            .replace(".", "*d*")
            .replace("?", "*q*")
            .replace("#", "*h*")
        )

    @staticmethod
    def name_from_url(url_name: str) -> str:
        return (
            url_name.replace("*s*", "/")
            .replace("*a*", "&")
            .replace("*d*", ".")
            .replace("*q*", "?")
            .replace("*h*", "#")
        )
