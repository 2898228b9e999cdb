from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from fanfold.accounts.models import User
from fanfold.archive.params import parse_id
from fanfold.archive.returns import message_at, return_to, with_anchor
from fanfold.subscriptions import selectors, services
from fanfold.subscriptions.models import Subscription
from fanfold.works.blurbs import attach_blurbs
from fanfold.works.models import Series, Work

PER_PAGE = 20


def _back(request: HttpRequest, text: str, *, level: int = messages.SUCCESS) -> HttpResponse:
    """Back to the page the button was on. From a work page: the same chapter, at the
    buttons, with the message there; elsewhere (the list, a series) it is at the top."""
    path = return_to(request, reverse("subscriptions:list"))
    if not path.startswith("/works/"):
        messages.add_message(request, level, text)
        return HttpResponseRedirect(path)
    message_at(request, level, text, place="work-actions")
    return HttpResponseRedirect(with_anchor(path, "work-actions"))


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
        return _back(request, exc.messages[0], level=messages.ERROR)
    text = gettext("Subscribed. You'll get an e-mail when there is something new.")
    return _back(request, text)


@require_POST
@login_required
def unsubscribe(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription, pk=subscription_id, user=request.user)
    services.subscription_delete(subscription=subscription, user=request.user)
    return _back(request, gettext("Unsubscribed."))


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.subscriptions_of(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    # Each work shows its whole blurb, so the list is paged like the other lists of works.
    page.object_list = attach_blurbs(page.object_list, viewer=request.user)
    return render(request, "subscriptions/list.html", {"page": page, "subscriptions": page})


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
