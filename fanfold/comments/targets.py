"""What a comment hangs from: a work (or one of its chapters) or a news post.

There is one Comment model with exactly one of its two foreign keys set (a check
constraint says so). Everything that differs between the two kinds of thread lives in
these two small classes, so services, selectors and views are written once.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext

from fanfold.accounts.confirmation import CONFIRM_TO_COMMENT, needs_confirmation
from fanfold.accounts.models import User
from fanfold.archive.lockdown import GUEST_COMMENTS_PAUSED
from fanfold.archive.models import SiteSettings
from fanfold.blocking.selectors import blocked_by_any
from fanfold.comments.models import Comment
from fanfold.filters.services import mark_changed
from fanfold.news.models import NewsPost
from fanfold.staff.permissions import has_perm
from fanfold.works.models import Approval, CommentPermission, Work
from fanfold.works.selectors import creator_user_ids


def _member(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


class WorkTarget:
    def __init__(self, work: Work):
        self.obj = work
        self.work = work

    @property
    def lookup(self) -> dict[str, Any]:
        return {"work": self.work}

    @property
    def moderated(self) -> bool:
        return self.work.moderated_comments

    def owner_ids(self) -> list[int]:
        """Who is told about every comment, may approve and delete them: the creators."""
        return creator_user_ids(self.work)

    def holds(self, comment: Comment) -> bool:
        return comment.work_id == self.work.pk

    def permission_error(self, user: User | None, owners: list[int] | None = None) -> str | None:
        work, member = self.work, _member(user)
        if not work.posted:
            return gettext("Comments open once the work is posted.")
        if work.approval != Approval.APPROVED:
            return gettext("Comments open once the moderators approve the work.")
        if work.comment_permission == CommentPermission.NOBODY:
            return gettext("The creator has turned comments off for this work.")
        if member is None:
            if work.restricted:
                return gettext("Log in to comment on members-only works.")
            if work.comment_permission == CommentPermission.REGISTERED:
                return gettext("Only registered users can comment on this work. Log in to comment.")
            return _guest_switch_error()
        if needs_confirmation(member):
            return str(CONFIRM_TO_COMMENT)
        if blocked_by_any(user=member, owners=owners if owners is not None else self.owner_ids()):
            return gettext("The creator of this work has blocked you from commenting.")
        return None

    def recount(self, delta: int) -> None:
        Work.objects.filter(pk=self.work.pk).update(
            comment_count=F("comment_count") + delta, render_version=F("render_version") + 1
        )
        mark_changed(work_ids=[self.work.pk], text=False)  # comment counts sort and filter

    def touch(self) -> None:
        Work.objects.filter(pk=self.work.pk).make_pages_stale()

    def readable_by(self, viewer: User | None) -> bool:
        return Work.objects.readable_by(viewer).filter(pk=self.work.pk).exists()

    def is_moderator(self, viewer: User | None) -> bool:
        member = _member(viewer)
        if member is None:
            return False
        if has_perm(member, "moderate_comments"):
            return True
        return self.work.creatorships.filter(approved=True, pseud__user=member).exists()

    def comment_url(self, comment: Comment) -> str:
        if comment.chapter_id:
            return f"/works/{self.work.pk}/chapters/{comment.chapter_id}#comment_{comment.pk}"
        return f"/works/{self.work.pk}?view_full_work=true#comment_{comment.pk}"

    def comments_url(self, chapter_id: int | None) -> str:
        if chapter_id:
            return f"/works/{self.work.pk}/chapters/{chapter_id}#comments"
        return f"/works/{self.work.pk}?view_full_work=true#comments"

    def new_comment_url(self) -> str:
        return reverse("comments:new", args=[self.work.pk])


class NewsTarget:
    def __init__(self, post: NewsPost):
        self.obj = post
        self.post = post

    @property
    def lookup(self) -> dict[str, Any]:
        return {"news_post": self.post}

    moderated = False

    def owner_ids(self) -> list[int]:
        """The post's author hears about comments on it; staff moderate them."""
        return [self.post.author_id] if self.post.author_id else []

    def holds(self, comment: Comment) -> bool:
        return comment.news_post_id == self.post.pk

    def permission_error(self, user: User | None, owners: list[int] | None = None) -> str | None:
        if not self.post.published:
            return gettext("Comments open once the post is published.")
        if not self.post.comments_enabled:
            return gettext("Comments are turned off for this post.")
        member = _member(user)
        if member is None:
            return _guest_switch_error()
        if needs_confirmation(member):
            return str(CONFIRM_TO_COMMENT)
        return None

    def recount(self, delta: int) -> None:
        NewsPost.objects.filter(pk=self.post.pk).update(comment_count=F("comment_count") + delta)

    def touch(self) -> None:
        pass  # news pages are not cached

    def readable_by(self, viewer: User | None) -> bool:
        return NewsPost.objects.visible_to(viewer).filter(pk=self.post.pk).exists()

    def is_moderator(self, viewer: User | None) -> bool:
        return has_perm(viewer, "moderate_comments")

    def comment_url(self, comment: Comment) -> str:
        return f"{self.post.get_absolute_url()}#comment_{comment.pk}"

    def comments_url(self, chapter_id: int | None) -> str:
        return f"{self.post.get_absolute_url()}#comments"

    def new_comment_url(self) -> str:
        return reverse("comments:new_on_news", args=[self.post.pk])


Target = WorkTarget | NewsTarget


def _guest_switch_error() -> str | None:
    site = SiteSettings.current()
    if not site.guest_comments:
        return gettext("Guest comments are turned off on this archive. Log in to comment.")
    if site.guests_paused:  # the lockdown's spam-wave switch
        return gettext(GUEST_COMMENTS_PAUSED)
    return None


def target_of(*, work: Work | None = None, news_post: NewsPost | None = None) -> Target:
    if work is not None and news_post is None:
        return WorkTarget(work)
    if news_post is not None and work is None:
        return NewsTarget(news_post)
    raise ValueError("A comment belongs to exactly one work or news post.")


def target_for(comment: Comment) -> Target:
    """The target of an existing comment (loads the work or post if not selected)."""
    return target_of(work=comment.work, news_post=comment.news_post)


def in_readable_targets(viewer: User | None, prefix: str = "") -> Q:
    """Comments (at `prefix`, e.g. "comment__") on something `viewer` may read."""
    return Q(**{f"{prefix}work__in": Work.objects.readable_by(viewer).values("pk")}) | Q(
        **{f"{prefix}news_post__in": NewsPost.objects.visible_to(viewer).values("pk")}
    )
