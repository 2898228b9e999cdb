from django import forms
from django.utils.translation import gettext_lazy as _

from fanfold.archive.forms import BotTrapMixin
from fanfold.archive.params import MAX_ID
from fanfold.comments.services import BODY_MAX, NAME_MAX


class CommentForm(BotTrapMixin):
    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=BODY_MAX,
        help_text=_("Plain text or simple HTML (b, i, em, strong, a, blockquote, p, br)."),
    )
    guest_name = forms.CharField(label=_("Name"), max_length=NAME_MAX, required=False)
    guest_email = forms.EmailField(
        label=_("E-mail (never shown)"),
        required=False,
        help_text=_("Only the archive's staff see it."),
    )
    chapter = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_ID
    )

    def __init__(self, *args, guest: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.guest = guest
        if guest:
            self.fields["guest_name"].required = True
            self.fields["guest_email"].required = True
        else:
            del self.fields["guest_name"]
            del self.fields["guest_email"]


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 6}), max_length=BODY_MAX
    )
