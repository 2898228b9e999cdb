"""Posting pages: new work, edit, chapters, drafts, co-creator invitations.

Views only route input to forms and services; authorisation is checked here for the
page and again inside every service for the write.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

from fanfold.archive.errors import NotFound
from fanfold.archive.params import parse_id
from fanfold.markup import MarkupTooComplex, render_text
from fanfold.works import chapter_services, services, staff_services
from fanfold.works.blurbs import BlurbOptions, blurbs_for
from fanfold.works.chapter_forms import ChapterForm, NewChapterForm, ReorderForm
from fanfold.works.forms import WorkForm
from fanfold.works.menu import drafts_of
from fanfold.works.models import Approval, Chapter, Creatorship, Work
from fanfold.works.selectors import invitations_for, user_can_edit_work, work_page

POST_RATE = "30/h"
PREVIEW_RATE = "60/h"
PREVIEW_LIMITED = (
    "You have asked for many previews in a short time; please wait a few minutes before "
    "the next one. Your text is kept below."
)


def _editable_work(request: HttpRequest, work_id: int) -> Work:
    work = get_object_or_404(Work, pk=work_id)
    if not user_can_edit_work(request.user, work):
        raise PermissionDenied(_("Only this work's creators can change it."))
    return work


def posted_message(work: Work) -> str:
    if not work.posted:
        message = gettext("“%(title)s” was saved as a draft.")
    elif work.approval == Approval.PENDING:
        message = gettext(
            "“%(title)s” was sent to the moderators; readers see it once it is approved."
        )
    else:
        message = gettext("“%(title)s” was posted.")
    return message % {"title": work.title}


def _apply_errors(error: ValidationError, *forms: Form) -> None:
    """Put a service's ValidationError on the form field it names, or on the first form."""
    if not hasattr(error, "error_dict"):
        forms[0].add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = next((f for f in forms if field in f.fields), None)
        if target is None:
            forms[0].add_error(None, errors)
        else:
            target.add_error(field, errors)


def _preview(
    request: HttpRequest, work_form: WorkForm | None, chapter_form: ChapterForm | None, fmt: str
) -> tuple[dict, int]:
    """Rendered text for the preview box (nothing is saved) and the page's status.

    Formatting is the costly part of a request a member can repeat at will, so previews
    are rate-limited like posts; a refusal or a text too complex to format is a message
    on the form, which keeps everything typed.
    """
    forms = [form for form in (work_form, chapter_form) if form is not None]
    if is_ratelimited(
        request, group="works.preview", key="user", rate=PREVIEW_RATE, method="POST",
        increment=True,
    ):  # fmt: skip
        forms[0].add_error(None, PREVIEW_LIMITED)
        return {}, 429
    preview: dict = {}
    try:
        if work_form is not None and work_form.is_valid():
            preview["title"] = work_form.cleaned_data["title"]
            preview |= _rendered(work_form, fmt, summary="summary", notes="notes")
        if chapter_form is not None and chapter_form.is_valid():
            preview["chapter_title"] = chapter_form.cleaned_data["title"]
            preview |= _rendered(
                chapter_form, fmt, chapter_notes="notes", body="body", chapter_endnotes="endnotes"
            )
    except _NotRendered:
        return {}, 200  # the message is on the form
    return preview, 200


class _NotRendered(Exception):
    pass


def _rendered(form: Form, fmt: str, **fields: str) -> dict:
    """{preview key: the form field's text formatted}; a text too complex to format
    becomes an error on its field instead, and there is no preview."""
    rendered = {}
    for key, field in fields.items():
        try:
            rendered[key] = render_text(form.cleaned_data[field], fmt, field=field)
        except MarkupTooComplex as error:
            form.add_error(None, error)
            raise _NotRendered from error
    return rendered


def _tell_pending_series(request: HttpRequest, work: Work) -> None:
    """A work offered to a moderated series is not a part yet: say so, or the author
    would look for "Part N of" in vain."""
    for part in work.serial_works.filter(approved=False).select_related("series"):
        messages.info(
            request,
            gettext("“%(title)s” is moderated: your work shows in it once its owner approves it.")
            % {"title": part.series.title},
        )


