"""Accounts pages: signing up, logging in, passwords, preferences, profiles and pseuds.

Views stay thin: forms validate, services write, selectors read.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from fanfold.accounts import emails, selectors, services
from fanfold.accounts.devices import device_remember, recognised_device
from fanfold.accounts.forms import (
    BioForm,
    ChangePasswordForm,
    EmailChangeForm,
    LoginForm,
    NewPasswordForm,
    PseudDescriptionForm,
    PseudForm,
    ReadingPreferencesForm,
    ResetRequestForm,
    SignupForm,
)
from fanfold.accounts.models import Pseud, User
from fanfold.accounts.tokens import InvalidToken, read_email_token
from fanfold.api.forms import TokenForm
from fanfold.api.selectors import api_tokens_of
from fanfold.archive.lockdown import signup_refusal
from fanfold.archive.models import SignupMode, SiteSettings
from fanfold.archive.params import parse_text
from fanfold.audit.context import client_ip
from fanfold.audit.services import audit_record
from fanfold.invitations.selectors import member_invitations
from fanfold.sanctions.addresses import address_record

# Attempts allowed per window. Explicit groups, because every class-based view's
# as_view() function has the same qualified name and would otherwise share counters.
LOGIN_RATE_PER_IP = "10/5m"
LOGIN_RATE_PER_USERNAME = "5/5m"
SIGNUP_RATE_PER_IP = "5/h"
RESET_RATE_PER_IP = "5/h"
VERIFY_RESEND_RATE_PER_USER = "3/h"


def _login_attempt_key(group: str, request: HttpRequest) -> str:
    """Attempts count per user name, or per browser when it logged in as that member
    before, so others' wrong passwords cannot lock the member out of it."""
    # Logins ignore capitals, so "Wren" and "wren" must share one counter.
    username = request.POST.get("username", "").strip().lower()
    device = recognised_device(request, username) if username else None
    return f"device:{device}" if device else f"name:{username}"


# --- Logging in and out --------------------------------------------------------------


def _limit_login(view):
    """Count attempts (POSTs only) per address and per account name tried."""
    per_ip = ratelimit(group="accounts.login.ip", key="ip", rate=LOGIN_RATE_PER_IP, method="POST")
    per_name = ratelimit(
        group="accounts.login.username",
        key=_login_attempt_key,
        rate=LOGIN_RATE_PER_USERNAME,
        method="POST",
    )
    return per_ip(per_name(view))


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        # Django's view names its own "site" (the request's host, with no site_name),
        # which hid the archive's settings: the page said "Log in | " and " runs on
        # Fanfold." Without it, the context processor's SiteSettings shows through.
        context = super().get_context_data(**kwargs)
        context.pop("site", None)
        context.pop("site_name", None)
        return context

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        device_remember(response, user=form.get_user())
        return response


login_view = _limit_login(LoginView.as_view())


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are logged out. See you soon."))
        return response


# --- Signing up and confirming the address -------------------------------------------


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


# --- Passwords -----------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = ResetRequestForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: ResetRequestForm) -> HttpResponse:
        # Sign the mail with the archive's name rather than its host name.
        self.extra_email_context = {"site_name": SiteSettings.current().site_name}
        return super().form_valid(form)


password_reset = ratelimit(
    group="accounts.password_reset", key="ip", rate=RESET_RATE_PER_IP, method="POST"
)(PasswordResetView.as_view())

password_reset_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_sent.html"
)


def _audit_password(user: User, how: str) -> None:
    audit_record(action=f"password.{how}", actor=user, target=user, member=user)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            _audit_password(form.user, "reset")
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("accounts:preferences")
    success_message = _(
        "Your password is changed. Anywhere else you were logged in will ask for the new one."
    )

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            _audit_password(form.user, "change")
        return response


# --- Preferences ---------------------------------------------------------------------

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


# --- Profiles and pseuds -------------------------------------------------------------


def profile(request: HttpRequest, username: str) -> HttpResponse:
    owner = get_object_or_404(selectors.public_users(), username__iexact=username)
    context = {
        "owner": owner,
        "pseuds": owner.pseuds.all(),
        "can_manage": selectors.user_can_manage(actor=request.user, owner=owner),
    }
    if request.user.is_authenticated and request.user.pk != owner.pk:
        from fanfold.blocking.models import Block, Mute
        from fanfold.subscriptions.models import Subscription

        context["blocked"] = Block.objects.filter(blocker=request.user, blocked=owner).exists()
        context["muted"] = Mute.objects.filter(muter=request.user, muted=owner).exists()
        context["subscription"] = Subscription.objects.filter(
            user=request.user, creator=owner
        ).first()
    return render(request, "accounts/profile.html", context)


