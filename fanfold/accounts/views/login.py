"""Logging in and out, with the login form's limits on attempts per address and per
account name (or per browser the member logged in from before).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_ratelimit.decorators import ratelimit

from fanfold.accounts.devices import device_remember, recognised_device
from fanfold.accounts.forms import LoginForm

# Attempts allowed per window. Explicit groups, because every class-based view's
# as_view() function has the same qualified name and would otherwise share counters.
LOGIN_RATE_PER_IP = "10/5m"
LOGIN_RATE_PER_USERNAME = "5/5m"


def _login_attempt_key(group: str, request: HttpRequest) -> str:
    """Attempts count per user name, or per browser when it logged in as that member
    before, so others' wrong passwords cannot lock the member out of it."""
    # Logins ignore capitals, so "Wren" and "wren" must share one counter.
    username = request.POST.get("username", "").strip().lower()
    device = recognised_device(request, username) if username else None
    return f"device:{device}" if device else f"name:{username}"


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
