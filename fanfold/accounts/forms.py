"""Forms for accounts. They validate; the services in services.py write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.language import in_language_of
from fanfold.accounts.models import FONT_SIZES, NAME_VALIDATOR, Pseud, Theme, User
from fanfold.accounts.selectors import pseud_name_taken, username_taken
from fanfold.archive.forms import BotTrapMixin
from fanfold.invitations.services import invitation_problem
from fanfold.sanctions.selectors import active_ban

NAME_HELP = _("Up to 40 letters, numbers, spaces, dots, dashes and underscores.")
STRENGTH_HELP = _(
    "At least 8 characters. Not all numbers, not a common password, and not too much like "
    "your user name or e-mail address."
)
MISMATCH_ERROR = _("The two passwords are different.")
EMAIL_ERRORS = {"invalid": _("That does not look like an e-mail address; check it for typos.")}


def _password_input(autocomplete: str) -> forms.PasswordInput:
    # render_value stays off: a password is never sent back in a re-rendered form.
    return forms.PasswordInput(attrs={"autocomplete": autocomplete})


class SignupForm(BotTrapMixin):
    username = forms.CharField(
        label=_("User name"),
        max_length=40,
        validators=[NAME_VALIDATOR],
        help_text=format_lazy(
            "{} {}", NAME_HELP, _("Others will see it; you can add other pen names later.")
        ),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages=EMAIL_ERRORS,
        help_text=_("We send a link here to confirm it. It is never shown to other members."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=_password_input("new-password"),
        help_text=STRENGTH_HELP,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=_password_input("new-password"),
        help_text=_("The same password, to catch typing mistakes."),
    )
    invitation = forms.CharField(
        label=_("Invitation code"),
        required=False,
        max_length=64,
        help_text=_("From the link in your invitation e-mail."),
    )

    def __init__(self, *args, invitation_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation_required = invitation_required
        if invitation_required:
            self.fields["invitation"].required = True
        else:
            del self.fields["invitation"]

    def clean_invitation(self) -> str:
        token = self.cleaned_data["invitation"].strip()
        problem = invitation_problem(token)
        if problem:
            raise forms.ValidationError(problem)
        return token

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if username_taken(username):
            raise forms.ValidationError(_("That user name is taken."))
        return username

    def clean(self) -> dict:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", MISMATCH_ERROR)
        elif first:
            # Validators such as "too similar to the user name" need the would-be user.
            candidate = User(username=cleaned.get("username", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "That user name and password do not match. Capitals in the user name do "
            "not matter; in the password they do."
        ),
        "inactive": _("This account has been closed."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")

    def clean(self) -> dict:
        try:
            return super().clean()
        except forms.ValidationError:
            banned = self._ban_reason()
            if banned is not None:
                raise forms.ValidationError(banned, code="banned") from None
            raise

    def _ban_reason(self) -> str | None:
        """For the right password of a banned account: say so instead of "wrong
        password" (Django refuses inactive accounts before telling them apart). A wrong
        password learns nothing about the account."""
        name = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        user = User.objects.filter(username__iexact=name, is_active=False).first()
        if user is None or not user.check_password(password):
            return None
        ban = active_ban(user)
        if ban is None:
            return None
        return _(
            "This account is banned, so it cannot log in. The moderators' reason: {reason}"
        ).format(reason=ban.reason)


class ResetRequestForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].help_text = _("The address on your account.")

    def send_mail(self, *args, **kwargs) -> None:
        # Written to the account holder, who may read another language than whoever
        # typed the address in.
        context = kwargs.get("context", args[2] if len(args) > 2 else {})
        with in_language_of(context.get("user")):
            super().send_mail(*args, **kwargs)


def _label_new_passwords(form: SetPasswordForm) -> None:
    form.fields["new_password1"].label = _("New password")
    form.fields["new_password1"].help_text = STRENGTH_HELP
    form.fields["new_password2"].label = _("New password again")
    form.fields["new_password2"].help_text = _("The same password, to catch typing mistakes.")


class NewPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": MISMATCH_ERROR}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_new_passwords(self)


class ChangePasswordForm(PasswordChangeForm):
    error_messages = {
        "password_mismatch": MISMATCH_ERROR,
        "password_incorrect": _("That is not your current password."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        _label_new_passwords(self)


class ReadingPreferencesForm(forms.Form):
    view_adult = forms.BooleanField(
        required=False,
        label=_("Show adult works without asking first"),
        help_text=_("Skips the notice shown before works rated Mature, Explicit or not rated."),
    )
    hide_warnings = forms.BooleanField(
        required=False, label=_("Hide archive warnings until I choose to see them")
    )
    hide_freeform = forms.BooleanField(
        required=False, label=_("Hide additional tags until I choose to see them")
    )
    view_full_work = forms.BooleanField(
        required=False, label=_("Open works in full rather than one chapter at a time")
    )
    theme = forms.ChoiceField(label=_("Colours"), choices=Theme.choices)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        # Language names in their own language, so a reader lost in a foreign interface
        # still finds theirs.
        choices=[("", _("The archive's choice (browser or site default)")), *settings.LANGUAGES],
    )
    font_size = forms.TypedChoiceField(label=_("Text size"), choices=FONT_SIZES, coerce=int)
    allow_cocreator = forms.BooleanField(
        required=False,
        label=_("Let other members invite me as a co-creator of their works"),
        help_text=_("You are only credited once you accept an invitation."),
    )
    history_enabled = forms.BooleanField(
        required=False,
        label=_("Keep my reading history"),
        help_text=_("Shows what you read and marks works updated since. Off records nothing."),
    )
    comment_emails = forms.BooleanField(
        required=False, label=_("E-mail me about comments on my works and replies to my comments")
    )
    subscription_emails = forms.BooleanField(
        required=False,
        label=_("E-mail me about new chapters and works I subscribe to"),
        help_text=_("Off keeps your subscriptions as a list without sending mail."),
    )

    @classmethod
    def for_user(cls, user: User, data=None) -> ReadingPreferencesForm:
        initial = {name: getattr(user, name) for name in cls.base_fields}
        return cls(data, initial=initial)


class BioForm(forms.Form):
    bio = forms.CharField(
        label=_("About you"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Shown on your profile. Plain text or HTML; a blank line starts a new paragraph."
        ),
    )

    @classmethod
    def for_user(cls, user: User, data=None) -> BioForm:
        return cls(data, initial={"bio": user.bio})


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New e-mail address"),
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=_password_input("current-password"),
        help_text=_("Needed so that nobody else at your keyboard can take over the account."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    @classmethod
    def for_user(cls, user: User, data=None) -> EmailChangeForm:
        return cls(data, user=user, initial={"email": user.email})

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your current password."))
        return password


class PseudForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=40, validators=[NAME_VALIDATOR], help_text=NAME_HELP
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the pseud's page. Plain text."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if pseud_name_taken(user=self.user, name=name):
            raise forms.ValidationError(_("You already have a pseud with that name."))
        return name


class PseudDescriptionForm(forms.Form):
    description = PseudForm.base_fields["description"]

    @classmethod
    def for_pseud(cls, pseud: Pseud, data=None) -> PseudDescriptionForm:
        return cls(data, initial={"description": pseud.description})
