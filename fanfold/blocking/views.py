from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from fanfold.accounts.models import User
from fanfold.blocking import selectors, services

ACTIONS = {
    "block": (
        services.user_block,
        "blocker",
        "blocked",
        "{} is blocked: they can't comment on your works, reply to you or leave you kudos.",
    ),
    "unblock": (services.user_unblock, "blocker", "blocked", "{} is no longer blocked."),
    "mute": (
        services.user_mute,
        "muter",
        "muted",
        "{} is muted: their works and comments are left out of what you see.",
    ),
    "unmute": (services.user_unmute, "muter", "muted", "{} is no longer muted."),
}


@require_POST
@login_required
def user_action(request: HttpRequest, username: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    target = get_object_or_404(User, username__iexact=username, is_active=True)
    service, actor_arg, target_arg, done = ACTIONS[action]
    try:
        service(**{actor_arg: request.user, target_arg: target})
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, done.format(target.username))
    return redirect(target.get_absolute_url())


@login_required
def lists(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "blocking/lists.html",
        {
            "blocked": selectors.blocked_users(request.user),
            "muted": selectors.muted_users(request.user),
        },
    )
