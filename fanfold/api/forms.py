from django import forms

from fanfold.api.models import NAME_MAX


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=NAME_MAX,
        help_text="What will use it, e.g. “reading app on my phone”.",
    )
