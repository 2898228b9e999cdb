"""Helpers shared by the site's forms, and what every public form has against bots: a
honeypot and a time trap.

Form-stuffing bots fill every field they see (the honeypot, hidden from people by CSS)
and post the moment they have the page. A person needs a few seconds at least, so each
form carries a signed stamp of when it was shown; a post sooner than FORM_MIN_SECONDS
after it, without a stamp, with a forged one or with one older than a day, is refused
with a message, and the form comes back with what was typed and a new stamp.

Guests' reading pages come from the shared page cache; their stamp is rendered as
STAMP_PLACEHOLDER and filled in per visitor (fanfold.works.pagecache), like the CSRF
token, so a cached page never hands out an old stamp.
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from fanfold.archive.models import LOCKDOWN_FIELDS, SiteSettings


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each message on its field when the
    form has one, on the whole form otherwise. The form then re-renders what was typed."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


STAMP_SALT = "fanfold.archive.form-stamp"
STAMP_MAX_AGE = 24 * 60 * 60
# A stamp from a clock a little ahead (another app server) is still fine.
STAMP_CLOCK_SKEW = 60
STAMP_PLACEHOLDER = "~fanfold-form-stamp~"

HONEYPOT_MESSAGE = "This looks automated, so it was not sent. Leave the last field empty."
TOO_FAST_MESSAGE = (
    "That was sent faster than a person can fill in the form. Check it and send it again."
)
EXPIRED_MESSAGE = "This form was open for more than a day. Check it and send it again."
BROKEN_MESSAGE = (
    "This form could not be checked (it may have come from an old copy of the page). "
    "Check it and send it again."
)


def form_stamp(now: float | None = None) -> str:
    """A signed note of when a form was shown."""
    moment = int(time.time() if now is None else now)
    return signing.Signer(salt=STAMP_SALT).sign(str(moment))


def stamp_problem(stamp: str, now: float | None = None) -> str | None:
    """Why a form sent with `stamp` is refused, or None when a person could have sent it."""
    now = time.time() if now is None else now
    try:
        shown = int(signing.Signer(salt=STAMP_SALT).unsign(stamp))
    except (signing.BadSignature, ValueError):
        return BROKEN_MESSAGE
    age = now - shown
    if age < -STAMP_CLOCK_SKEW:
        return BROKEN_MESSAGE
    if age > STAMP_MAX_AGE:
        return EXPIRED_MESSAGE
    if age < settings.FORM_MIN_SECONDS:
        return TOO_FAST_MESSAGE
    return None


class BotTrapMixin(forms.Form):
    """Base for a public form: adds the honeypot and the time trap. Templates render them
    with `{% include "_bot_trap.html" %}` (the form in `form`)."""

    website = forms.CharField(required=False, label=_("Leave this empty"))
    form_stamp = forms.CharField(required=False, widget=forms.HiddenInput)

    bot_refusal: str | None = None

    def new_stamp(self) -> str:
        # Every rendering gets a fresh stamp: a form sent back after a refusal starts
        # its few seconds again, and an expired one becomes usable.
        return form_stamp()

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            self.bot_refusal = HONEYPOT_MESSAGE
        else:
            self.bot_refusal = stamp_problem(cleaned.get("form_stamp") or "")
        if self.bot_refusal:
            self.add_error(None, self.bot_refusal)
        return cleaned


# --- staff forms ------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "site_name",
    "tagline",
    "welcome",
    "disclaimer",
    "default_language",
    "follow_browser_language",
    "signup_mode",
    "invitations_per_day",
    "held_first_comments",
    "guest_link_limit",
    "guest_comments",
    "works_need_approval",
    *LOCKDOWN_FIELDS,
)


def _bounded(field, **kwargs):
    """A model field's form field, with the model's upper limit as the form's own (so a
    huge number is a form error, and the input says its maximum)."""
    limits = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    if limits:
        kwargs.setdefault("max_value", min(limits))
    return field.formfield(**kwargs)


class SiteSettingsForm(forms.ModelForm):
    default_language = forms.ChoiceField(
        label=_("Default language"),
        choices=settings.LANGUAGES,
        help_text=_("The interface language for visitors who have not chosen one."),
        required=False,
    )

    def clean_default_language(self) -> str:
        # Left out of a post (an older form, a script): keep what is saved.
        return self.cleaned_data["default_language"] or self.instance.default_language

    class Meta:
        formfield_callback = _bounded
        model = SiteSettings
        fields = SETTINGS_FIELDS
        widgets = {
            "welcome": forms.Textarea(attrs={"rows": 4}),
            "disclaimer": forms.Textarea(attrs={"rows": 3}),
        }


class LockdownForm(forms.Form):
    guests_paused = forms.BooleanField(
        required=False, label=SiteSettings._meta.get_field("guests_paused").verbose_name
    )
    read_only = forms.BooleanField(
        required=False, label=SiteSettings._meta.get_field("read_only").verbose_name
    )
    reason = forms.CharField(required=False, max_length=500, label=_("Why (for the audit log)"))