def _limited(request: HttpRequest, form: Form) -> bool:
    """Over the posting rate: nothing is saved, and the form comes back with everything
    typed and a message (a bare 429 page would lose the author's text)."""
    if not getattr(request, "limited", False):
        return False
    form.add_error(
        None,
        "You have saved a lot in the last hour, so this was not saved yet. Wait a few "
        "minutes and send it again: everything you typed is kept below.",
    )
    return True


@login_required
@ratelimit(key="user", rate=POST_RATE, method="POST", block=False)
def work_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    challenge_id = parse_id(request.GET.get("challenge"))
    if request.method == "GET" and challenge_id:
        # "Post a response" on a challenge's page.
        initial["challenge"] = challenge_id
    work_form = WorkForm(request.POST or None, user=request.user, initial=initial)
    chapter_form = ChapterForm(request.POST or None, prefix="chapter")
    context = {"work_form": work_form, "chapter_form": chapter_form, "creating": True}
    if request.method == "POST" and _limited(request, work_form):
        return render(request, "works/work_form.html", context, status=429)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "draft")
        if action == "preview":
            fmt = request.POST.get("text_format", "html")
            context["preview"], status = _preview(request, work_form, chapter_form, fmt)
        elif work_form.is_valid() and chapter_form.is_valid():
            try:
                work = services.work_create(
                    creator=request.user,
                    data=work_form.to_fields(),
                    chapter=chapter_form.to_fields(),
                    post=action == "post",
                    pseuds=list(work_form.cleaned_data.get("pseuds") or []) or None,
                    cocreators=work_form.cleaned_data["cocreators"],
                )
            except ValidationError as error:
                _apply_errors(error, work_form, chapter_form)
            else:
                messages.success(request, posted_message(work))
                _tell_pending_series(request, work)
                return redirect(work)
    return render(request, "works/work_form.html", context, status=status)


def _invitations_limited(request: HttpRequest, form: WorkForm) -> bool:
    """Each invitation mails someone: an editor inviting more often than posts are
    allowed is refused, with the form kept (creating a work is limited as a post)."""
    if not form.cleaned_data["cocreators"]:
        return False
    if not is_ratelimited(
        request, group="works.invite", key="user", rate=POST_RATE, method="POST",
        increment=True,
    ):  # fmt: skip
        return False
    form.add_error(
        "cocreators",
        gettext("You have invited many co-creators in the last hour; wait a few minutes."),
    )
    return True


