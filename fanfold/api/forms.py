from django import forms
from django.utils.translation import gettext_lazy as _

from fanfold.api.models import NAME_MAX


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=NAME_MAX,
        help_text=_("What will use it, e.g. “reading app on my phone”."),
    )
