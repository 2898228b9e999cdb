from django import forms
from django.utils.translation import gettext_lazy as _

from fanfold.moderation.services import MESSAGE_MAX


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the creators (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent by e-mail and shown on the work to its creators, as plain text."),
    )
