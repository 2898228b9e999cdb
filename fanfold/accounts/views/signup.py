"""Signing up (open, confirmed, by invitation or closed, as the site settings say) and
confirming the e-mail address, whose link is also sent after an address change
(views.preferences).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from fanfold.accounts import emails, selectors, services
from fanfold.accounts.forms import SignupForm
from fanfold.accounts.models import User
from fanfold.accounts.tokens import InvalidToken, read_email_token
from fanfold.archive.lockdown import signup_refusal
from fanfold.archive.models import SignupMode, SiteSettings
from fanfold.audit.context import client_ip
from fanfold.sanctions.addresses import address_record

# Attempts allowed per window; explicit ratelimit groups, as in views.login.
SIGNUP_RATE_PER_IP = "5/h"
VERIFY_RESEND_RATE_PER_USER = "3/h"


@sensitive_post_parameters("password1", "password2")
@ratelimit(group="accounts.signup", key="ip", rate=SIGNUP_RATE_PER_IP, method="POST")
def signup(request: HttpRequest) -> HttpResponse:
    """Sign-up as the site settings have it: open, open with confirmation (the same form;
    the write gate waits for the address), by invitation, or closed."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    site = SiteSettings.current()
    refusal = signup_refusal(site)
    if refusal:
        status = 403 if request.method == "POST" else 200
        return render(request, "accounts/signup_closed.html", {"reason": refusal}, status=status)
    by_invitation = site.signup_mode == SignupMode.INVITE
    data = request.POST if request.method == "POST" else None
    initial = {"invitation": request.GET.get("invitation", "")}
    form = SignupForm(data, initial=initial, invitation_required=by_invitation)
    if form.is_bound and form.is_valid():
        user = _create_member(form)
        if user is not None:
            address_record(member=user, ip=client_ip(request), at_signup=True)
            auth_login(request, user)
            messages.success(
                request,
                _("Welcome to {site_name}, {username}!").format(
                    site_name=site.site_name, username=user.username
                ),
            )
            if not user.email_verified:
                _send_verification(request, user)
            return redirect(settings.LOGIN_REDIRECT_URL)
    status = 400 if form.is_bound and form.bot_refusal else 200
    context = {"form": form, "by_invitation": by_invitation}
    return render(request, "accounts/signup.html", context, status=status)


def _create_member(form: SignupForm) -> User | None:
    data = form.cleaned_data
    try:
        return services.user_sign_up(
            username=data["username"],
            email=data["email"],
            password=data["password1"],
            invitation=data.get("invitation", ""),
        )
    except ValidationError as error:
        form.add_error(None, error)
    except IntegrityError:
        # Someone took the name between the form's check and our insert.
        form.add_error("username", "That user name is taken.")
    return None


def _send_verification(request: HttpRequest, user: User) -> None:
    if emails.send_verification_email(request, user):
        messages.info(
            request,
            _(
                "We have sent a link to {email}. Open it within three days to confirm the address."
            ).format(email=user.email),
        )
    else:
        messages.warning(
            request,
            _(
                "We could not send the confirmation e-mail just now. You can ask for it again "
                "from your preferences."
            ),
        )


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = _user_from_token(token)
    except InvalidToken as error:
        context = {"reason": str(error)}
        return render(request, "accounts/verify_email_failed.html", context, status=400)
    messages.success(request, _("Thank you: {email} is confirmed.").format(email=user.email))
    if request.user.is_authenticated:
        return redirect("accounts:preferences")
    return redirect(settings.LOGIN_REDIRECT_URL)


def _user_from_token(token: str) -> User:
    claim = read_email_token(token)
    user = selectors.public_users().filter(pk=claim.user_id).first()
    if user is None:
        raise InvalidToken("This link is for an account that no longer exists.")
    try:
        return services.user_verify_email(user=user, email=claim.email)
    except ValidationError as error:
        raise InvalidToken(error.messages[0]) from error


@require_POST
@login_required
@ratelimit(
    group="accounts.verify_resend", key="user", rate=VERIFY_RESEND_RATE_PER_USER, method="POST"
)
def verify_email_resend(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.email:
        messages.error(request, _("Add an e-mail address first, then we can confirm it."))
    elif user.email_verified:
        messages.info(request, _("{email} is already confirmed.").format(email=user.email))
    else:
        _send_verification(request, user)
    return redirect("accounts:preferences")
