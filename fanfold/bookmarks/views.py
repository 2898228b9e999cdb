from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from fanfold.accounts.models import User
from fanfold.archive.errors import NotFound
from fanfold.archive.returns import message_at, return_to, with_anchor
from fanfold.bookmarks import selectors, services
from fanfold.bookmarks.forms import BookmarkForm
from fanfold.bookmarks.models import Bookmark
from fanfold.staff.permissions import has_perm
from fanfold.works.blurbs import attach_blurbs
from fanfold.works.models import Series, Work


def _add_errors(form: BookmarkForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def bookmark_new(
    request: HttpRequest, work_id: int | None = None, series_id: int | None = None
) -> HttpResponse:
    work = series = None
    if work_id is not None:
        work = Work.objects.readable_by(request.user).filter(pk=work_id).first()
        if work is None:
            raise NotFound(gettext("No such work."))
    else:
        series = get_object_or_404(Series.objects.readable_by(request.user), pk=series_id)
    existing = selectors.bookmark_of(user=request.user, work=work, series=series)
    if existing is not None:
        url = reverse("bookmarks:edit", args=[existing.pk])
        back = return_to(request, "")
        return HttpResponseRedirect(f"{url}?{urlencode({'next': back})}" if back else url)
    form = BookmarkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            bookmark = services.bookmark_create(
                user=request.user, data=form.to_fields(), work=work, series=series
            )
        except (ValidationError, PermissionDenied) as exc:
            _add_errors(
                form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
            )
        else:
            return _saved(request, gettext("Bookmarked."), bookmark.target.get_absolute_url())
    context = {"form": form, "target": work or series, "back": return_to(request, "")}
    return render(request, "bookmarks/form.html", context)


def _saved(request: HttpRequest, text: str, default: str) -> HttpResponse:
    """Back to the page the reader bookmarked from (the same chapter, at the buttons,
    with the message there), or to `default` with the message at the top."""
    path = return_to(request, default)
    if path.startswith("/works/"):
        message_at(request, messages.SUCCESS, text, place="work-actions")
        return HttpResponseRedirect(with_anchor(path, "work-actions"))
    messages.success(request, text)
    return HttpResponseRedirect(path)


@login_required
def bookmark_edit(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = get_object_or_404(
        Bookmark.objects.select_related("work", "series"), pk=bookmark_id, user=request.user
    )
    form = BookmarkForm(
        request.POST or None, user=request.user, initial=BookmarkForm.initial_for(bookmark)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.bookmark_update(bookmark=bookmark, user=request.user, data=form.to_fields())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            default = reverse("bookmarks:user", args=[request.user.username])
            return _saved(request, gettext("Your bookmark was saved."), default)
    return render(
        request,
        "bookmarks/form.html",
        {
            "form": form,
            "target": bookmark.target,
            "bookmark": bookmark,
            "back": return_to(request, ""),
        },
    )


@login_required
def bookmark_delete(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = get_object_or_404(Bookmark.objects.select_related("work", "series"), pk=bookmark_id)
    if bookmark.user_id != request.user.pk and not has_perm(request.user, "hide_content"):
        raise PermissionDenied(_("This bookmark is not yours."))
    if request.method == "POST":
        services.bookmark_delete(bookmark=bookmark, user=request.user)
        messages.success(request, _("The bookmark was deleted."))
        return redirect("bookmarks:user", bookmark.user.username)
    return render(request, "bookmarks/delete.html", {"bookmark": bookmark})


def user_bookmarks(request: HttpRequest, username: str) -> HttpResponse:
    owner = get_object_or_404(User, username__iexact=username, is_active=True)
    sort = request.GET.get("sort", "created")
    q = request.GET.get("q", "").strip()[:200]
    tag = request.GET.get("tag", "").strip()[:100]
    rec_only = request.GET.get("rec") == "1"
    qs = selectors.bookmarks_of_user(
        owner=owner, viewer=request.user, q=q, tag=tag, rec_only=rec_only, sort=sort
    )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    page.object_list = attach_blurbs(page.object_list, viewer=request.user)
    return render(
        request,
        "bookmarks/list.html",
        {
            "owner": owner,
            "page": page,
            "own": request.user.is_authenticated and request.user.pk == owner.pk,
            "q": q,
            "tag": tag,
            "rec_only": rec_only,
            "sort": sort if sort in selectors.SORTS else "created",
            "sorts": [
                ("created", _("Date bookmarked")),
                ("updated", _("Date updated")),
                ("title", _("Title")),
            ],
        },
    )


def work_bookmarks(request: HttpRequest, work_id: int) -> HttpResponse:
    work = Work.objects.visible_to(request.user).filter(pk=work_id).first()
    if work is None:
        raise NotFound(gettext("No such work."))
    page = Paginator(
        selectors.public_bookmarks_of_work(work=work, viewer=request.user), 20
    ).get_page(request.GET.get("page"))
    return render(request, "bookmarks/work_bookmarks.html", {"work": work, "page": page})
