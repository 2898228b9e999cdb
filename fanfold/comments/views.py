"""Comment pages. The work page (or a news post's page) shows threads and the
new-comment form; replies, edits and deletions have pages of their own so everything
works without JavaScript."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from fanfold.archive.errors import NotFound
from fanfold.archive.params import parse_id
from fanfold.archive.returns import message_at, with_anchor
from fanfold.comments import selectors, services
from fanfold.comments.forms import CommentEditForm, CommentForm
from fanfold.comments.models import Comment
from fanfold.comments.targets import Target, WorkTarget, target_for, target_of
from fanfold.news.selectors import news_post_for_viewer
from fanfold.staff.permissions import staff_required
from fanfold.works.models import Chapter, Work
from fanfold.works.selectors import invitations_for


def _comment_url(comment: Comment) -> str:
    return target_for(comment).comment_url(comment)


def _readable_work(request: HttpRequest, work_id: int) -> Work:
    work = Work.objects.readable_by(request.user).filter(pk=work_id).first()
    if work is None:
        raise NotFound(gettext("No such work."))
    return work


def _rate_per_ip(group, request) -> str:
    return settings.COMMENT_RATE_PER_IP


def _rate_per_user(group, request) -> str:
    return settings.COMMENT_RATE_PER_USER


def _comment_limits(view):
    """Per address and per account: guests and bots can't flood a work, and a member
    can't post faster than a person types. Rates are read per request (settings)."""
    view = ratelimit(group="comments.post.ip", key="ip", rate=_rate_per_ip, method="POST")(view)
    return ratelimit(
        group="comments.post.user", key="user_or_ip", rate=_rate_per_user, method="POST"
    )(view)


def _form_data(form: CommentForm, request: HttpRequest) -> services.CommentFields:
    data = form.cleaned_data
    return services.CommentFields(
        body=data["body"],
        guest_name=data.get("guest_name", "") or "",
        guest_email=data.get("guest_email", "") or "",
    )


def _render_form(
    request, target: Target, form, *, parent=None, chapter=None, status=200, reason=None
):
    return render(
        request,
        "comments/comment_form.html",
        {
            "target": target.obj,
            "new_comment_url": target.new_comment_url(),
            "form": form,
            "parent": parent,
            "chapter": chapter,
            "reason": reason,
        },
        status=status,
    )


