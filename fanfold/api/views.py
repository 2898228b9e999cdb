"""Creating and revoking personal API tokens, from the member's preferences page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fanfold.accounts.models import User
from fanfold.api import services
from fanfold.api.forms import TokenForm

PREFERENCES_SECTION = "accounts:preferences"


def _member(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required let only members through
    return request.user


def _back() -> HttpResponse:
    return redirect(reverse(PREFERENCES_SECTION) + "#api-tokens")


@require_POST
@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    """Shows the new token on this response only: it is never stored, nor put in a
    message or the session, so the page after a redirect could not show it."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the token a name of at most 60 characters."))
        return _back()
    try:
        created = services.api_token_create(user=_member(request), name=form.cleaned_data["name"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return _back()
    response = render(request, "api/token_created.html", {"created": created})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if services.api_token_revoke(user=_member(request), token_id=token_id):
        messages.success(request, _("The token is revoked: programs using it are refused now."))
    else:
        messages.error(request, _("You have no such token (already revoked?)."))
    return _back()
