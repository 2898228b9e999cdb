"""Readers' own filter settings: saved filters and always-excluded tags."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanfold.accounts.selectors import signed_in
from fanfold.archive.params import parse_id
from fanfold.filters import services
from fanfold.filters.listing import standing_exclusions
from fanfold.filters.models import SavedFilter


@require_POST
@login_required
def save(request: HttpRequest) -> HttpResponse:
    path, query = request.POST.get("path", "/works"), request.POST.get("query", "")
    try:
        saved = services.saved_filter_create(
            user=request.user, name=request.POST.get("name", ""), path=path, query=query
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(f"{path}?{query}" if services.is_local_path(path) else "/works")
    messages.success(request, _("Saved as “%(name)s”.") % {"name": saved.name})
    return redirect(saved.url)


@login_required
def saved(request: HttpRequest) -> HttpResponse:
    saved_filter_id = parse_id(request.POST.get("delete"))
    if request.method == "POST" and saved_filter_id:
        services.saved_filter_delete(user=request.user, saved_filter_id=saved_filter_id)
        messages.success(request, _("The saved filter was deleted."))
        return redirect("filters:saved")
    return render(
        request,
        "filters/saved.html",
        {"saved": SavedFilter.objects.filter(user=signed_in(request.user))},
    )


@login_required
def exclusions(request: HttpRequest) -> HttpResponse:
    typed = ""
    if request.method == "POST":
        if tag_id := parse_id(request.POST.get("remove")):
            services.standing_exclusion_remove(user=request.user, tag_id=tag_id)
            messages.success(request, _("Removed."))
            return redirect("filters:exclusions")
        typed = request.POST.get("tag", "")
        try:
            exclusion = services.standing_exclusion_add(user=request.user, tag_name=typed)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("Works tagged “%(name)s” are now left out everywhere.")
                % {"name": exclusion.tag.name},
            )
            return redirect("filters:exclusions")
    return render(
        request,
        "filters/exclusions.html",
        {"tags": standing_exclusions(signed_in(request.user)), "typed": typed},
    )
