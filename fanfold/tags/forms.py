"""Forms for the staff wrangling pages. They only read input; the rules live in
services, whose ValidationErrors the views attach back onto these forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fanfold.tags.models import FIXED_TYPES, NAME_MAX, TagType

# Types a tag can be moved to, or the queue filtered by: the fixed ones never need it.
WRANGLED_TYPES = [(value, label) for value, label in TagType.choices if value not in FIXED_TYPES]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("unwrangled", _("Unwrangled")),
            ("canonical", _("Canonical")),
            ("synonyms", _("Synonyms")),
        ],
        required=False,
    )
    fandom = forms.CharField(label=_("Fandom"), max_length=NAME_MAX, required=False)
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Any type")), *WRANGLED_TYPES], required=False
    )


class RenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=NAME_MAX)


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Make it a synonym of"),
        max_length=NAME_MAX,
        help_text=_("The name of a canonical tag of the same type."),
        widget=forms.TextInput(attrs={"data-autocomplete": "", "spellcheck": "false"}),
    )


class ParentsForm(forms.Form):
    names = forms.CharField(
        label=_("Add parent tags"),
        max_length=2000,
        help_text=_(
            "Canonical tags, separated by commas: metatags of the same type, or the "
            "fandom of a character, relationship or free-form tag."
        ),
        widget=forms.TextInput(
            attrs={
                "data-autocomplete": "",
                "data-autocomplete-multiple": True,
                "spellcheck": "false",
            }
        ),
    )


class TypeForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=WRANGLED_TYPES)
