"""Reading comments: threads for a chapter, work or news page, a single thread, the inbox."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from fanfold.accounts.models import User
from fanfold.blocking.selectors import muted_user_ids
from fanfold.comments.models import Comment, CommentStatus, InboxItem
from fanfold.comments.targets import in_readable_targets, target_for, target_of
from fanfold.news.models import NewsPost
from fanfold.staff.permissions import has_perm
from fanfold.works.models import Chapter, Work

THREADS_PER_PAGE = 20


@dataclass
class CommentThreads:
    comments: list[Comment]
    page: Page
    pending: list[Comment] = field(default_factory=list)


def _visible(qs: QuerySet[Comment], viewer: User | None, moderator: bool) -> QuerySet[Comment]:
    """Published, unhidden comments for everyone; staff also see hidden ones, the work's
    creators also see those waiting for approval, and writers see their own."""
    member = viewer if viewer is not None and viewer.is_authenticated else None
    q = Q(status=CommentStatus.PUBLISHED, hidden_by_admin=False)
    if has_perm(member, "moderate_comments"):
        q |= Q(status=CommentStatus.PUBLISHED)
    if moderator:
        q |= Q(status=CommentStatus.PENDING, hidden_by_admin=False)
    if member is not None:
        q |= Q(user=member)
    return qs.filter(q)


def _drop_muted(comments: list[Comment], viewer: User | None) -> list[Comment]:
    """Leave out comments by muted members and the replies under them."""
    muted = set(muted_user_ids(viewer))
    if not muted:
        return comments
    gone: list[str] = []
    kept = []
    for comment in comments:
        if comment.user_id in muted:
            gone.append(comment.path + "/")
            continue
        if any(comment.path.startswith(prefix) for prefix in gone):
            continue
        kept.append(comment)
    return kept


def comment_threads(
    *,
    work: Work | None = None,
    news_post: NewsPost | None = None,
    viewer: User | None,
    chapter: Chapter | None = None,
    whole_work: bool = False,
    moderator: bool = False,
    page: str | int | None = 1,
) -> CommentThreads:
    """A page of threads, oldest first, each listed depth-first. Two queries whatever
    the number of comments (none included): the count of threads, and every comment in
    the page's threads. Threads are on a work's chapter (or the whole work) or on a news
    post."""
    base = Comment.objects.filter(**target_of(work=work, news_post=news_post).lookup)
    if work is not None and not whole_work:
        base = base.filter(chapter=chapter)
    roots = _roots(base, viewer, moderator)
    # The page of thread roots goes into the comments query as a subquery, and the pager
    # works from the count alone: the same queries whether a chapter has comments or not.
    page_obj = Paginator(range(roots.count()), THREADS_PER_PAGE).get_page(page)
    start = page_obj.start_index() - 1 if page_obj.paginator.count else 0
    page_roots = roots.order_by("pk").values("pk")[start : start + THREADS_PER_PAGE]
    everything = base.filter(thread_id__in=page_roots)
    comments = list(
        (_visible(everything, viewer, moderator) | everything.filter(deleted=True))
        .select_related("pseud__user", "chapter")
        .order_by("thread_id", "path")
    )
    comments = _drop_connections(comments)
    comments = _drop_muted(comments, viewer)
    pending = [c for c in comments if c.status == CommentStatus.PENDING]
    return CommentThreads(comments=comments, page=page_obj, pending=pending)


def _roots(base: QuerySet[Comment], viewer: User | None, moderator: bool) -> QuerySet[Comment]:
    """The thread roots of `base` the viewer is shown, one per thread on the pages."""
    roots = _visible(base.filter(depth=0), viewer, moderator)
    # Placeholders of deleted comments count as roots: their replies hang from them.
    roots = roots | base.filter(depth=0, deleted=True)
    muted = muted_user_ids(viewer)
    if muted:
        roots = roots.exclude(user_id__in=muted)
    return roots


def comment_page_number(*, comment: Comment, viewer: User | None, moderator: bool) -> int:
    """The page of threads (as `comment_threads` pages them) that holds `comment`, on
    the page its link opens: its chapter's threads, or the whole work's (or the news
    post's) for a comment on no chapter. Threads are paged oldest first by root."""
    base = Comment.objects.filter(**target_for(comment).lookup)
    if comment.work_id is not None and comment.chapter_id is not None:
        base = base.filter(chapter_id=comment.chapter_id)
    before = _roots(base, viewer, moderator).filter(pk__lt=comment.thread_id).count()
    return before // THREADS_PER_PAGE + 1


def _drop_connections(comments: list[Comment]) -> list[Comment]:
    """A reply whose parent the viewer can't see (hidden, pending) is left out too, so
    no one reads half a conversation out of context."""
    shown: set[int] = set()
    kept = []
    for comment in comments:
        if comment.parent_id is None or comment.parent_id in shown:
            shown.add(comment.pk)
            kept.append(comment)
    return kept


def thread_of(*, comment: Comment, viewer: User | None, moderator: bool) -> list[Comment]:
    """The whole thread `comment` belongs to, as `viewer` may see it, depth-first."""
    qs = Comment.objects.filter(thread_id=comment.thread_id).select_related(
        "pseud__user", "chapter"
    )
    visible = _visible(qs, viewer, moderator) | qs.filter(deleted=True)
    return _drop_muted(_drop_connections(list(visible.order_by("path"))), viewer)


def comment_for_viewer(*, comment_id: int, viewer: User | None) -> Comment | None:
    """A single comment, if the viewer may see both it and its work (or news post)."""
    comment = (
        Comment.objects.select_related("work", "news_post", "chapter", "pseud__user", "parent")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return None
    target = target_for(comment)
    if not target.readable_by(viewer):
        return None
    moderator = target.is_moderator(viewer)
    visible = _visible(Comment.objects.filter(pk=comment.pk), viewer, moderator).exists()
    if not visible and not comment.deleted:
        return None
    return comment


def is_moderator(
    *, work: Work | None = None, news_post: NewsPost | None = None, viewer: User | None
) -> bool:
    """Whether `viewer` moderates the comments here: comment moderators, and a work's
    creators."""
    return target_of(work=work, news_post=news_post).is_moderator(viewer)


def inbox_items(*, user: User, unread_only: bool = False) -> QuerySet[InboxItem]:
    # Works hidden, unposted or deleted since (and unpublished news) stay out, as
    # everywhere else.
    qs = (
        InboxItem.objects.filter(user=user, comment__deleted=False)
        .filter(in_readable_targets(user, prefix="comment__"))
        .select_related(
            "comment__work", "comment__news_post", "comment__chapter", "comment__pseud__user"
        )
    )
    if unread_only:
        qs = qs.filter(read=False)
    muted = muted_user_ids(user)
    if muted:
        qs = qs.exclude(comment__user_id__in=muted)
    return qs.order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    """The inbox badge: exactly the unread items the inbox shows."""
    return inbox_items(user=user, unread_only=True).count()


def held_comments() -> QuerySet[Comment]:
    """Comments the spam defence holds, oldest first, for staff who moderate comments."""
    return (
        Comment.objects.filter(status=CommentStatus.PENDING, deleted=False)
        .exclude(held_reason="")
        .select_related("work", "news_post", "chapter", "pseud__user")
        .order_by("created_at", "pk")
    )
