from django import forms
from django.utils.translation import gettext_lazy as _

from fanfold.bookmarks.models import NOTES_MAX
from fanfold.bookmarks.services import BookmarkFields, parse_tags


class BookmarkForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tags = forms.CharField(
        label=_("Your tags"),
        required=False,
        help_text=_("Separate tags with commas."),
        max_length=5000,
        widget=forms.TextInput(
            attrs={
                "data-autocomplete": "",
                "data-autocomplete-multiple": True,
                "spellcheck": "false",
            }
        ),
    )
    private = forms.BooleanField(label=_("Private bookmark (only you see it)"), required=False)
    rec = forms.BooleanField(label=_("Recommend this to others"), required=False)
    pseud = forms.ModelChoiceField(
        queryset=None, required=False, empty_label=None, label=_("Bookmark as")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pseud"].queryset = user.pseuds.all()
        if self.fields["pseud"].queryset.count() < 2:
            del self.fields["pseud"]

    def to_fields(self) -> BookmarkFields:
        data = self.cleaned_data
        return BookmarkFields(
            notes=data["notes"],
            tags=parse_tags(data["tags"]),
            private=data["private"],
            rec=data["rec"],
            pseud=data.get("pseud"),
        )

    @classmethod
    def initial_for(cls, bookmark) -> dict:
        return {
            "notes": bookmark.notes,
            "tags": ", ".join(bookmark.tag_names),
            "private": bookmark.private,
            "rec": bookmark.rec,
            "pseud": bookmark.pseud_id,
        }
