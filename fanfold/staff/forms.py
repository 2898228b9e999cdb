from django import forms
from django.utils.translation import gettext_lazy as _

from fanfold.audit.models import AuditEntry
from fanfold.staff.roles import Role


class MemberRolesForm(forms.Form):
    username = forms.CharField(label=_("Member's user name"), max_length=40)
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Roles"),
    )
    reason = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason")
    )


class AssignFandomForm(forms.Form):
    wrangler = forms.CharField(label=_("Wrangler's user name"), max_length=40)
    fandom = forms.CharField(label=_("Fandom"), max_length=150)


class TakeFandomForm(forms.Form):
    fandom = forms.CharField(label=_("Fandom"), max_length=150)


class AuditFilterForm(forms.Form):
    member = forms.CharField(label=_("Member concerned"), max_length=40, required=False)
    actor = forms.CharField(label=_("Staff member"), max_length=40, required=False)
    action = forms.CharField(
        label=_("Action"),
        max_length=60,
        required=False,
        help_text=_("A whole action (work.hide) or its first part (work)."),
    )
    target_type = forms.CharField(label=_("Object type"), max_length=40, required=False)
    target_id = forms.CharField(label=_("Object id"), max_length=40, required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data


AUDIT_TARGET_TYPE_MAX = AuditEntry._meta.get_field("target_type").max_length
