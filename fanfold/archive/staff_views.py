"""Staff pages for the site settings and the lockdown switches."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fanfold.archive import services
from fanfold.archive.forms import LOCKDOWN_FIELDS, LockdownForm, SiteSettingsForm
from fanfold.archive.models import SiteSettings
from fanfold.staff.permissions import has_perm, staff_required


def _fresh() -> SiteSettings:
    # The form edits the row as stored, not the few-seconds-old cached copy.
    return SiteSettings.objects.get_or_create(pk=1)[0]


@staff_required("manage_settings")
def site_settings(request: HttpRequest) -> HttpResponse:
    site = _fresh()
    may_lock = has_perm(request.user, "lockdown")
    form = SiteSettingsForm(request.POST if request.method == "POST" else None, instance=site)
    if not may_lock:
        for name in LOCKDOWN_FIELDS:
            form.fields[name].disabled = True
    if form.is_bound and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        try:
            services.site_settings_update(actor=request.user, values=values)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "messages", None) or str(error))
        else:
            messages.success(request, _("The site settings are saved."))
            return redirect("archive:staff_settings")
    status = 400 if form.is_bound else 200
    return render(
        request, "archive/staff/settings.html", {"form": form, "may_lock": may_lock}, status=status
    )


@staff_required("lockdown")
def lockdown(request: HttpRequest) -> HttpResponse:
    site = _fresh()
    initial = {name: getattr(site, name) for name in LOCKDOWN_FIELDS}
    form = LockdownForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        services.lockdown_set(
            actor=request.user,
            guests_paused=data["guests_paused"],
            read_only=data["read_only"],
            reason=data["reason"],
        )
        messages.success(request, _("The lockdown switches are saved."))
        return redirect("archive:staff_lockdown")
    return render(request, "archive/staff/lockdown.html", {"form": form, "site": site})
