from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fanfold.accounts.selectors import signed_in
from fanfold.archive.errors import NotFound
from fanfold.archive.params import parse_id, parse_text
from fanfold.archive.returns import message_at, redirect_back
from fanfold.filters.listing import muted_work_ids, works_filtered_listing
from fanfold.filters.selectors import tag_work_counts
from fanfold.staff.permissions import staff_required
from fanfold.tags import bulk, services
from fanfold.tags.directory import LETTERS, OTHER, fandom_directory
from fanfold.tags.forms import MergeForm, ParentsForm, QueueFilterForm, RenameForm, TypeForm
from fanfold.tags.models import FIXED_TYPES, Tag, TagType
from fanfold.tags.selectors import (
    tag_by_url_name,
    tag_family,
    tag_named,
    tags_autocomplete,
    tags_search,
    wrangling_tags,
)


def _tag_or_404(request: HttpRequest, name: str, *, every_tag: bool = False) -> Tag:
    tag = tag_by_url_name(name, viewer=request.user, every_tag=every_tag)
    if tag is None:
        raise NotFound(gettext("No such tag."))
    return tag


def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    tag = _tag_or_404(request, name)
    viewer = signed_in(request.user)
    # What the works page lists before any filter is chosen (a synonym: its canonical's).
    count = tag_work_counts([tag.pk], viewer, exclude_work_ids=muted_work_ids(viewer))
    context = {
        "tag": tag,
        "family": tag_family(tag, request.user),
        "works_count": count.get(tag.pk, 0),
    }
    return render(request, "tags/detail.html", context)


def fandom_index(request: HttpRequest) -> HttpResponse:
    """The fandom directory: by media (fandom metatags), or one letter's fandoms, or
    every fandom of one media group."""
    directory = fandom_directory(signed_in(request.user))
    context: dict = {"directory": directory, "letters": LETTERS, "other": OTHER}
    letter = request.GET.get("letter")
    media = request.GET.get("media")
    if letter is not None:
        if letter not in LETTERS and letter != OTHER:
            raise NotFound(gettext("No such letter."))
        context.update(letter=letter, fandoms=directory.by_letter(letter))
    elif media is not None:
        group = directory.group(media[:400])
        if group is None:
            raise NotFound(gettext("No such media."))
        context.update(group=group, fandoms=group.fandoms)
    return render(request, "tags/fandoms.html", context)


SEARCH_PER_PAGE = 50


def tag_search(request: HttpRequest) -> HttpResponse:
    """Tags holding the words searched for, with the works each lists for the viewer."""
    query = parse_text(request.GET.get("q"))
    tag_type = request.GET.get("type") or ""
    if tag_type and tag_type not in TagType.values:
        message = _("There is no tag type called “%(type)s”.") % {"type": tag_type[:40]}
        messages.error(request, message)
        tag_type = ""
    viewer = signed_in(request.user)
    tags = tags_search(query=query, viewer=viewer, tag_type=tag_type or None)
    page = Paginator(tags, SEARCH_PER_PAGE).get_page(request.GET.get("page"))
    counts = tag_work_counts([t.pk for t in page], viewer, exclude_work_ids=muted_work_ids(viewer))
    for tag in page:
        tag.works_count = counts.get(tag.pk, 0)
    context = {
        "q": query,
        "type": tag_type,
        "types": TagType.choices,
        "page": page,
        "searched": bool(query),
    }
    return render(request, "tags/search.html", context)


def tag_works(request: HttpRequest, name: str) -> HttpResponse:
    tag = _tag_or_404(request, name)
    if tag.merger_id:
        # A synonym's works live under its canonical tag.
        return redirect(tag.merger.get_works_url())
    listing = works_filtered_listing(viewer=request.user, params=request.GET, fixed_tag=tag)
    return render(request, "tags/works.html", {"tag": tag, "filtered": listing})


@require_GET
def autocomplete(request: HttpRequest) -> JsonResponse:
    tag_type = request.GET.get("type") or None
    if tag_type is not None and tag_type not in TagType.values:
        return JsonResponse({"error": f"Unknown tag type {tag_type!r}."}, status=400)
    tags = tags_autocomplete(
        term=request.GET.get("term", "")[:100], tag_type=tag_type, viewer=request.user
    )
    response = JsonResponse({"tags": [{"name": t.name, "type": t.type} for t in tags]})
    # Members may see more tags than guests: keep answers in the browser's own cache.
    response["Cache-Control"] = "private, max-age=60"
    return response


