from django import forms
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.archive.forms import BotTrapMixin
from fanfold.invitations.services import MEMBER_GIFT_MAX

EMAIL_ERRORS = {"invalid": _("That does not look like an e-mail address; check it for typos.")}


class InvitationRequestForm(BotTrapMixin):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        error_messages=EMAIL_ERRORS,
        help_text=_("We send the invitation here, and use it for nothing else."),
    )


class InviteSomeoneForm(forms.Form):
    email = forms.EmailField(label=_("Their e-mail address"), error_messages=EMAIL_ERRORS)


class GiveInvitationsForm(forms.Form):
    username = forms.CharField(label=_("Member"), max_length=40)
    count = forms.IntegerField(
        label=_("Invitations"), min_value=1, max_value=MEMBER_GIFT_MAX, initial=3
    )

    def clean_username(self) -> User:
        name = self.cleaned_data["username"].strip()
        member = User.objects.filter(username__iexact=name, is_active=True).first()
        if member is None:
            raise forms.ValidationError(_("There is no member called “{name}”.").format(name=name))
        return member


class OldestForm(forms.Form):
    oldest = forms.IntegerField(
        label=_("Invite the oldest"), min_value=1, max_value=500, initial=10
    )
