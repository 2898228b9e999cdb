"""The archive's pages: anyone reads them, staff write them on the site."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from fanfold.archive.forms import add_service_errors
from fanfold.pages import selectors, services
from fanfold.pages.forms import PageForm
from fanfold.pages.models import Page
from fanfold.pages.permissions import PERM, can_edit_pages
from fanfold.staff.permissions import staff_required


def _page_or_404(slug: str) -> Page:
    page = selectors.page_by_slug(slug)
    if page is None:
        raise Http404(_("No such page."))
    return page


def page_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/index.html",
        {"pages": selectors.page_list(), "can_edit": can_edit_pages(request.user)},
    )


def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = _page_or_404(slug)
    return render(
        request, "pages/detail.html", {"page": page, "can_edit": can_edit_pages(request.user)}
    )


def _save(request: HttpRequest, form: PageForm, page: Page | None) -> HttpResponse:
    """Create or update from a bound form; on refusal re-render with what was typed."""
    if form.is_valid():
        try:
            if page is None:
                page = services.page_create(user=request.user, data=form.fields_data())
            else:
                page = services.page_update(page=page, user=request.user, data=form.fields_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The page “{title}” was saved.").format(title=page.title))
            return redirect(page.get_absolute_url())
    return render(request, "pages/form.html", {"form": form, "page": page}, status=400)


@staff_required(PERM)
def page_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request, PageForm(request.POST), None)
    return render(request, "pages/form.html", {"form": PageForm(), "page": None})


@staff_required(PERM)
def page_edit(request: HttpRequest, slug: str) -> HttpResponse:
    page = _page_or_404(slug)
    if request.method == "POST":
        return _save(request, PageForm(request.POST, page=page), page)
    return render(request, "pages/form.html", {"form": PageForm(page=page), "page": page})


@staff_required(PERM)
def page_delete(request: HttpRequest, slug: str) -> HttpResponse:
    page = _page_or_404(slug)
    if request.method == "POST":
        try:
            services.page_delete(page=page, user=request.user)
        except PermissionDenied as refusal:
            messages.error(request, str(refusal))
            return redirect(page.get_absolute_url())
        messages.success(request, _("The page “{title}” was deleted.").format(title=page.title))
        return redirect("pages:index")
    return render(request, "pages/delete.html", {"page": page})
