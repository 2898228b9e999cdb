"""Staff pages: the dashboard, roles and fandom assignments, and the audit log. Every
view names the permission it needs (`staff_required`); the services check again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from fanfold.accounts.models import User
from fanfold.audit.selectors import audit_entries
from fanfold.staff import services
from fanfold.staff.dashboard import dashboard_entries
from fanfold.staff.forms import AssignFandomForm, AuditFilterForm, MemberRolesForm, TakeFandomForm
from fanfold.staff.permissions import roles_of, staff_required
from fanfold.staff.roles import ROLE_PERMISSIONS, Role
from fanfold.staff.selectors import fandoms_of, staff_members
from fanfold.tags.models import Tag, TagType

AUDIT_PER_PAGE = 50


def _member_named(name: str) -> User | None:
    return User.objects.filter(username__iexact=name.strip()).first()


def _fandom_named(name: str) -> Tag | None:
    return Tag.objects.named(name).filter(type=TagType.FANDOM).first()


def dashboard(request: HttpRequest) -> HttpResponse:
    # Any staff role opens the dashboard; it lists only what the viewer's roles allow.
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    roles = sorted(roles_of(request.user), key=lambda r: r.label)
    if not roles and not (request.user.is_superuser and request.user.is_active):
        raise PermissionDenied(_("This page is for the archive's staff."))
    entries = dashboard_entries(request.user)
    return render(request, "staff/dashboard.html", {"entries": entries, "roles": roles})


def _roles_page(request: HttpRequest, roles_form=None, assign_form=None, status=200):
    context = {
        "staff": staff_members(),
        "roles_form": roles_form or MemberRolesForm(),
        "assign_form": assign_form or AssignFandomForm(),
        "role_permissions": [(role, sorted(ROLE_PERMISSIONS[role])) for role in Role],
    }
    return render(request, "staff/roles.html", context, status=status)


@staff_required("manage_roles")
def roles(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _roles_page(request)
    form = MemberRolesForm(request.POST)
    if form.is_valid():
        member = _member_named(form.cleaned_data["username"])
        if member is None:
            form.add_error("username", "There is no member with that user name.")
        else:
            try:
                services.member_roles_set(
                    actor=request.user,
                    member=member,
                    roles=[Role(r) for r in form.cleaned_data["roles"]],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("{username}'s roles are saved.").format(username=member.username)
                )
                return redirect("staff:roles")
    return _roles_page(request, roles_form=form, status=400)


@staff_required("manage_roles")
@require_POST
def fandom_assign(request: HttpRequest) -> HttpResponse:
    form = AssignFandomForm(request.POST)
    if form.is_valid():
        wrangler = _member_named(form.cleaned_data["wrangler"])
        fandom = _fandom_named(form.cleaned_data["fandom"])
        if wrangler is None:
            form.add_error("wrangler", "There is no member with that user name.")
        if fandom is None:
            form.add_error("fandom", "There is no fandom by that name.")
        if wrangler is not None and fandom is not None:
            try:
                services.wrangler_assign(actor=request.user, wrangler=wrangler, fandom=fandom)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("{username} now wrangles “{fandom}”.").format(
                        username=wrangler.username, fandom=fandom.name
                    ),
                )
                return redirect("staff:roles")
    return _roles_page(request, assign_form=form, status=400)


@staff_required("manage_roles")
@require_POST
def fandom_unassign(request: HttpRequest, user_id: int, fandom_id: int) -> HttpResponse:
    wrangler = get_object_or_404(User, pk=user_id)
    fandom = get_object_or_404(Tag, pk=fandom_id, type=TagType.FANDOM)
    services.wrangler_unassign(actor=request.user, wrangler=wrangler, fandom=fandom)
    messages.success(
        request,
        _("“{fandom}” is no longer {username}'s.").format(
            fandom=fandom.name, username=wrangler.username
        ),
    )
    return redirect("staff:roles")


@staff_required("wrangle_tags")
def fandoms(request: HttpRequest) -> HttpResponse:
    """A wrangler's own fandoms: take one from the unassigned pool, or give one back."""
    form = TakeFandomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fandom = _fandom_named(form.cleaned_data["fandom"])
        if fandom is None:
            form.add_error("fandom", "There is no fandom by that name.")
        else:
            try:
                services.wrangler_assign(actor=request.user, wrangler=request.user, fandom=fandom)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error("fandom", str(exc) if isinstance(exc, PermissionDenied) else exc)
            else:
                messages.success(
                    request, _("You now wrangle “{fandom}”.").format(fandom=fandom.name)
                )
                return redirect("staff:fandoms")
    context = {"assignments": fandoms_of(request.user), "form": form}
    return render(request, "staff/fandoms.html", context, status=400 if form.errors else 200)


@staff_required("wrangle_tags")
@require_POST
def fandom_give_back(request: HttpRequest, fandom_id: int) -> HttpResponse:
    fandom = get_object_or_404(Tag, pk=fandom_id, type=TagType.FANDOM)
    services.wrangler_unassign(actor=request.user, wrangler=request.user, fandom=fandom)
    messages.success(
        request, _("“{fandom}” is back in the unassigned pool.").format(fandom=fandom.name)
    )
    return redirect("staff:fandoms")


@staff_required("view_audit_log")
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = audit_entries(**{k: v for k, v in filters.items() if v})
    page = Paginator(entries, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "staff/audit.html", context)