def pseud_list(request: HttpRequest, username: str) -> HttpResponse:
    """A member's pseuds; for the owner (or staff) also the form to add one."""
    owner = get_object_or_404(selectors.public_users(), username__iexact=username)
    can_manage = selectors.user_can_manage(actor=request.user, owner=owner)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = None
    if can_manage:
        form = PseudForm(request.POST if request.method == "POST" else None, user=owner)
        pseud = _create_pseud(form, owner) if form.is_bound and form.is_valid() else None
        if pseud is not None:
            messages.success(request, _("The pseud “{name}” is ready.").format(name=pseud.name))
            return redirect(pseud)
    context = {"owner": owner, "pseuds": owner.pseuds.all(), "can_manage": can_manage}
    return render(request, "accounts/pseud_list.html", {**context, "form": form})


def _create_pseud(form: PseudForm, owner: User) -> Pseud | None:
    try:
        return services.pseud_create(user=owner, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
    except IntegrityError:
        form.add_error("name", "You already have a pseud with that name.")
    return None


def pseud_detail(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    pseud_obj = _get_pseud(username, pseud)
    context = {
        "pseud": pseud_obj,
        "owner": pseud_obj.user,
        "can_manage": selectors.user_can_manage(actor=request.user, owner=pseud_obj.user),
    }
    return render(request, "accounts/pseud.html", context)


def _get_pseud(username: str, name: str) -> Pseud:
    return get_object_or_404(
        selectors.public_pseuds(), user__username__iexact=username, name__iexact=name
    )


def _managed_pseud(request: HttpRequest, username: str, name: str) -> Pseud:
    """The pseud, if the visitor may change it: 404 when unknown, 403 when not theirs."""
    pseud = _get_pseud(username, name)
    if not selectors.user_can_manage(actor=request.user, owner=pseud.user):
        raise PermissionDenied
    return pseud


@login_required
def pseud_edit(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    pseud_obj = _managed_pseud(request, username, pseud)
    data = request.POST if request.method == "POST" else None
    form = PseudDescriptionForm.for_pseud(pseud_obj, data)
    if form.is_bound and form.is_valid():
        services.pseud_update(pseud=pseud_obj, description=form.cleaned_data["description"])
        messages.success(request, _("The description is saved."))
        return redirect(pseud_obj)
    return render(request, "accounts/pseud_edit.html", {"pseud": pseud_obj, "form": form})


@require_POST
@login_required
def pseud_default(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    pseud_obj = _managed_pseud(request, username, pseud)
    services.pseud_make_default(pseud=pseud_obj)
    messages.success(
        request, _("New works will now be credited to “{name}”.").format(name=pseud_obj.name)
    )
    return redirect("accounts:pseuds", pseud_obj.user.username)


@login_required
def pseud_delete(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    pseud_obj = _managed_pseud(request, username, pseud)
    if request.method != "POST":
        has_works = pseud_obj.creatorships.exists()
        context = {"pseud": pseud_obj, "has_works": has_works}
        return render(request, "accounts/pseud_delete.html", context)
    try:
        services.pseud_delete(pseud=pseud_obj)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(pseud_obj)
    messages.success(request, _("The pseud “{name}” is deleted.").format(name=pseud_obj.name))
    return redirect("accounts:pseuds", pseud_obj.user.username)


def authors(request: HttpRequest) -> HttpResponse:
    """Members with works the visitor may read, by letter (eFiction's authors.php)."""
    raw = request.GET.get("letter", "").lower()
    letter = raw if len(raw) == 1 and raw.isascii() and raw.isalpha() else ""
    members = selectors.authors_list(viewer=request.user, letter=letter)
    page = Paginator(members, settings.AUTHORS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/authors.html",
        {"page": page, "letter": letter, "letters": "abcdefghijklmnopqrstuvwxyz"},
    )


PEOPLE_PER_PAGE = 50


def people_search(request: HttpRequest) -> HttpResponse:
    """Pen names and account names holding the words searched for."""
    query = parse_text(request.GET.get("q"))
    pseuds = selectors.people_search(query=query, viewer=selectors.signed_in(request.user))
    page = Paginator(pseuds, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {"q": query, "page": page, "searched": bool(query)}
    return render(request, "accounts/people_search.html", context)
