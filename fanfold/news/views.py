"""News pages: the list, a post with its comments, and staff's forms to write them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fanfold.archive.forms import add_service_errors
from fanfold.comments.forms import CommentForm
from fanfold.comments.selectors import comment_threads
from fanfold.comments.targets import NewsTarget
from fanfold.news import selectors, services
from fanfold.news.forms import NewsPostForm
from fanfold.news.models import NewsPost
from fanfold.news.permissions import PERM, can_post_news
from fanfold.staff.permissions import staff_required


def _post_or_404(request: HttpRequest, post_id: int) -> NewsPost:
    post = selectors.news_post_for_viewer(post_id=post_id, viewer=request.user)
    if post is None:
        raise Http404(_("No such news post."))
    return post


def news_index(request: HttpRequest) -> HttpResponse:
    page = selectors.news_page(viewer=request.user, page=request.GET.get("page"))
    return render(
        request,
        "news/index.html",
        {"page": page, "can_post": can_post_news(request.user)},
    )


def news_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    user = request.user if request.user.is_authenticated else None
    target = NewsTarget(post)
    moderator = target.is_moderator(user)
    context = {
        "post": post,
        "can_post": can_post_news(user),
        "target": post,
        "threads": comment_threads(
            news_post=post,
            viewer=user,
            moderator=moderator,
            page=request.GET.get("comments_page"),
        ),
        "moderator": moderator,
        "comment_reason": target.permission_error(user),
        "comment_form": CommentForm(guest=user is None),
        "new_comment_url": target.new_comment_url(),
        # A new comment's message shows beside it (fanfold.archive.returns).
        "flash_places": ("comments", "comment_") if post.published else (),
    }
    return render(request, "news/detail.html", context)


def _save(request: HttpRequest, form: NewsPostForm, post: NewsPost | None) -> HttpResponse:
    """Create or update from a bound form; on refusal re-render with what was typed."""
    if form.is_valid():
        try:
            if post is None:
                post = services.news_post_create(author=request.user, data=form.fields_data())
            else:
                post = services.news_post_update(
                    post=post, editor=request.user, data=form.fields_data()
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The post is published.") if post.published else _("The draft was saved."),
            )
            return redirect(post.get_absolute_url())
    return render(request, "news/form.html", {"form": form, "post": post}, status=400)


@staff_required(PERM)
def news_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request, NewsPostForm(request.POST), None)
    return render(request, "news/form.html", {"form": NewsPostForm(), "post": None})


@staff_required(PERM)
def news_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    if request.method == "POST":
        return _save(request, NewsPostForm(request.POST, post=post), post)
    return render(request, "news/form.html", {"form": NewsPostForm(post=post), "post": post})


@staff_required(PERM)
def news_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    if request.method == "POST":
        services.news_post_delete(post=post, user=request.user)
        messages.success(request, _("The post “{title}” was deleted.").format(title=post.title))
        return redirect(reverse("news:index"))
    return render(request, "news/delete.html", {"post": post})
