"""Passwords: asking for a reset link, setting a new password from it, and changing it
while logged in. Django's own views, with the archive's templates and forms, an audit
entry for each change, and a limit on reset requests.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_ratelimit.decorators import ratelimit

from fanfold.accounts.forms import ChangePasswordForm, NewPasswordForm, ResetRequestForm
from fanfold.accounts.models import User
from fanfold.archive.models import SiteSettings
from fanfold.audit.services import audit_record

# Attempts allowed per window; an explicit ratelimit group, as in views.login.
RESET_RATE_PER_IP = "5/h"


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
