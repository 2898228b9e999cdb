"""Public pages: reporting something, and appealing an action from the e-mail's link."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.decorators import ratelimit

from fanfold.archive.gate import gate_exempt
from fanfold.audit.context import current_ip
from fanfold.reports import appeals, services
from fanfold.reports.actions import appeal_url
from fanfold.reports.forms import AppealForm, ReportForm, apply_errors
from fanfold.reports.models import ActionKind, Appeal, ModerationAction
from fanfold.reports.targets import target_for_viewer


def _rate_per_ip(group, request) -> str:
    return settings.REPORT_RATE_PER_IP


def _rate_per_user(group, request) -> str:
    return settings.REPORT_RATE_PER_USER


def _report_limits(view):
    """Per address (guests, bots) and per account; rates are read per request."""
    view = ratelimit(group="reports.new.ip", key="ip", rate=_rate_per_ip, method="POST")(view)
    return ratelimit(
        group="reports.new.user", key="user_or_ip", rate=_rate_per_user, method="POST"
    )(view)


@_report_limits
def report_new(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """Report a work, chapter, comment, bookmark, series, challenge or profile: only
    something the reporter can see (anything else does not exist for them)."""
    target = target_for_viewer(kind=kind, object_id=object_id, viewer=request.user)
    if target is None:
        raise Http404(_("Nothing to report here."))
    guest = not request.user.is_authenticated
    form = ReportForm(request.POST or None, guest=guest)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                target=target,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
                reporter=request.user,
                email=form.cleaned_data.get("email", ""),
                ip=current_ip(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your report is with the archive's staff; we sent you an e-mail "
                    "and will write again when we have looked into it."
                ),
            )
            return redirect(target.url)
    status = 400 if form.is_bound else 200
    return render(
        request, "reports/report_form.html", {"form": form, "target": target}, status=status
    )


def _appeal_context(action: ModerationAction) -> dict:
    return {"action": action, "appeal": Appeal.objects.filter(action=action).first()}


@gate_exempt
def appeal_new(request: HttpRequest, token: str) -> HttpResponse:
    """The member's one appeal, from the link in the e-mail. Reachable while suspended
    (gate-exempt) and without logging in (a banned member cannot)."""
    action = appeals.action_for_token(token)
    if action is None:
        raise Http404(_("This appeal link is not valid."))
    context = _appeal_context(action)
    if context["appeal"] is not None or action.reversed_at is not None:
        return render(request, "reports/appeal.html", context)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeals.appeal_create(
                action=action, text=form.cleaned_data["text"], sender=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your appeal was sent. Staff will answer it by e-mail."))
            return redirect(request.path)
    status = 400 if form.is_bound else 200
    return render(request, "reports/appeal.html", {**context, "form": form}, status=status)


@gate_exempt
@login_required
def appeal_hidden_view(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """The "Appeal" link on a member's own hidden content: the appeal page of the action
    that hid it, or, for a hiding done outside the queue, a form that records it."""
    found = appeals.hidden_for_appeal(kind=kind, object_id=object_id, member=request.user)
    if found is None:
        raise Http404(_("There is nothing hidden here for you to appeal."))
    target, action = found
    if action is not None:
        return redirect(appeal_url(action))
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = appeals.appeal_hidden(
                target=target, member=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your appeal was sent. Staff will answer it by e-mail."))
            return redirect(appeal_url(appeal.action))
    # Shown, not saved: the action is recorded only when the appeal is sent.
    shown = ModerationAction(
        kind=ActionKind.HIDE,
        target_kind=kind,
        label=target.label,
        # Empty when staff gave none: the pages say so in the reader's language.
        reason=getattr(target.obj, "hidden_reason", ""),
    )
    status = 400 if form.is_bound else 200
    context = {"action": shown, "appeal": None, "form": form}
    return render(request, "reports/appeal.html", context, status=status)
