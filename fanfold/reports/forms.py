from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.archive.forms import BotTrapMixin
from fanfold.reports.actions import ActionFields
from fanfold.reports.models import TEXT_MAX, ActionKind, ReportReason
from fanfold.reports.outcomes import MEMBER_ACTIONS


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when it has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ReportForm(BotTrapMixin):
    reason = forms.ModelChoiceField(
        queryset=ReportReason.objects.filter(active=True),
        empty_label=None,
        widget=forms.RadioSelect,
        label=_("What is wrong?"),
    )
    text = forms.CharField(
        label=_("Tell us more"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_MAX,
        required=False,
        help_text=_("Where in the text, what it copies, who it targets: whatever helps us check."),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_(
            "We write to you when we have looked into it. The member you report never sees it."
        ),
    )

    def __init__(self, *args, guest: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if guest:
            self.fields["email"].required = True
        else:
            del self.fields["email"]


class ActionForm(forms.Form):
    """One action's form on a reported object's page; fields depend on the action."""

    reason = forms.CharField(
        label=_("Reason (the member reads this)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
    )
    member = forms.ModelChoiceField(queryset=None, empty_label=None, label=_("Member"))
    until = forms.DateField(
        label=_("Suspended until"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    hide_works = forms.BooleanField(label=_("Also hide their works"), required=False)
    close = forms.BooleanField(
        label=_("Close the open reports on this and tell the reporters"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, kind: str, subjects: list, **kwargs):
        kwargs.setdefault("prefix", kind)
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind in MEMBER_ACTIONS:
            self.fields["member"].queryset = User.objects.filter(pk__in=[u.pk for u in subjects])
        else:
            del self.fields["member"]
        if kind == ActionKind.SUSPEND:
            self.fields["until"].required = True
        else:
            del self.fields["until"]
        if kind != ActionKind.BAN:
            del self.fields["hide_works"]

    @property
    def label(self) -> str:
        return ActionKind(self.kind).label

    def clean_until(self) -> datetime.datetime | None:
        day = self.cleaned_data.get("until")
        if day is None:
            return None
        # The suspension ends as that day begins, in the archive's time zone.
        until = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        if until <= timezone.now():
            raise forms.ValidationError(_("Choose a day in the future."))
        return until

    def to_fields(self) -> ActionFields:
        data = self.cleaned_data
        return ActionFields(
            kind=self.kind,
            reason=data["reason"],
            member=data.get("member"),
            until=data.get("until"),
            hide_works=data.get("hide_works", False),
            close=data.get("close", False),
        )


class DismissForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the record (reporters get the standard sentence)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_MAX,
        required=False,
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message to the reporter"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX,
    )


class ReasonForm(forms.Form):
    label = forms.CharField(label=_("Reason"), max_length=100)
    description = forms.CharField(
        label=_("Explanation for reporters"), max_length=300, required=False
    )
    position = forms.IntegerField(
        label=_("Position in the list"), min_value=0, max_value=1000, initial=0
    )
    active = forms.BooleanField(label=_("Offered to reporters"), required=False, initial=True)

    @classmethod
    def initial_for(cls, reason: ReportReason) -> dict:
        return {
            "label": reason.label,
            "description": reason.description,
            "position": reason.position,
            "active": reason.active,
        }


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Your appeal"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=TEXT_MAX,
        help_text=_("You can appeal once. Say what you think the moderators got wrong."),
    )


class AppealDecisionForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer (the member reads this)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX,
    )
