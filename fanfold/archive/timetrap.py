"""A time trap for public forms: the form carries the signed time it was shown, and a
form sent back sooner than a person could fill it in is refused (bots post at once).

A form adds `TimeTrapMixin` and renders its hidden `started` field; an invalid form
re-rendered keeps the original time, so sending it again a moment later passes.
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing

SALT = "fanfold.timetrap"
# Old enough to be a replayed page rather than a person still typing.
MAX_AGE_SECONDS = 24 * 60 * 60


def timetrap_stamp(now: float | None = None) -> str:
    return signing.dumps(time.time() if now is None else now, salt=SALT)


class TimeTrapMixin(forms.Form):
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["started"].initial = timetrap_stamp()

    def clean_started(self) -> str:
        value = self.cleaned_data.get("started", "")
        try:
            shown = float(signing.loads(value, salt=SALT, max_age=MAX_AGE_SECONDS))
        except (signing.BadSignature, TypeError, ValueError):
            # The re-rendered form gets a fresh time, so the next try can pass.
            data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict
            data[self.add_prefix("started")] = timetrap_stamp()
            self.data = data
            raise forms.ValidationError(
                "This form has expired or was not sent from our page; please send it again."
            ) from None
        if time.time() - shown < settings.FORM_MIN_SECONDS:
            raise forms.ValidationError(
                "That was sent faster than a person can fill in the form; wait a moment "
                "and send it again."
            )
        return value