@login_required
def work_edit(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _editable_work(request, work_id)
    work_form = WorkForm(
        request.POST or None, user=request.user, initial=WorkForm.initial_for(work, request.user)
    )
    parts = work.serial_works.select_related("series").order_by("series__title")
    context = {
        "work_form": work_form,
        "work": work,
        "creating": False,
        "parts": parts,
        "creatorships": work.creatorships.select_related("pseud__user"),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "preview":
            fmt = request.POST.get("text_format", "html")
            context["preview"], status = _preview(request, work_form, None, fmt)
        elif work_form.is_valid() and not _invitations_limited(request, work_form):
            try:
                with transaction.atomic():
                    services.work_update(work=work, editor=request.user, data=work_form.to_fields())
                    for pseud in work_form.cleaned_data["cocreators"]:
                        services.cocreator_invite(work=work, inviter=request.user, pseud=pseud)
                    # A rejected work is posted already; posting it again resubmits it.
                    if action == "post" and (not work.posted or work.approval == Approval.REJECTED):
                        services.work_post(work=work, editor=request.user)
            except ValidationError as error:
                _apply_errors(error, work_form)
            else:
                posted = action == "post" and work.posted
                messages.success(
                    request, posted_message(work) if posted else gettext("Your changes were saved.")
                )
                _tell_pending_series(request, work)
                return redirect(work)
    return render(request, "works/work_form.html", context, status=status)


@never_cache
@login_required
def work_preview(request: HttpRequest, work_id: int) -> HttpResponse:
    """The whole work as readers will see it, drafts included, for its editors only:
    the reading page's own templates, never cached and never indexed."""
    work = _editable_work(request, work_id)
    page = work_page(work=work, can_edit=True)
    page.pending = []  # readers never see an unanswered invitation
    chapters = list(work.chapters.readable_by_creator(True).order_by("position"))
    context = {
        "page": page,
        "work": work,
        "chapters": chapters,
        "can_edit": True,
        "full": True,
        "previewing": True,
    }
    response = render(request, "works/preview.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_POST
def work_post_view(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _editable_work(request, work_id)
    work = services.work_post(work=work, editor=request.user)
    messages.success(request, posted_message(work))
    return redirect(work)


@login_required
@require_POST
def work_feature_view(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_object_or_404(Work, pk=work_id)
    featured = request.POST.get("featured") == "1"
    staff_services.work_set_featured(work=work, featured=featured, editor=request.user)
    if featured:
        message = _("“%(title)s” is now featured on the home page.")
    else:
        message = _("“%(title)s” is no longer featured.")
    messages.success(request, message % {"title": work.title})
    return redirect(work)


@login_required
def work_delete_view(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _editable_work(request, work_id)
    if request.method == "POST":
        title = work.title
        services.work_delete(work=work, editor=request.user)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": title})
        return redirect("works:user_works", request.user.username)
    return render(request, "works/work_delete.html", {"work": work})


# --- chapters ---------------------------------------------------------------------------


@login_required
@ratelimit(key="user", rate=POST_RATE, method="POST", block=False)
def chapter_new(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _editable_work(request, work_id)
    chapters = work.chapters.order_by("position").only("pk", "position", "title")
    form = NewChapterForm(request.POST or None, chapters=chapters)
    context = {"form": form, "work": work, "creating": True}
    if request.method == "POST" and _limited(request, form):
        return render(request, "works/chapter_form.html", context, status=429)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "post")
        if action == "preview":
            context["preview"], status = _preview(request, None, form, work.text_format)
        elif form.is_valid():
            try:
                chapter = chapter_services.chapter_add(
                    work=work,
                    editor=request.user,
                    data=form.to_fields(),
                    post=action == "post",
                    before=form.chosen_before(),
                    posted_on=form.cleaned_data["posted_on"],
                )
            except ValidationError as error:
                _apply_errors(error, form)
            else:
                messages.success(
                    request, _("%(chapter)s was saved.") % {"chapter": chapter.display_title}
                )
                return redirect(chapter)
    return render(request, "works/chapter_form.html", context, status=status)


def _editable_chapter(request: HttpRequest, work_id: int, chapter_id: int) -> Chapter:
    work = _editable_work(request, work_id)
    return get_object_or_404(Chapter.objects.select_related("work"), pk=chapter_id, work=work)


@login_required
def chapter_edit(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    chapter = _editable_chapter(request, work_id, chapter_id)
    initial = {f: getattr(chapter, f) for f in ("title", "summary", "notes", "body", "endnotes")}
    form = ChapterForm(request.POST or None, initial=initial)
    context = {"form": form, "work": chapter.work, "chapter": chapter, "creating": False}
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "preview":
            fmt = chapter.work.text_format
            context["preview"], status = _preview(request, None, form, fmt)
        elif form.is_valid():
            try:
                chapter_services.chapter_update(
                    chapter=chapter, editor=request.user, data=form.to_fields()
                )
            except ValidationError as error:
                _apply_errors(error, form)
            else:
                messages.success(request, _("The chapter was updated."))
                return redirect(chapter)
    return render(request, "works/chapter_form.html", context, status=status)


@login_required
@require_POST
def chapter_post_view(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    chapter = _editable_chapter(request, work_id, chapter_id)
    try:
        chapter_services.chapter_post(chapter=chapter, editor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(chapter)


@login_required
def chapter_delete_view(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    """Confirm, then delete one chapter. The work's only chapter is refused, on the page
    and again by the service, with a pointer to deleting the whole work."""
    chapter = _editable_chapter(request, work_id, chapter_id)
    work = chapter.work
    context = {"chapter": chapter, "work": work, "only_chapter": work.chapters.count() <= 1}
    if request.method != "POST":
        return render(request, "works/chapter_delete.html", context)
    title = chapter.display_title
    try:
        chapter_services.chapter_delete(chapter=chapter, editor=request.user)
    except ValidationError as error:
        context.update(only_chapter=True, errors=error.messages)
        return render(request, "works/chapter_delete.html", context, status=409)
    messages.success(
        request,
        gettext("%(chapter)s of “%(work)s” was deleted.") % {"chapter": title, "work": work.title},
    )
    return redirect(work)


@login_required
def chapters_manage(request: HttpRequest, work_id: int) -> HttpResponse:
    """Reorder the chapters: a number box per chapter (drag and drop and move buttons
    come from works/reorder.js and fill in the same boxes)."""
    work = _editable_work(request, work_id)
    data = request.POST if request.method == "POST" else None  # an empty POST is refused too
    form = ReorderForm(data, chapters=work.chapters.order_by("position"))
    if request.method == "POST" and form.is_valid():
        try:
            chapter_services.chapters_reorder(work=work, editor=request.user, order=form.order())
        except ValidationError as error:  # a chapter added or deleted meanwhile
            form.add_error(None, error)
        else:
            messages.success(request, gettext("The chapters are in their new order."))
            return redirect("works:navigate", work.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "work": work, "script_text": _reorder_script_text()}
    return render(request, "works/chapters_manage.html", context, status=status)


def _reorder_script_text() -> dict[str, str]:
    # The script's words, translated here and handed over with json_script.
    return {
        "up": gettext("Move up"),
        "down": gettext("Move down"),
        "which": gettext("“%(title)s”"),
        "moved": gettext("“%(title)s” is now at position %(position)s."),
        "drag": gettext("Drag the chapters, or use the Move buttons, then save."),
    }


# --- the author's own pages -------------------------------------------------------------


@login_required
def drafts(request: HttpRequest) -> HttpResponse:
    rows = (
        # The menu's "Drafts (N)" counts the same works (each once).
        drafts_of(request.user).order_by("-edited_at").values_list("pk", "render_version")
    )
    blurbs = blurbs_for(list(rows), BlurbOptions.for_viewer(request.user))
    # Posted works the moderators hold back live here too: only their creators see them.
    unapproved = (
        Work.objects.created_by(request.user)
        .filter(posted=True)
        .exclude(approval=Approval.APPROVED)
        .order_by("-edited_at")
        .only("pk", "title", "approval", "approval_message")
    )
    return render(request, "works/drafts.html", {"blurbs": blurbs, "unapproved": unapproved})


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    pending = list(invitations_for(user=request.user))
    return render(request, "works/invitations.html", {"invitations": pending})


@login_required
@require_POST
def invitation_answer(request: HttpRequest, creatorship_id: int, decision: str) -> HttpResponse:
    """Accept or decline a co-creator invitation; only its invitee may (anyone else gets
    a 403 from the service, an answered or unknown one a 404)."""
    if decision not in ("accept", "decline"):
        raise NotFound(gettext("No such answer."))
    creatorship = get_object_or_404(
        Creatorship.objects.select_related("work", "pseud"), pk=creatorship_id, approved=False
    )
    title = creatorship.work.title
    if decision == "accept":
        services.creatorship_accept(creatorship=creatorship, user=request.user)
        messages.success(
            request, gettext("You are now credited on “%(title)s”.") % {"title": title}
        )
    else:
        services.creatorship_decline(creatorship=creatorship, user=request.user)
        messages.success(
            request,
            gettext("You declined the invitation to “%(title)s”.") % {"title": title},
        )
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("works:invitations")
