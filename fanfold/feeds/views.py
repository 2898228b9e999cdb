"""The member's private feeds page: create, replace or turn off their feed key.

Only a digest of the key is stored, so its addresses are shown once, on the page that
answers the POST which made them. They are printed as text to copy, never as links: no
anchor offers a saved search as a feed (a link could be followed, shared or indexed).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from fanfold.accounts.selectors import signed_in
from fanfold.feeds import services
from fanfold.feeds.selectors import feed_key_of
from fanfold.filters.models import SavedFilter


def _addresses(request: HttpRequest, user, secret: str) -> dict:
    def absolute(name: str, *args) -> str:
        return request.build_absolute_uri(reverse(name, args=[secret, *args]))

    return {
        "subscriptions": absolute("feeds:private_subscriptions"),
        "catalogue": absolute("opds:key_root"),
        "saved": [
            (saved, absolute("feeds:private_filter", saved.pk))
            for saved in SavedFilter.objects.filter(user=user)
        ],
    }


@never_cache
@login_required
def private_feeds(request: HttpRequest) -> HttpResponse:
    user = signed_in(request.user)
    context: dict = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue":
            secret = services.feed_key_issue(user=user)
            context["addresses"] = _addresses(request, user, secret)
        elif action == "revoke":
            if services.feed_key_revoke(user=user):
                messages.success(request, _("Your private feeds are turned off."))
            return redirect("feeds:private")
    context["key"] = feed_key_of(user)
    context["saved_count"] = SavedFilter.objects.filter(user=user).count()
    response = render(request, "feeds/private.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response
