"""Pages about members: a profile, its pseuds (listed, edited, made default, deleted),
the authors' list by letter and the search for people by name.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fanfold.accounts import selectors, services
from fanfold.accounts.forms import PseudDescriptionForm, PseudForm
from fanfold.accounts.models import Pseud, User
from fanfold.archive.params import parse_text


def profile(request: HttpRequest, username: str) -> HttpResponse:
    owner = get_object_or_404(selectors.public_users(), username__iexact=username)
    context = {
        "owner": owner,
        "pseuds": owner.pseuds.all(),
        "can_manage": selectors.user_can_manage(actor=request.user, owner=owner),
    }
    if request.user.is_authenticated and request.user.pk != owner.pk:
        from fanfold.blocking.models import Block, Mute
        from fanfold.subscriptions.models import Subscription

        context["blocked"] = Block.objects.filter(blocker=request.user, blocked=owner).exists()
        context["muted"] = Mute.objects.filter(muter=request.user, muted=owner).exists()
        context["subscription"] = Subscription.objects.filter(
            user=request.user, creator=owner
        ).first()
    return render(request, "accounts/profile.html", context)


def pseud_list(request: HttpRequest, username: str) -> HttpResponse:
    """A member's pseuds; for the owner (or staff) also the form to add one."""
    owner = get_object_or_404(selectors.public_users(), username__iexact=username)
    can_manage = selectors.user_can_manage(actor=request.user, owner=owner)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = None
    if can_manage:
        form = PseudForm(request.POST if request.method == "POST" else None, user=owner)
        pseud = _create_pseud(form, owner) if form.is_bound and form.is_valid() else None
        if pseud is not None:
            messages.success(request, _("The pseud “{name}” is ready.").format(name=pseud.name))
            return redirect(pseud)
    context = {"owner": owner, "pseuds": owner.pseuds.all(), "can_manage": can_manage}
    return render(request, "accounts/pseud_list.html", {**context, "form": form})


def _create_pseud(form: PseudForm, owner: User) -> Pseud | None:
    try:
        return services.pseud_create(user=owner, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
    except IntegrityError:
        form.add_error("name", "You already have a pseud with that name.")
    return None


def pseud_detail(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    pseud_obj = _get_pseud(username, pseud)
    context = {
        "pseud": pseud_obj,
        "owner": pseud_obj.user,
        "can_manage": selectors.user_can_manage(actor=request.user, owner=pseud_obj.user),
    }
    return render(request, "accounts/pseud.html", context)


def _get_pseud(username: str, name: str) -> Pseud:
    return get_object_or_404(
        selectors.public_pseuds(), user__username__iexact=username, name__iexact=name
    )


def _managed_pseud(request: HttpRequest, username: str, name: str) -> Pseud:
    """The pseud, if the visitor may change it: 404 when unknown, 403 when not theirs."""
    pseud = _get_pseud(username, name)
    if not selectors.user_can_manage(actor=request.user, owner=pseud.user):
        raise PermissionDenied
    return pseud


@login_required
def pseud_edit(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    pseud_obj = _managed_pseud(request, username, pseud)
    data = request.POST if request.method == "POST" else None
    form = PseudDescriptionForm.for_pseud(pseud_obj, data)
    if form.is_bound and form.is_valid():
        services.pseud_update(pseud=pseud_obj, description=form.cleaned_data["description"])
        messages.success(request, _("The description is saved."))
        return redirect(pseud_obj)
    return render(request, "accounts/pseud_edit.html", {"pseud": pseud_obj, "form": form})


@require_POST
@login_required
def pseud_default(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    pseud_obj = _managed_pseud(request, username, pseud)
    services.pseud_make_default(pseud=pseud_obj)
    messages.success(
        request, _("New works will now be credited to “{name}”.").format(name=pseud_obj.name)
    )
    return redirect("accounts:pseuds", pseud_obj.user.username)


@login_required
def pseud_delete(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    pseud_obj = _managed_pseud(request, username, pseud)
    if request.method != "POST":
        has_works = pseud_obj.creatorships.exists()
        context = {"pseud": pseud_obj, "has_works": has_works}
        return render(request, "accounts/pseud_delete.html", context)
    try:
        services.pseud_delete(pseud=pseud_obj)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(pseud_obj)
    messages.success(request, _("The pseud “{name}” is deleted.").format(name=pseud_obj.name))
    return redirect("accounts:pseuds", pseud_obj.user.username)


def authors(request: HttpRequest) -> HttpResponse:
    """Members with works the visitor may read, by letter (eFiction's authors.php)."""
    raw = request.GET.get("letter", "").lower()
    letter = raw if len(raw) == 1 and raw.isascii() and raw.isalpha() else ""
    members = selectors.authors_list(viewer=request.user, letter=letter)
    page = Paginator(members, settings.AUTHORS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/authors.html",
        {"page": page, "letter": letter, "letters": "abcdefghijklmnopqrstuvwxyz"},
    )


PEOPLE_PER_PAGE = 50


def people_search(request: HttpRequest) -> HttpResponse:
    """Pen names and account names holding the words searched for."""
    query = parse_text(request.GET.get("q"))
    pseuds = selectors.people_search(query=query, viewer=selectors.signed_in(request.user))
    page = Paginator(pseuds, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {"q": query, "page": page, "searched": bool(query)}
    return render(request, "accounts/people_search.html", context)
