"""A member's preferences page: reading preferences, profile text and e-mail address as
three forms on one page, with the member's invitations and API tokens beside them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from fanfold.accounts import emails, services
from fanfold.accounts.forms import BioForm, EmailChangeForm, ReadingPreferencesForm
from fanfold.accounts.views.signup import _send_verification
from fanfold.api.forms import TokenForm
from fanfold.api.selectors import api_tokens_of
from fanfold.invitations.selectors import member_invitations

PREFERENCE_FORMS = {"reading": ReadingPreferencesForm, "bio": BioForm, "email": EmailChangeForm}


@sensitive_post_parameters("password")
@never_cache
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Three independent forms on one page; the `section` field says which was sent, and
    only that one is bound, so the others keep showing what is saved."""
    forms = {name: form.for_user(request.user) for name, form in PREFERENCE_FORMS.items()}
    section = request.POST.get("section") if request.method == "POST" else None
    if section in forms:
        form = forms[section] = PREFERENCE_FORMS[section].for_user(request.user, request.POST)
        if form.is_valid():
            _save_preferences(request, section, form.cleaned_data)
            return redirect("accounts:preferences")
    left, given = member_invitations(request.user)
    context = {
        "forms": forms,
        "section": section,
        "invitations_left": left,
        "invitations_given": bool(given),
        "api_tokens": api_tokens_of(request.user),
        "api_token_form": TokenForm(),
    }
    return render(request, "accounts/preferences.html", context)


def _save_preferences(request: HttpRequest, section: str, data: dict) -> None:
    if section == "reading":
        services.user_update_preferences(user=request.user, **data)
        messages.success(request, _("Your preferences are saved."))
    elif section == "bio":
        services.user_update_bio(user=request.user, bio=data["bio"])
        messages.success(request, _("Your profile is saved."))
    else:
        _change_email(request, data["email"])


def _change_email(request: HttpRequest, email: str) -> None:
    user = request.user
    old_email = user.email
    if not services.user_change_email(user=user, email=email):
        messages.info(request, _("That is already the address on your account."))
        return
    messages.success(request, _("Your address is now {email}.").format(email=user.email))
    _send_verification(request, user)
    if old_email:
        emails.send_email_changed_notice(request, user, old_email)
