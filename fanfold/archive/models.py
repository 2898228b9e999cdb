"""Site-wide settings, edited by staff on /staff/settings (and in Django's admin)."""

from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fanfold.markup.fields import SanitizedHTMLField

CACHE_KEY = "archive:site-settings:v1"
# Shown wherever the site names itself when staff (or an imported archive) left the name
# empty: a title "Log in | " and a footer " runs on Fanfold." read as broken.
DEFAULT_SITE_NAME = "Fanfold"
# The switches staff with the `lockdown` permission flip (see fanfold.archive.lockdown).
LOCKDOWN_FIELDS = ("guests_paused", "read_only")
# The row as this request has read it (a one-item list), None outside a request: a page
# asks for it several times (its language, the banners, the layout), and every read from
# the cache is a fresh unpickled copy (or, with Redis, a round trip). Opened and closed
# by `request_scope_begin` and `request_scope_end` (connected in fanfold.archive.apps).
_this_request: ContextVar[list | None] = ContextVar("site_settings_this_request", default=None)


def request_scope_begin(**kwargs) -> None:
    _this_request.set([])


def request_scope_end(**kwargs) -> None:
    _this_request.set(None)


def _forget_for_this_request() -> None:
    if seen := _this_request.get():
        seen.clear()


class SignupMode(models.TextChoices):
    OPEN = "open", _("Open: anyone may sign up")
    CONFIRM = (
        "confirm",
        _("Open, but new members confirm their e-mail before posting or commenting"),
    )
    INVITE = "invite", _("By invitation: visitors ask for one, staff or members send them")
    CLOSED = "closed", _("Closed: nobody can sign up")


class SiteSettings(models.Model):
    """A single row (pk=1). Read through `SiteSettings.current()`, which is cached."""

    site_name = models.CharField(max_length=100, default=DEFAULT_SITE_NAME)
    tagline = models.CharField(max_length=200, blank=True, default="A fan fiction archive")
    disclaimer = models.TextField(
        blank=True,
        help_text=_("Shown at the end of every work. HTML is allowed and cleaned."),
    )
    disclaimer_html = SanitizedHTMLField()
    welcome = models.TextField(blank=True, help_text=_("Shown on the home page."))
    welcome_html = SanitizedHTMLField()
    guest_comments = models.BooleanField(
        _("guests may comment"),
        default=True,
        help_text=_(
            "Turn off to stop all comments from visitors who are not logged in, "
            "whatever each work allows (for example during a spam wave)."
        ),
    )
    works_need_approval = models.BooleanField(
        _("new works need approval"),
        default=False,
        help_text=_("Hold every newly posted work in the moderation queue until staff approve it."),
    )
    signup_mode = models.CharField(
        _("sign-up"), max_length=10, choices=SignupMode.choices, default=SignupMode.OPEN
    )
    guests_paused = models.BooleanField(
        _("pause sign-ups, guest comments and guest kudos"),
        default=False,
        help_text=_("For a spam wave: members carry on as usual."),
    )
    read_only = models.BooleanField(
        _("read-only (maintenance)"),
        default=False,
        help_text=_("Nobody but staff can change anything; every page says so."),
    )
    held_first_comments = models.PositiveSmallIntegerField(
        _("hold new members' first comments"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "A member's comments wait for approval until this many of theirs have "
            "been published (0: never held)."
        ),
    )
    guest_link_limit = models.PositiveSmallIntegerField(
        _("most links in a guest comment"),
        null=True,
        blank=True,
        default=2,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "A guest comment with more links than this waits for approval (empty: no limit)."
        ),
    )
    invitations_per_day = models.PositiveSmallIntegerField(
        _("invitations sent automatically per day"),
        default=0,
        validators=[MaxValueValidator(10_000)],
        help_text=_(
            "With sign-up by invitation, the oldest requests get this many a day "
            "without staff (0: staff send them)."
        ),
    )
    default_language = models.CharField(
        _("default language"),
        max_length=10,
        # No model choices: they would make every newly shipped language a migration.
        # The settings form offers settings.LANGUAGES.
        default="en",
        help_text=_("The interface language for visitors who have not chosen one."),
    )
    follow_browser_language = models.BooleanField(
        _("follow the browser's language"),
        default=True,
        help_text=_(
            "Visitors who have not chosen a language get their browser's first "
            "language the archive speaks; the default language otherwise."
        ),
    )
    # Bumped on every save; part of every cached page's key.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

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
        _forget_for_this_request()

    @classmethod
    def make_pages_stale(cls) -> None:
        """Bump the version that every cached page's key carries, for a change shown on
        every page (the footer's links) that is not a settings field."""
        cls.objects.filter(pk=1).update(version=models.F("version") + 1)
        cache.delete(CACHE_KEY)
        _forget_for_this_request()

    @classmethod
    def current(cls, min_version: int = 0) -> "SiteSettings":
        """The settings row, from a short per-process cache. Pass the version a caller
        has just read from the database to be sure not to get an older copy. Within a
        request every call returns the same copy (read once)."""
        seen = _this_request.get()
        if seen and seen[0].version >= min_version:
            return seen[0]
        settings_row = cache.get(CACHE_KEY)
        if settings_row is None or settings_row.version < min_version:
            settings_row, _ = cls.objects.get_or_create(pk=1)
            settings_row.site_name = settings_row.site_name.strip() or DEFAULT_SITE_NAME
            # Short timeout: with a per-process cache, other workers see an admin's change
            # within this many seconds.
            cache.set(CACHE_KEY, settings_row, settings.SITE_SETTINGS_CACHE_SECONDS)
        if seen is not None:
            seen[:] = [settings_row]
        return settings_row
