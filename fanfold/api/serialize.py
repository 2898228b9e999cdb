"""Rows to the dicts the response schemas describe (`fanfold.api.schemas`)."""

from __future__ import annotations

from typing import Any

from fanfold.accounts.models import User
from fanfold.bookmarks.models import Bookmark
from fanfold.history.models import Reading
from fanfold.subscriptions.models import Subscription
from fanfold.tags.models import DISPLAY_ORDER, Tag
from fanfold.works.models import Chapter, Series, Work

_TYPE_ORDER = {t.value: i for i, t in enumerate(DISPLAY_ORDER)}


def tag_ref(tag: Tag | None) -> dict[str, Any] | None:
    if tag is None:
        return None
    return {"id": tag.pk, "name": tag.name, "type": tag.type}


def work_out(work: Work) -> dict[str, Any]:
    """A work loaded with `with_blurb_data()` (its creators, tags and series prefetched)."""
    tags = sorted(
        work.tags.all(), key=lambda t: (_TYPE_ORDER.get(t.type, 99), t.sort_order, t.name)
    )
    return {
        "id": work.pk,
        "url": work.get_absolute_url(),
        "title": work.title,
        "creators": [{"pseud": p.name, "username": p.user.username} for p in work.creators],
        "rating": tag_ref(work.rating),
        "tags": [tag_ref(t) for t in tags],
        "language": work.language,
        "summary_html": str(work.summary_html),
        "notes_html": str(work.notes_html),
        "endnotes_html": str(work.endnotes_html),
        "words": work.word_count,
        "chapters": work.chapter_count,
        "expected_chapters": work.expected_chapters,
        "complete": work.complete,
        "members_only": work.restricted,
        "published_at": work.published_at,
        "updated_at": work.updated_at,
        "hits": work.hits,
        "kudos": work.kudos_count,
        "comments": work.comment_count,
        "bookmarks": work.bookmark_count,
        "series": [
            {"series_id": s.series_id, "title": s.series.title, "position": s.position}
            for s in work.serial_works.all()
        ],
    }


def chapter_out(chapter: Chapter) -> dict[str, Any]:
    return {
        "id": chapter.pk,
        "position": chapter.position,
        "title": chapter.title,
        "summary_html": str(chapter.summary_html),
        "notes_html": str(chapter.notes_html),
        "endnotes_html": str(chapter.endnotes_html),
        "body_html": str(chapter.body_html),
        "words": chapter.word_count,
        "published_at": chapter.published_at,
    }


def tag_out(tag: Tag, works_count: int) -> dict[str, Any]:
    return {
        "id": tag.pk,
        "name": tag.name,
        "type": tag.type,
        "canonical": tag.canonical,
        "synonym_of": tag_ref(tag.merger) if tag.merger_id else None,
        "works_count": works_count,
    }


def series_out(series: Series) -> dict[str, Any]:
    return {
        "id": series.pk,
        "url": series.get_absolute_url(),
        "title": series.title,
        "owner": series.owner.username,
        "summary_html": str(series.summary_html),
        "notes_html": str(series.notes_html),
        "complete": series.complete,
        "works_count": series.works_count or 0,  # type: ignore[attr-defined]
        "updated_at": series.updated_at,
    }


def user_out(user: User, works_count: int) -> dict[str, Any]:
    return {
        "username": user.username,
        "url": user.get_absolute_url(),
        "joined": user.date_joined,
        "bio_html": str(user.bio_html),
        "pseuds": [
            {"name": p.name, "description": p.description, "is_default": p.is_default}
            for p in user.pseuds.all()
        ],
        "works_count": works_count,
    }


def bookmark_out(bookmark: Bookmark, available: bool) -> dict[str, Any]:
    # A work or series that went away is named by nothing, as on the bookmarks page.
    work, series = (bookmark.work, bookmark.series) if available else (None, None)
    return {
        "id": bookmark.pk,
        "created_at": bookmark.created_at,
        "updated_at": bookmark.updated_at,
        "available": available,
        "work": {"id": work.pk, "title": work.title} if work else None,
        "series": {"id": series.pk, "title": series.title} if series else None,
        "notes_html": str(bookmark.notes_html),
        "tags": list(bookmark.tag_names),
        "private": bookmark.private,
        "rec": bookmark.rec,
    }


def reading_out(reading: Reading, available: bool) -> dict[str, Any]:
    work = reading.work if available else None
    return {
        "available": available,
        "work": {"id": work.pk, "title": work.title} if work else None,
        "first_visit": reading.first_visit,
        "last_visit": reading.last_visit,
        "visits": reading.visit_count,
        "chapter_position": reading.chapter_position,
        "marked_for_later": reading.marked_for_later,
    }


def subscription_out(sub: Subscription, available: bool) -> dict[str, Any]:
    kind = "work" if sub.work_id else "series" if sub.series_id else "creator"
    work = sub.work if available and sub.work_id else None
    series = sub.series if available and sub.series_id else None
    creator = sub.creator if available and sub.creator_id else None
    return {
        "id": sub.pk,
        "created_at": sub.created_at,
        "kind": kind,
        "available": available,
        "work": {"id": work.pk, "title": work.title} if work else None,
        "series": {"id": series.pk, "title": series.title} if series else None,
        "creator": creator.username if creator else None,
    }
