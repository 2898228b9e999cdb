"""What can be reported, one entry per kind: how to find it for a viewer (through the
same selectors its own page uses, so nothing a reporter cannot see can be reported),
who is responsible for it, and what to keep of it as evidence.

Snapshots keep sanitised HTML as it was stored (it was sanitised when written), plain
text as text, and names rather than ids, so they read right after the thing is edited,
hidden or deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from fanfold.accounts.models import User
from fanfold.accounts.selectors import public_users
from fanfold.bookmarks.models import Bookmark
from fanfold.bookmarks.selectors import bookmark_for_viewer
from fanfold.challenges.models import Challenge
from fanfold.comments.models import Comment
from fanfold.comments.selectors import comment_for_viewer
from fanfold.reports.models import TargetKind
from fanfold.tags.models import DISPLAY_ORDER
from fanfold.works.models import Chapter, Series, Work
from fanfold.works.selectors import (
    LoginRequired,
    WorkNotFound,
    series_visible,
    work_for_reader,
)


@dataclass
class Target:
    kind: str
    obj: Model
    label: str
    url: str
    subjects: list[User] = field(default_factory=list)
    snapshot: dict[str, Any] = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return str(TargetKind(self.kind).label)


def _creators(work: Work) -> list[User]:
    return [pseud.user for pseud in work.creators]


def _tag_groups(work: Work) -> list[list]:
    tags = list(work.tags.all())
    return [
        [str(tag_type.label), sorted(t.name for t in tags if t.type == tag_type)]
        for tag_type in DISPLAY_ORDER
        if any(t.type == tag_type for t in tags)
    ]


def _work_snapshot(work: Work) -> dict[str, Any]:
    # Chapter text stays out: a work can run to megabytes, and a report about the text
    # (plagiarism, say) is made on the chapter, whose snapshot keeps it.
    chapters = work.chapters.order_by("position").values_list("position", "title", "posted")
    return {
        "title": work.title,
        "authors": [str(pseud) for pseud in work.creators],
        "tags": _tag_groups(work),
        "parts": [
            [name, html]
            for name, html in (
                ("Summary", work.summary_html),
                ("Notes", work.notes_html),
                ("End notes", work.endnotes_html),
            )
            if html
        ],
        "facts": [
            ["Words", f"{work.word_count:,}"],
            ["Chapters", work.chapters_display],
            ["Members only", "yes" if work.restricted else "no"],
            ["Chapter titles", "; ".join(f"{p}. {t}" if t else str(p) for p, t, _ in chapters)],
        ],
    }


def _find_work(object_id: int, viewer: User | None) -> Target | None:
    try:
        work, _ = work_for_reader(viewer=viewer, work_id=object_id)
    except (WorkNotFound, LoginRequired):
        return None
    return _work_target(work)


def _work_target(work: Work) -> Target:
    return Target(
        TargetKind.WORK,
        work,
        work.title,
        work.get_absolute_url(),
        _creators(work),
        _work_snapshot(work),
    )


def _find_chapter(object_id: int, viewer: User | None) -> Target | None:
    chapter = Chapter.objects.filter(pk=object_id).only("work_id").first()
    if chapter is None:
        return None
    try:
        work, can_edit = work_for_reader(viewer=viewer, work_id=chapter.work_id)
    except (WorkNotFound, LoginRequired):
        return None
    chapter = work.chapters.readable_by_creator(can_edit).filter(pk=object_id).first()
    return None if chapter is None else _chapter_target(chapter)


def _chapter_target(chapter: Chapter) -> Target:
    work = chapter.work
    snapshot = {
        "title": f"{work.title}, {chapter.display_title}",
        "authors": [str(pseud) for pseud in work.creators],
        "tags": _tag_groups(work),
        "parts": [
            [name, html]
            for name, html in (
                ("Summary", chapter.summary_html),
                ("Notes", chapter.notes_html),
                ("Text", chapter.body_html),
                ("End notes", chapter.endnotes_html),
            )
            if html
        ],
        "facts": [["Words", f"{chapter.word_count:,}"]],
    }
    label = f"{work.title}, {chapter.display_title}"
    return Target(
        TargetKind.CHAPTER, chapter, label, chapter.get_absolute_url(), _creators(work), snapshot
    )


def _find_comment(object_id: int, viewer: User | None) -> Target | None:
    comment = comment_for_viewer(comment_id=object_id, viewer=viewer)
    if comment is None or comment.deleted:
        return None
    return _comment_target(comment)


def _comment_target(comment: Comment) -> Target:
    if comment.work is not None:
        where = comment.work.title + (
            f", {comment.chapter.display_title}" if comment.chapter else ""
        )
    else:  # a comment on a news post
        where = f"the news post “{comment.news_post.title}”" if comment.news_post else "news"
    snapshot = {
        "title": f"Comment on {where}",
        "authors": [comment.author_name],
        "parts": [["Comment", comment.body_html]],
        "facts": [["Written", f"{comment.created_at:%Y-%m-%d %H:%M}"]]
        + ([["Guest e-mail", comment.guest_email]] if comment.guest_email else []),
    }
    subjects = [comment.user] if comment.user is not None else []
    label = f"Comment by {comment.author_name} on {where}"
    return Target(
        TargetKind.COMMENT, comment, label, comment.get_absolute_url(), subjects, snapshot
    )


def _find_bookmark(object_id: int, viewer: User | None) -> Target | None:
    bookmark = bookmark_for_viewer(bookmark_id=object_id, viewer=viewer)
    return None if bookmark is None else _bookmark_target(bookmark)


def _bookmark_target(bookmark: Bookmark) -> Target:
    thing = bookmark.target
    snapshot = {
        "title": f"Bookmark of {thing}",
        "authors": [str(bookmark.pseud)],
        "tags": [["Bookmarker's tags", list(bookmark.tag_names)]] if bookmark.tag_names else [],
        "parts": [["Notes", bookmark.notes_html]] if bookmark.notes_html else [],
        "facts": [["Recommendation", "yes" if bookmark.rec else "no"]],
    }
    url = f"{bookmark.user.get_absolute_url()}/bookmarks#bookmark_{bookmark.pk}"
    label = f"Bookmark by {bookmark.user.username} of {thing}"
    return Target(TargetKind.BOOKMARK, bookmark, label, url, [bookmark.user], snapshot)


def _find_series(object_id: int, viewer: User | None) -> Target | None:
    series = Series.objects.select_related("owner").filter(pk=object_id).first()
    if series is None or not series_visible(series=series, viewer=viewer):
        return None
    return _series_target(series)


def _series_target(series: Series) -> Target:
    parts = [["Summary", series.summary_html], ["Notes", series.notes_html]]
    snapshot = {
        "title": series.title,
        "authors": [series.owner.username],
        "parts": [part for part in parts if part[1]],
        "facts": [["Works", "; ".join(w.title for w in series.works.order_by("serial_works"))]],
    }
    return Target(
        TargetKind.SERIES,
        series,
        series.title,
        series.get_absolute_url(),
        [series.owner],
        snapshot,
    )


def _find_challenge(object_id: int, viewer: User | None) -> Target | None:
    challenge = Challenge.objects.select_related("owner").filter(pk=object_id).first()
    return None if challenge is None else _challenge_target(challenge)


def _challenge_target(challenge: Challenge) -> Target:
    snapshot = {
        "title": challenge.title,
        "authors": [challenge.owner.username if challenge.owner else challenge.challenger_name],
        "parts": [["Summary", challenge.summary_html]] if challenge.summary_html else [],
        "facts": [],
    }
    subjects = [challenge.owner] if challenge.owner else []
    return Target(
        TargetKind.CHALLENGE,
        challenge,
        challenge.title,
        challenge.get_absolute_url(),
        subjects,
        snapshot,
    )


def _find_user(object_id: int, viewer: User | None) -> Target | None:
    member = public_users().filter(pk=object_id).first()
    return None if member is None else _user_target(member)


def _user_target(member: User) -> Target:
    snapshot = {
        "title": f"Profile of {member.username}",
        "authors": [member.username],
        "parts": [["About", member.bio_html]] if member.bio_html else [],
        "facts": [["Pseuds", ", ".join(p.name for p in member.pseuds.all())]],
    }
    return Target(
        TargetKind.USER, member, member.username, member.get_absolute_url(), [member], snapshot
    )


FINDERS: dict[str, Callable[[int, User | None], Target | None]] = {
    TargetKind.WORK: _find_work,
    TargetKind.CHAPTER: _find_chapter,
    TargetKind.COMMENT: _find_comment,
    TargetKind.BOOKMARK: _find_bookmark,
    TargetKind.SERIES: _find_series,
    TargetKind.CHALLENGE: _find_challenge,
    TargetKind.USER: _find_user,
}

# For staff: the thing as it is now, whatever its state (hidden, draft, deleted).
CURRENT: dict[str, tuple[Any, Callable[[Any], Target]]] = {
    TargetKind.WORK: (Work.objects, _work_target),
    TargetKind.CHAPTER: (Chapter.objects.select_related("work"), _chapter_target),
    TargetKind.COMMENT: (
        Comment.objects.select_related("work", "chapter", "pseud"),
        _comment_target,
    ),
    TargetKind.BOOKMARK: (Bookmark.objects.select_related("user", "pseud"), _bookmark_target),
    TargetKind.SERIES: (Series.objects.select_related("owner"), _series_target),
    TargetKind.CHALLENGE: (Challenge.objects.select_related("owner"), _challenge_target),
    TargetKind.USER: (User.objects, _user_target),
}


def target_for_viewer(*, kind: str, object_id: int, viewer: User | None) -> Target | None:
    """The thing `viewer` wants to report, or None if it does not exist for them."""
    finder = FINDERS.get(kind)
    return None if finder is None else finder(object_id, viewer)


def target_current(*, kind: str, object_id: int) -> Target | None:
    """The reported thing as it is now, for staff; None once it was deleted."""
    if kind not in CURRENT:
        return None
    manager, build = CURRENT[kind]
    obj = manager.filter(pk=object_id).first()
    return None if obj is None else build(obj)


def work_of(target: Target) -> Work | None:
    """The work a re-rating or re-tagging request applies to."""
    if target.kind == TargetKind.WORK:
        return target.obj  # type: ignore[return-value]
    if target.kind == TargetKind.CHAPTER:
        return target.obj.work  # type: ignore[attr-defined]
    return None
