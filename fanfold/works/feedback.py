"""What the bottom of a work page shows: kudos, comments, and the member's own
bookmark, subscription and reading-list state. A fixed number of queries per page."""

from __future__ import annotations

from django.http import HttpRequest

from fanfold.accounts.models import User
from fanfold.bookmarks.selectors import bookmark_of
from fanfold.comments.forms import CommentForm
from fanfold.comments.selectors import comment_threads, is_moderator
from fanfold.comments.services import comment_permission_error
from fanfold.history.models import Reading
from fanfold.kudos.selectors import has_left_kudos, kudos_summary
from fanfold.subscriptions.models import Subscription
from fanfold.works.models import Chapter, Work


def feedback_context(
    request: HttpRequest,
    work: Work,
    *,
    chapter: Chapter | None,
    can_edit: bool,
    comments_page: int,
    viewer: User | None = None,
) -> dict:
    """`viewer` stands in for the member on a shared page (fanfold.works.memberpages):
    their own buttons are filled in per request, so they are not looked up here."""
    user = viewer or (request.user if request.user.is_authenticated else None)
    moderator = can_edit or is_moderator(work=work, viewer=user)
    context: dict = {
        "kudos": kudos_summary(work=work, viewer=user),
        "threads": comment_threads(
            work=work,
            viewer=user,
            chapter=chapter,
            whole_work=chapter is None,
            moderator=moderator,
            page=comments_page,
        ),
        "moderator": moderator,
        "comment_reason": comment_permission_error(work=work, user=user),
        "comment_form": CommentForm(guest=user is None),
        "chapter_for_comments": chapter,
        "show_chapter": chapter is None,
    }
    if user is not None and viewer is None:
        context.update(
            kudos_given=has_left_kudos(work=work, user=user),
            bookmark=bookmark_of(user=user, work=work),
            subscription=Subscription.objects.filter(user=user, work=work).first(),
            reading=Reading.objects.filter(user=user, work=work).first(),
        )
    return context