# --- Staff wrangling pages --------------------------------------------------------------
# The services check the wrangler's rights again, tag by tag (fandom assignments): the
# decorator only gives outsiders a clean answer (log in, or 403) before any form is read.

QUEUE_PER_PAGE = 50
QUEUE_PLACE = "wrangle-queue"  # the list's anchor: bulk actions land back there
# A refused bulk action redirects back to the list (the filters live in its query); what
# the wrangler ticked and typed rides along in the session for that one page view.
BULK_KEPT = "wrangle_bulk_kept"
BULK_ACTIONS = ("canonical", "merge", "parents")


def _named_or_error(name: str) -> Tag:
    tag = tag_named(name)
    if tag is None:
        raise ValidationError(
            gettext("There is no tag named “%(name)s”.") % {"name": " ".join(name.split())}
        )
    return tag


def _queue_tags(filters: QueueFilterForm):
    """The queue for the filter form's choices; nothing when the fandom is unknown
    (an empty list beats silently showing every fandom's tags)."""
    if filters.is_bound and not filters.is_valid():
        return Tag.objects.none()
    data = filters.cleaned_data if filters.is_bound else {}
    fandom = None
    if data.get("fandom"):
        fandom = tag_named(data["fandom"])
        if fandom is None or fandom.type != TagType.FANDOM:
            filters.add_error("fandom", "There is no fandom by that name.")
            return Tag.objects.none()
    status = data.get("status") or "unwrangled"
    return wrangling_tags(status=status, fandom=fandom, tag_type=data.get("type") or None)


@contextmanager
def _refusal_as_error():
    """A tag outside the wrangler's fandoms is refused by the service; show that on the
    form like any other error instead of a bare 403."""
    try:
        yield
    except PermissionDenied as exc:
        raise ValidationError(str(exc)) from exc


