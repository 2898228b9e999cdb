"""Staff pages about members: the search box, a member's record, and the forms on it
(warn, suspend, ban, lift, clean up, restore). Each view checks its permission with
`staff_required`; the services check again."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fanfold.accounts.models import User
from fanfold.sanctions import cleanup as cleanups
from fanfold.sanctions import services
from fanfold.sanctions.forms import (
    BanForm,
    CleanupForm,
    LiftForm,
    SearchForm,
    SuspendForm,
    WarnForm,
)
from fanfold.sanctions.models import Cleanup, Sanction
from fanfold.sanctions.record import member_record, members_search
from fanfold.sanctions.selectors import active_ban, active_suspension
from fanfold.staff.permissions import has_perm, staff_required

FORMS = {
    "warn": WarnForm,
    "suspend": SuspendForm,
    "ban": BanForm,
    "hide_everything": CleanupForm,
    "delete_spam": CleanupForm,
}


@staff_required("view_member_records")
def member_search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(members_search(q), 50).get_page(request.GET.get("page"))
    return render(request, "sanctions/search.html", {"form": form, "q": q, "page": page})


def _member(username: str) -> User:
    return get_object_or_404(User, username__iexact=username)


def _render_record(
    request: HttpRequest, member: User, bound: dict[str, Form] | None = None
) -> HttpResponse:
    bound = bound or {}
    forms = {name: bound.get(name) or form_class(prefix=name) for name, form_class in FORMS.items()}
    record = member_record(member=member, viewer=request.user)
    context = {
        "record": record,
        "member": member,
        "suspension": active_suspension(member),
        "ban": active_ban(member),
        "can_sanction": has_perm(request.user, "sanction_members"),
        "forms": forms,
        # One lift form per sanction in force, each with its own field names and ids.
        "sanction_rows": [
            (s, bound.get(f"lift{s.pk}") or LiftForm(prefix=f"lift{s.pk}"))
            for s in record.sanctions
        ],
        "restorable": {c.pk for c in record.cleanups if cleanups.can_restore(c)},
        "address_days": settings.MEMBER_ADDRESS_DAYS,
        "restore_days": settings.CLEANUP_RESTORE_DAYS,
    }
    return render(request, "sanctions/record.html", context, status=400 if bound else 200)


@staff_required("view_member_records")
def member_record_view(request: HttpRequest, username: str) -> HttpResponse:
    return _render_record(request, _member(username))


def _act(request: HttpRequest, member: User, action: str, form: Form) -> str:
    """Run `action` with the valid `form`; returns the message to show."""
    data, actor = form.cleaned_data, request.user
    reason = data.get("reason", "")
    if action == "warn":
        services.member_warn(actor=actor, member=member, reason=reason)
        return gettext("%(name)s was warned and told by e-mail.") % {"name": member.username}
    if action == "suspend":
        services.member_suspend(actor=actor, member=member, until=data["until"], reason=reason)
        until = date_format(timezone.localtime(data["until"]), "j M Y, H:i")
        return gettext("%(name)s is suspended until %(date)s.") % {
            "name": member.username,
            "date": until,
        }
    if action == "ban":
        hide = data["works"] == "hide"
        services.member_ban(actor=actor, member=member, reason=reason, hide_works=hide)
        if hide:
            return gettext("%(name)s is banned and their works are hidden.") % {
                "name": member.username
            }
        return gettext("%(name)s is banned.") % {"name": member.username}
    if action == "hide_everything":
        done = cleanups.member_hide_everything(actor=actor, member=member, reason=reason)
    else:
        done = cleanups.member_delete_spam(actor=actor, member=member, reason=reason)
    counts = {kind: len(ids) for kind, ids in done.hidden.items()}
    # Each count is a phrase of its own ("3 Werke"); the sentence around them is whole.
    hid = gettext("Hid %(works)s, %(comments)s and %(bookmarks)s by %(name)s.") % {
        "works": ngettext("%(n)s work", "%(n)s works", counts["works"]) % {"n": counts["works"]},
        "comments": ngettext("%(n)s comment", "%(n)s comments", counts["comments"])
        % {"n": counts["comments"]},
        "bookmarks": ngettext("%(n)s bookmark", "%(n)s bookmarks", counts["bookmarks"])
        % {"n": counts["bookmarks"]},
        "name": member.username,
    }
    banned = (
        [gettext("The account is banned and will be deleted.")] if action == "delete_spam" else []
    )
    undo = gettext("You can undo this on this page until %(date)s.") % {
        "date": date_format(cleanups.restore_deadline(done), "j M Y")
    }
    return " ".join([hid, *banned, undo])


@require_POST
@staff_required("sanction_members")
def member_act(request: HttpRequest, username: str, action: str) -> HttpResponse:
    member = _member(username)
    form_class = FORMS.get(action)
    if form_class is None:
        return redirect("sanctions:record", member.username)
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            messages.success(request, _act(request, member, action, form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("sanctions:record", member.username)
    messages.error(request, _("Nothing was changed: see the message by the form."))
    return _render_record(request, member, {action: form})


@require_POST
@staff_required("sanction_members")
def sanction_lift(request: HttpRequest, sanction_id: int) -> HttpResponse:
    sanction = get_object_or_404(Sanction.objects.select_related("member"), pk=sanction_id)
    form = LiftForm(request.POST, prefix=f"lift{sanction.pk}")
    if form.is_valid():
        try:
            services.sanction_lift(
                actor=request.user, sanction=sanction, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            kind = sanction.get_kind_display().lower()
            messages.success(
                request,
                _("The {kind} of {username} was lifted.").format(
                    kind=kind, username=sanction.member.username
                ),
            )
        return redirect("sanctions:record", sanction.member.username)
    return _render_record(request, sanction.member, {f"lift{sanction.pk}": form})


@require_POST
@staff_required("sanction_members")
def cleanup_restore(request: HttpRequest, cleanup_id: int) -> HttpResponse:
    cleanup = get_object_or_404(Cleanup.objects.select_related("member"), pk=cleanup_id)
    if cleanup.member is None:
        messages.error(request, _("That account has been deleted; nothing can be restored."))
        return redirect("sanctions:members")
    try:
        cleanups.cleanup_restore(
            actor=request.user, cleanup=cleanup, reason=request.POST.get("reason", "")[:5000]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Everything the clean-up hid is back; {username} "
                "can log in again if the clean-up banned them."
            ).format(username=cleanup.member_name),
        )
    return redirect("sanctions:record", cleanup.member.username)


def _add_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
