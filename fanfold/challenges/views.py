"""Challenge pages: the list, a challenge with its responses, and the forms to set one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from fanfold.challenges import services
from fanfold.challenges.forms import ChallengeForm
from fanfold.challenges.models import Challenge
from fanfold.challenges.selectors import challenge_list, challenge_response_ids
from fanfold.filters.listing import works_filtered_listing


def challenge_index(request: HttpRequest) -> HttpResponse:
    page = challenge_list(viewer=request.user, page=request.GET.get("page"))
    return render(request, "challenges/index.html", {"page": page})


def challenge_detail(request: HttpRequest, challenge_id: int) -> HttpResponse:
    challenge = get_object_or_404(
        Challenge.objects.select_related("owner").prefetch_related("fandoms", "characters"),
        pk=challenge_id,
    )
    listing = works_filtered_listing(
        viewer=request.user,
        params=request.GET,
        within_work_ids=challenge_response_ids(challenge=challenge),
    )
    context = {
        "challenge": challenge,
        "filtered": listing,
        "can_edit": services.user_can_edit_challenge(request.user, challenge),
    }
    return render(request, "challenges/detail.html", context)


def _form_page(request: HttpRequest, form: ChallengeForm, challenge: Challenge | None):
    return render(request, "challenges/form.html", {"form": form, "challenge": challenge})


def _apply_errors(form: ChallengeForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
def challenge_new(request: HttpRequest) -> HttpResponse:
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.challenge_create(owner=request.user, data=form.to_fields())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Challenge #{number} is up.").format(number=challenge.pk))
            return redirect(challenge)
    return _form_page(request, form, None)


@login_required
def challenge_edit(request: HttpRequest, challenge_id: int) -> HttpResponse:
    challenge = get_object_or_404(Challenge, pk=challenge_id)
    if not services.user_can_edit_challenge(request.user, challenge):
        raise PermissionDenied(_("Only the challenge's owner or staff can change it."))
    form = ChallengeForm(request.POST or None, initial=ChallengeForm.initial_for(challenge))
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_update(
                challenge=challenge,
                editor=request.user,
                data=form.to_fields(challenger_name=challenge.challenger_name),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The challenge was saved."))
            return redirect(challenge)
    return _form_page(request, form, challenge)
