"""Forms on a member's staff record. They validate input; the services decide."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fanfold.sanctions.services import REASON_MAX

REASON_HELP = _("The member is told this reason, word for word.")


def _reason(label: str = _("Reason"), help_text: str = REASON_HELP) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WarnForm(forms.Form):
    reason = _reason()


class SuspendForm(forms.Form):
    until = forms.DateTimeField(
        label=_("Suspended until"),
        help_text=_("Date and time (site time zone). The suspension ends by itself then."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    reason = _reason()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        # A week from now, to the minute, is the usual choice.
        week = timezone.localtime() + datetime.timedelta(days=7)
        kwargs["initial"].setdefault("until", week.replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)

    def clean_until(self) -> datetime.datetime:
        until = self.cleaned_data["until"]
        if until <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."))
        return until


class BanForm(forms.Form):
    HIDE_CHOICES = [
        ("hide", _("Hide their works")),
        ("keep", _("Keep their works visible")),
    ]
    works = forms.ChoiceField(
        label=_("Their works"), choices=HIDE_CHOICES, widget=forms.RadioSelect, initial="keep"
    )
    reason = _reason()


class LiftForm(forms.Form):
    reason = _reason(
        _("Note (optional)"), _("Sent to the member with the news that it was lifted.")
    )
    reason.required = False


class CleanupForm(forms.Form):
    reason = _reason()
    confirm = forms.BooleanField(
        label=_("Yes, do this to everything the account posted"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Member"), max_length=200, required=False)