def _post(request, target: Target, form, *, chapter=None, parent=None) -> HttpResponse:
    """Validate and create a comment or reply; on any refusal re-render the form with
    the message and everything typed."""
    if not form.is_valid():
        return _render_form(request, target, form, chapter=chapter, parent=parent, status=400)
    try:
        comment = services.comment_create(
            **target.lookup,
            user=request.user,
            data=_form_data(form, request),
            chapter=chapter,
            parent=parent,
        )
    except PermissionDenied as exc:
        return _render_form(
            request, target, form, chapter=chapter, parent=parent, status=403, reason=str(exc)
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _render_form(request, target, form, chapter=chapter, parent=parent, status=400)
    if comment.held_reason:
        level, text = (
            messages.INFO,
            gettext(
                "Thank you! Your comment will appear once it is approved: new members' first "
                "comments and guest comments with many links are read before they go up."
            ),
        )
    elif comment.status == "pending":
        level = messages.INFO
        text = gettext("Thank you! Your comment will appear once the creator approves it.")
    else:
        level = messages.SUCCESS
        text = gettext("Your reply was posted.") if parent else gettext("Your comment was posted.")
    return _land_on(request, target, comment, level, text)


def _land_on(request: HttpRequest, target: Target, comment: Comment, level: int, text: str):
    """To the page of threads that holds the new comment (a later comments page if need
    be), at the comment, with the message beside it; at the comments heading when the
    writer can't see it there (a guest's comment awaiting approval)."""
    path, _, _ = _comment_url(comment).partition("#")
    moderator = target.is_moderator(request.user)
    number = selectors.comment_page_number(
        comment=comment, viewer=request.user, moderator=moderator
    )
    if number > 1:
        path += f"{'&' if '?' in path else '?'}comments_page={number}"
    shown = selectors.comment_for_viewer(comment_id=comment.pk, viewer=request.user)
    place = f"comment_{comment.pk}" if shown is not None else "comments"
    message_at(request, level, text, place=place)
    return HttpResponseRedirect(with_anchor(path, place))


@require_POST
@_comment_limits
def comment_new(request: HttpRequest, work_id: int) -> HttpResponse:
    """A top-level comment from the form under a chapter or the whole work."""
    work = _readable_work(request, work_id)
    form = CommentForm(request.POST, guest=not request.user.is_authenticated)
    chapter = None
    if form.is_valid() and form.cleaned_data.get("chapter"):
        chapter = Chapter.objects.filter(pk=form.cleaned_data["chapter"], work=work).first()
        if chapter is None:
            raise NotFound(gettext("No such chapter."))
    return _post(request, WorkTarget(work), form, chapter=chapter)


@require_POST
@_comment_limits
def comment_new_on_news(request: HttpRequest, post_id: int) -> HttpResponse:
    """A top-level comment from the form under a news post."""
    post = news_post_for_viewer(post_id=post_id, viewer=request.user)
    if post is None:
        raise NotFound(gettext("No such news post."))
    form = CommentForm(request.POST, guest=not request.user.is_authenticated)
    return _post(request, target_of(news_post=post), form)


@_comment_limits
def comment_reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    parent = selectors.comment_for_viewer(comment_id=comment_id, viewer=request.user)
    if parent is None:
        raise NotFound(gettext("No such comment."))
    guest = not request.user.is_authenticated
    target = target_for(parent)
    if request.method != "POST":
        reason = target.permission_error(request.user)
        form = CommentForm(guest=guest)
        return _render_form(request, target, form, parent=parent, reason=reason)
    return _post(request, target, CommentForm(request.POST, guest=guest), parent=parent)


def comment_detail(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A comment's own page (the link in notices): its thread from this comment down."""
    comment = selectors.comment_for_viewer(comment_id=comment_id, viewer=request.user)
    if comment is None:
        raise NotFound(gettext("No such comment."))
    moderator = target_for(comment).is_moderator(request.user)
    subtree = [
        c
        for c in selectors.thread_of(comment=comment, viewer=request.user, moderator=moderator)
        if c.path.startswith(comment.path)
    ]
    return render(
        request,
        "comments/comment_detail.html",
        {
            "comment": comment,
            "target": comment.target,
            "comments": subtree,
            "moderator": moderator,
            "base_depth": comment.depth,
        },
    )


@login_required
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("work", "news_post"), pk=comment_id)
    if comment.user_id != request.user.pk or comment.deleted:
        raise PermissionDenied(_("Only the person who wrote a comment can edit it."))
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            text = gettext("Your comment was updated.")
            return _land_on(request, target_for(comment), comment, messages.SUCCESS, text)
    return render(
        request,
        "comments/comment_edit.html",
        {"comment": comment, "form": form, "target": comment.target},
    )


def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("work", "news_post"), pk=comment_id)
    if not services.can_delete(comment=comment, user=request.user):
        raise PermissionDenied(_("You can't delete this comment."))
    if request.method == "POST":
        back = target_for(comment).comments_url(comment.chapter_id)
        services.comment_delete(comment=comment, user=request.user)
        messages.success(request, _("The comment was deleted."))
        return redirect(back)
    return render(
        request, "comments/comment_delete.html", {"comment": comment, "target": comment.target}
    )


@require_POST
@login_required
def comment_approve(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("work", "news_post", "parent"), pk=comment_id
    )
    services.comment_approve(comment=comment, user=request.user)
    messages.success(request, _("The comment is now public."))
    if request.POST.get("next") == "held":
        return redirect("comments:held")
    return redirect(_comment_url(comment))


@staff_required("moderate_comments")
def held_queue(request: HttpRequest) -> HttpResponse:
    """Comments the spam defence holds, across the archive (their works' creators see
    them on their own pages too)."""
    page = Paginator(selectors.held_comments(), 50).get_page(request.GET.get("page"))
    return render(request, "comments/held.html", {"page": page})


@require_POST
@staff_required("hide_content")
def comment_hide(request: HttpRequest, comment_id: int, action: str) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("work", "news_post"), pk=comment_id)
    if action not in ("hide", "unhide"):
        raise Http404
    services.comment_set_hidden(
        comment=comment,
        hidden=action == "hide",
        actor=request.user,
        reason=request.POST.get("reason", "")[: services.BODY_MAX],
    )
    messages.success(
        request,
        _("The comment is hidden.") if action == "hide" else _("The comment is visible again."),
    )
    return redirect(_comment_url(comment))


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        ids = [i for i in map(parse_id, request.POST.getlist("items")) if i is not None]
        action = request.POST.get("action")
        if action == "read":
            services.inbox_mark(user=request.user, item_ids=ids, read=True)
        elif action == "unread":
            services.inbox_mark(user=request.user, item_ids=ids, read=False)
        elif action == "delete":
            services.inbox_delete(user=request.user, item_ids=ids)
        return redirect(request.path + ("?unread=1" if request.GET.get("unread") else ""))
    unread_only = bool(request.GET.get("unread"))
    page = Paginator(
        selectors.inbox_items(user=request.user, unread_only=unread_only), 20
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "comments/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": selectors.unread_count(request.user),
            # Co-creator invitations wait here too, above the comments, until answered.
            "invitations": list(invitations_for(user=request.user)),
        },
    )
