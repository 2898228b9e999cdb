"""Series pages: reading a series, its owner's settings, and approving or removing parts.

Readers only ever see approved parts; a moderated series' submissions wait in a list
that only its owner sees.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanfold.filters.listing import works_filtered_listing
from fanfold.works import series_services
from fanfold.works.models import SerialWork, Series, Work
from fanfold.works.selectors import (
    Listing,
    series_list,
    series_parts,
    works_listing,
)
from fanfold.works.series_forms import SeriesForm


def series_index(request: HttpRequest) -> HttpResponse:
    page = series_list(viewer=request.user, page=request.GET.get("page"))
    nav = Listing(blurbs=[], page=page)  # the works listings' page links
    return render(request, "works/series_index.html", {"page": page, "nav": nav})


def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(
        Series.objects.readable_by(request.user).select_related("owner"), pk=series_id
    )
    base = series_parts(series)
    listing = works_listing(
        viewer=request.user,
        page=request.GET.get("page"),
        base=base,
        order=("serial_works__position", "pk"),
    )
    is_owner = series.owner_id == getattr(request.user, "pk", None)
    context = {"series": series, "listing": listing, "is_owner": is_owner}
    if any(key not in ("page",) for key in request.GET):
        # Filtering a series trades its reading order for the reader's sort.
        context["filtered"] = works_filtered_listing(
            viewer=request.user,
            params=request.GET,
            within_work_ids=list(base.values_list("pk", flat=True).distinct()),
        )
    if request.user.is_authenticated:
        from fanfold.bookmarks.selectors import bookmark_of
        from fanfold.subscriptions.models import Subscription

        context["series_bookmark"] = bookmark_of(user=request.user, series=series)
        context["series_subscription"] = Subscription.objects.filter(
            user=request.user, series=series
        ).first()
    if is_owner:
        context["parts"] = list(
            series.serial_works.filter(work__in=Work.objects.readable_by(request.user))
            .select_related("work")
            .order_by("-approved", "position", "pk")
        )
    return render(request, "works/series.html", context)


@login_required
def series_edit(request: HttpRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=series_id)
    if series.owner_id != request.user.pk:
        raise PermissionDenied(_("Only the series' owner can change it."))
    form = SeriesForm(request.POST or None, initial=SeriesForm.initial_for(series))
    if request.method == "POST" and form.is_valid():
        try:
            series_services.series_update(series=series, editor=request.user, data=form.to_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The series was saved."))
            return redirect(series)
    return render(request, "works/series_form.html", {"form": form, "series": series})


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _part(part_id: int) -> SerialWork:
    return get_object_or_404(SerialWork.objects.select_related("series", "work"), pk=part_id)


@login_required
@require_POST
def series_part_approve(request: HttpRequest, part_id: int) -> HttpResponse:
    part = _part(part_id)
    series_services.serial_work_approve(part=part, user=request.user)
    messages.success(
        request,
        _("“%(title)s” is now part %(position)s of the series.")
        % {"title": part.work.title, "position": part.position},
    )
    return _back(request, part.series.get_absolute_url())


@login_required
@require_POST
def series_part_remove(request: HttpRequest, part_id: int) -> HttpResponse:
    part = _part(part_id)
    series_services.serial_work_remove(part=part, user=request.user)
    messages.success(
        request,
        _("“%(title)s” is no longer in “%(series)s”.")
        % {"title": part.work.title, "series": part.series.title},
    )
    return _back(request, part.series.get_absolute_url())