@staff_required("wrangle_tags")
def wrangle_queue(request: HttpRequest) -> HttpResponse:
    row_errors: dict[int, str] = {}
    typed: dict[int, str] = {}
    if request.method == "POST":
        try:
            with _refusal_as_error():
                message = _queue_action(request)
        except ValidationError as exc:
            tag_id = parse_id(request.POST.get("tag"))
            if tag_id is not None:
                row_errors[tag_id] = " ".join(exc.messages)
                typed[tag_id] = request.POST.get("into", "")
            messages.error(request, " ".join(exc.messages))
        else:
            message_at(request, messages.SUCCESS, message, place=QUEUE_PLACE)
            # Back to the same filtered page at the list, so the next row is one click away.
            return redirect(f"{request.get_full_path()}#{QUEUE_PLACE}")
    filters = QueueFilterForm(request.GET or None)
    page = Paginator(_queue_tags(filters), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    for row in page:
        row.error = row_errors.get(row.pk, "")
        row.typed = typed.get(row.pk, "")
    query = request.GET.copy()
    query.pop("page", None)
    kept = request.session.pop(BULK_KEPT, None) if BULK_KEPT in request.session else None
    context = {
        "filters": filters,
        "page": page,
        "kept": kept or {"tags": [], "action": "canonical", "into": "", "parents": ""},
        "query": query.urlencode(),
        "status": getattr(filters, "cleaned_data", {}).get("status") or "unwrangled",
        "flash_places": (QUEUE_PLACE,),
    }
    return render(request, "tags/wrangle.html", context)


def _queue_action(request: HttpRequest) -> str:
    tag = Tag.objects.filter(pk=parse_id(request.POST.get("tag"))).first()
    if tag is None:
        raise ValidationError(_("That tag no longer exists."))
    action = request.POST.get("action")
    if action == "canonical":
        services.tag_make_canonical(user=request.user, tag=tag)
        return gettext("“%(tag)s” is now canonical.") % {"tag": tag.name}
    if action == "merge":
        into_name = request.POST.get("into", "").strip()
        if not into_name:
            raise ValidationError(_("Name the canonical tag to merge it into."))
        into = _named_or_error(into_name)
        services.tag_merge(user=request.user, tag=tag, into=into)
        return gettext("“%(tag)s” is now a synonym of “%(into)s”.") % {
            "tag": tag.name,
            "into": into.name,
        }
    raise ValidationError(_("Unknown action."))


@require_POST
@staff_required("wrangle_tags")
def wrangle_bulk(request: HttpRequest) -> HttpResponse:
    """The checked tags of the wrangling page, all at once (fanfold.tags.bulk); back to
    the same filtered page, at the list, with the message there."""
    tag_ids = [i for i in map(parse_id, request.POST.getlist("tags")) if i is not None]
    action = request.POST.get("action", "")
    try:
        with _refusal_as_error():
            into = parents = None
            if action == "merge" and request.POST.get("into", "").strip():
                into = _named_or_error(request.POST["into"].strip())
            if action == "parents":
                names = services.split_tag_names(request.POST.get("parents", "")[:2000])
                parents = [_named_or_error(name) for name in names]
            text = bulk.tags_bulk_wrangle(
                user=request.user, tag_ids=tag_ids, action=action, into=into, parents=parents or ()
            )
    except ValidationError as exc:
        message_at(request, messages.ERROR, " ".join(exc.messages), place=QUEUE_PLACE)
        request.session[BULK_KEPT] = {
            "tags": tag_ids[:QUEUE_PER_PAGE],
            "action": action if action in BULK_ACTIONS else "canonical",
            "into": request.POST.get("into", "")[:150],
            "parents": request.POST.get("parents", "")[:2000],
        }
    else:
        message_at(request, messages.SUCCESS, text, place=QUEUE_PLACE)
    return redirect_back(request, reverse("tags:wrangle"), anchor=QUEUE_PLACE)


class EditForms:
    """The edit page's forms: the one that was posted is bound, the others are fresh."""

    classes = {"rename": RenameForm, "merge": MergeForm, "parents": ParentsForm, "type": TypeForm}

    def __init__(self, tag: Tag, posted: str | None = None, data=None) -> None:
        initial = {"rename": {"name": tag.name}, "type": {"type": tag.type}}
        for prefix, form_class in self.classes.items():
            bound = data if prefix == posted else None
            setattr(self, prefix, form_class(bound, prefix=prefix, initial=initial.get(prefix)))


@staff_required("wrangle_tags")
def tag_edit(request: HttpRequest, name: str) -> HttpResponse:
    tag = _tag_or_404(request, name, every_tag=True)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = EditForms(tag, action, request.POST)
    if action is not None:
        form = getattr(forms, action, None) if action in EditForms.classes else None
        try:
            if form is not None and not form.is_valid():
                raise ValidationError(_("Please check the form below."))
            with _refusal_as_error():
                message = _edit_action(request, tag, action, form)
        except ValidationError as exc:
            if form is not None and not form.errors:
                form.add_error(None, exc)
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, message)
            tag.refresh_from_db()
            return redirect("tags:edit", tag.url_name)
    context = {
        "tag": tag,
        "family": tag_family(tag, every_tag=True),
        "forms": forms,
        "fixed": tag.type in FIXED_TYPES,
    }
    return render(request, "tags/edit.html", context)


def _edit_action(request: HttpRequest, tag: Tag, action: str, form) -> str:
    user = request.user
    if action == "rename":
        services.tag_rename(user=user, tag=tag, name=form.cleaned_data["name"])
        return "Renamed."
    if action == "canonical":
        canonical = request.POST.get("canonical") == "1"
        services.tag_make_canonical(user=user, tag=tag, canonical=canonical)
        return gettext("Now canonical.") if canonical else gettext("No longer canonical.")
    if action == "merge":
        into = _named_or_error(form.cleaned_data["into"])
        services.tag_merge(user=user, tag=tag, into=into)
        return gettext("Now a synonym of “%(into)s”.") % {"into": into.name}
    if action == "unmerge":
        services.tag_unmerge(user=user, tag=tag)
        return gettext("No longer a synonym.")
    if action == "parents":
        names = services.split_tag_names(form.cleaned_data["names"])
        services.tag_set_parents(user=user, tag=tag, add=[_named_or_error(n) for n in names])
        return gettext("Parent tags added.")
    if action == "remove_parent":
        parent = tag.parents.filter(pk=parse_id(request.POST.get("parent"))).first()
        if parent is None:
            raise ValidationError(_("That is not a parent of this tag."))
        services.tag_set_parents(user=user, tag=tag, remove=[parent])
        return gettext("“%(tag)s” is no longer a parent.") % {"tag": parent.name}
    if action == "type":
        services.tag_set_type(user=user, tag=tag, tag_type=form.cleaned_data["type"])
        return gettext("Type changed.")
    raise ValidationError(_("Unknown action."))
