from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from fanfold.accounts.models import User
from fanfold.archive.params import parse_id
from fanfold.subscriptions import selectors, services
from fanfold.subscriptions.models import Subscription
from fanfold.works.models import Series, Work


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default


@require_POST
@login_required
def subscribe(request: HttpRequest) -> HttpResponse:
    kind, target_id = request.POST.get("kind", ""), parse_id(request.POST.get("id"))
    if target_id is None:
        raise Http404
    target: dict = {}
    if kind == "work":
        target["work"] = get_object_or_404(Work, pk=target_id)
    elif kind == "series":
        target["series"] = get_object_or_404(Series.objects.readable_by(request.user), pk=target_id)
    elif kind == "creator":
        target["creator"] = get_object_or_404(User, pk=target_id, is_active=True)
    else:
        raise Http404
    try:
        services.subscription_create(user=request.user, **target)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("Subscribed. You'll get an e-mail when there is something new.")
        )
    return redirect(_next(request, "subscriptions:list"))


@require_POST
@login_required
def unsubscribe(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription, pk=subscription_id, user=request.user)
    services.subscription_delete(subscription=subscription, user=request.user)
    messages.success(request, _("Unsubscribed."))
    return redirect(_next(request, "subscriptions:list"))


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    subs = selectors.subscriptions_of(request.user)
    return render(request, "subscriptions/list.html", {"subscriptions": subs})


# The token in the link is the authority, and RFC 8058 mail clients POST here without a
# page or cookie, so there is no CSRF token to check; a GET only shows a button.
@csrf_exempt
def unsubscribe_link(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            removed = services.unsubscribe_with_token(token)
        except PermissionDenied:
            return render(request, "subscriptions/unsubscribe.html", {"invalid": True}, status=400)
        return render(request, "subscriptions/unsubscribe.html", {"done": True, "removed": removed})
    return render(request, "subscriptions/unsubscribe.html", {"token": token})
