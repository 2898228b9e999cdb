"""Site-wide settings, edited in Django's admin."""

from django.core.cache import cache
from django.db import models

from fanfold.markup.fields import SanitizedHTMLField

CACHE_KEY = "archive:site-settings:v1"


class SiteSettings(models.Model):
    """A single row (pk=1). Read through `SiteSettings.current()`, which is cached."""

    site_name = models.CharField(max_length=100, default="Fanfold")
    tagline = models.CharField(max_length=200, blank=True, default="A fan fiction archive")
    disclaimer = models.TextField(
        blank=True,
        help_text="Shown at the end of every work. HTML is allowed and cleaned.",
    )
    disclaimer_html = SanitizedHTMLField()
    welcome = models.TextField(blank=True, help_text="Shown on the home page.")
    welcome_html = SanitizedHTMLField()
    guest_comments = models.BooleanField(
        "guests may comment",
        default=True,
        help_text="Turn off to stop all comments from visitors who are not logged in, "
        "whatever each work allows (for example during a spam wave).",
    )
    works_need_approval = models.BooleanField(
        "new works need approval",
        default=False,
        help_text="Hold every newly posted work in the moderation queue until staff approve it.",
    )
    # Bumped on every save; part of every cached page's key.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self) -> str:
        return "Site settings"

    def save(self, *args, **kwargs):
        from fanfold.markup import sanitize_html

        self.pk = 1
        self.version = (self.version or 0) + 1
        for field in ("disclaimer", "welcome"):
            setattr(self, f"{field}_html", sanitize_html(getattr(self, field)))
        super().save(*args, **kwargs)
        cache.delete(CACHE_KEY)

    @classmethod
    def make_pages_stale(cls) -> None:
        """Bump the version that every cached page's key carries, for a change shown on
        every page (the footer's links) that is not a settings field."""
        cls.objects.filter(pk=1).update(version=models.F("version") + 1)
        cache.delete(CACHE_KEY)

    @classmethod
    def current(cls, min_version: int = 0) -> "SiteSettings":
        """The settings row, from a short per-process cache. Pass the version a caller
        has just read from the database to be sure not to get an older copy."""
        settings_row = cache.get(CACHE_KEY)
        if settings_row is None or settings_row.version < min_version:
            settings_row, _ = cls.objects.get_or_create(pk=1)
            # Short timeout: with a per-process cache, other workers see an admin's change
            # within this many seconds.
            cache.set(CACHE_KEY, settings_row, 5)
        return settings_row
