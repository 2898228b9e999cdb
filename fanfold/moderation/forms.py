from django import forms

from fanfold.moderation.services import MESSAGE_MAX


class DecisionForm(forms.Form):
    message = forms.CharField(
        label="Message to the creators (optional)",
        required=False,
        max_length=MESSAGE_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent by e-mail and shown on the work to its creators, as plain text.",
    )
