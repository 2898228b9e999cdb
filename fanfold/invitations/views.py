"""Invitation pages: asking for one, staff answering the queue, members giving theirs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_ratelimit.decorators import ratelimit

from fanfold.archive.models import SignupMode, SiteSettings
from fanfold.invitations import selectors, services
from fanfold.invitations.forms import (
    GiveInvitationsForm,
    InvitationRequestForm,
    InviteSomeoneForm,
    OldestForm,
)
from fanfold.staff.permissions import staff_required

REQUEST_RATE_PER_IP = "5/h"


def _taking_requests() -> bool:
    site = SiteSettings.current()
    return site.signup_mode == SignupMode.INVITE and not site.guests_paused


@ratelimit(group="invitations.request", key="ip", rate=REQUEST_RATE_PER_IP, method="POST")
def request_invitation(request: HttpRequest) -> HttpResponse:
    if not _taking_requests():
        context = {"reason": _(services.NOT_TAKING_REQUESTS)}
        status = 403 if request.method == "POST" else 200
        return render(request, "accounts/signup_closed.html", context, status=status)
    form = InvitationRequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.invitation_request_create(email=form.cleaned_data["email"])
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error("email", error.messages)
        else:
            return render(
                request, "invitations/requested.html", {"email": form.cleaned_data["email"]}
            )
    status = 400 if form.is_bound and form.bot_refusal else 200
    return render(request, "invitations/request.html", {"form": form}, status=status)


@staff_required("manage_invitations")
def staff_invitations(request: HttpRequest) -> HttpResponse:
    """The queue: approve picked requests or the oldest n, and give members invitations."""
    oldest_form = OldestForm()
    give_form = GiveInvitationsForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "approve":
            ids = [int(i) for i in request.POST.getlist("requests") if i.isdigit()]
            _approved(request, services.invitations_approve(actor=request.user, request_ids=ids))
            return redirect("invitations:staff")
        if action == "oldest":
            oldest_form = OldestForm(request.POST)
            if oldest_form.is_valid():
                count = oldest_form.cleaned_data["oldest"]
                _approved(request, services.invitations_approve(actor=request.user, oldest=count))
                return redirect("invitations:staff")
        elif action == "give":
            give_form = GiveInvitationsForm(request.POST)
            if give_form.is_valid() and _give(request, give_form):
                return redirect("invitations:staff")
        else:
            messages.error(request, _("Choose what to do."))
    context = {
        "summary": selectors.queue_summary(),
        "waiting": selectors.waiting_page(),
        "oldest_form": oldest_form,
        "give_form": give_form,
        "site": SiteSettings.current(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "invitations/staff.html", context, status=status)


def _approved(request: HttpRequest, count: int) -> None:
    if count:
        messages.success(
            request,
            ngettext("{count} invitation sent.", "{count} invitations sent.", count).format(
                count=count
            ),
        )
    else:
        messages.info(request, _("Nothing was waiting among those: no invitations sent."))


def _give(request: HttpRequest, form: GiveInvitationsForm) -> bool:
    member, count = form.cleaned_data["username"], form.cleaned_data["count"]
    try:
        services.invitations_give(actor=request.user, member=member, count=count)
    except ValidationError as error:
        form.add_error("count", error.messages)
        return False
    messages.success(
        request,
        ngettext(
            "{username} has {count} more invitation to give.",
            "{username} has {count} more invitations to give.",
            count,
        ).format(username=member.username, count=count),
    )
    return True


@login_required
def member_invitations(request: HttpRequest) -> HttpResponse:
    """A member's invitations to give, from their preferences."""
    form = InviteSomeoneForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            invitation = services.invitation_send_by_member(
                member=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("Your invitation is on its way to {email}.").format(email=invitation.email),
            )
            return redirect("invitations:mine")
    left, given = selectors.member_invitations(request.user)
    context = {"form": form, "left": left, "given": given}
    return render(request, "invitations/mine.html", context, status=400 if form.errors else 200)
