"""Accounts: users, their pseuds (pen names) and reading preferences."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from fanfold.markup.fields import SanitizedHTMLField

NAME_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9_][A-Za-z0-9_ .-]*$",
    "Use letters, numbers, spaces, dots, dashes and underscores; start with a letter, "
    "number or underscore.",
)


class Theme(models.TextChoices):
    AUTO = "auto", _("Follow my device")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")
    SEPIA = "sepia", _("Sepia")


FONT_SIZES = [(size, f"{size}%") for size in (80, 90, 100, 115, 130, 150, 175)]


class FanfoldUserManager(UserManager):
    def get_by_natural_key(self, username: str | None):
        # Logins are case-insensitive, as eFiction pen names were.
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A member. Reading preferences live here so a page needs no extra query for them."""

    username = models.CharField(
        "user name",
        max_length=40,
        unique=True,
        validators=[NAME_VALIDATOR],
        error_messages={"unique": _("That user name is taken.")},
    )
    email = models.EmailField("e-mail address", blank=True)
    email_verified = models.BooleanField(default=False)
    bio = models.TextField(blank=True, max_length=5000)
    bio_html = SanitizedHTMLField()
    # Preferences.
    view_adult = models.BooleanField("show adult works without the warning page", default=False)
    hide_warnings = models.BooleanField("hide archive warnings (reveal on click)", default=False)
    hide_freeform = models.BooleanField("hide additional tags (reveal on click)", default=False)
    view_full_work = models.BooleanField("show whole works by default", default=False)
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.AUTO)
    # Empty: the archive chooses (the visitor's cookie, the browser, the site's default).
    # No model choices, so shipping a language needs no migration; the form offers them.
    language = models.CharField("interface language", max_length=10, blank=True, default="")
    font_size = models.PositiveSmallIntegerField(choices=FONT_SIZES, default=100)
    allow_cocreator = models.BooleanField("allow others to invite me as co-creator", default=True)
    history_enabled = models.BooleanField("keep my reading history", default=True)
    comment_emails = models.BooleanField("e-mail me about comments on my works", default=True)
    subscription_emails = models.BooleanField(
        "e-mail me about new chapters and works I subscribe to", default=True
    )
    # Set by staff (or carried over from eFiction's "validated" author flag): this
    # member's new works skip the moderation queue.
    trusted_author = models.BooleanField(default=False)
    # Raised by a ban: sessions signed before it stay dead even once the ban is lifted.
    # At 0 the session hash is Django's own, so no session ended when this was added.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[FanfoldUserManager] = FanfoldUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique")
        ]

    def get_absolute_url(self) -> str:
        return reverse("accounts:user", args=[self.username])

    def _get_session_auth_hash(self, secret=None):
        # Django's hook behind get_session_auth_hash() and its SECRET_KEY_FALLBACKS
        # variant: every request compares the session's copy with this. (django-stubs
        # leave the private hook out, hence the ignore.)
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        return salted_hmac(
            "fanfold.accounts.User.session",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def default_pseud(self) -> "Pseud":
        return self.pseuds.get(is_default=True)


class Pseud(models.Model):
    """A pen name. Works are credited to pseuds; every user has exactly one default."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pseuds")
    name = models.CharField(max_length=40, validators=[NAME_VALIDATOR])
    is_default = models.BooleanField(default=False)
    description = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="accounts_pseud_name_ci_unique"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="accounts_pseud_one_default",
            ),
        ]

    def __str__(self) -> str:
        if self.name.lower() == self.user.username.lower():
            return self.name
        return f"{self.name} ({self.user.username})"

    def get_absolute_url(self) -> str:
        return reverse("accounts:pseud", args=[self.user.username, self.name])


class MemberSession(AbstractBaseSession):
    """A browser's session, with the member it is signed in as beside the signed data.

    The column lets one query load a session and its member together
    (fanfold.accounts.middleware); the signed data stays the authority, and the member
    it names is checked against this column on every load.
    """

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    @classmethod
    def get_session_store_class(cls):
        # Imported here: the store module imports this model.
        from fanfold.accounts.sessions.db import SessionStore

        return SessionStore
