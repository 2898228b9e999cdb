"""eFiction's news (with its comments) and its pages.

News posts and pages are written with the first pass. News comments are written after
the second pass, once the comment id sequence has been moved past every imported
review: they take fresh ids, and a fresh id taken earlier could be one a review keeps.
Re-running the import updates what an earlier run wrote (found through `LegacyId`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from fanfold.comments.models import PATH_WIDTH, Comment
from fanfold.efiction.importer.convert import as_date, as_int, efiction_story_html
from fanfold.efiction.importer.dropped import SYSTEM_MESSAGES
from fanfold.efiction.importer.run_constants import MOVED_MESSAGES
from fanfold.efiction.legacy_pages import NAMED_PAGES, page_slug
from fanfold.efiction.models import Kind, LegacyId
from fanfold.markup import Profile, render_text
from fanfold.news.models import TITLE_MAX, NewsPost
from fanfold.pages.models import RESERVED_SLUGS, Page

NAME_MAX = 60
# Imported pages that are not Fanfold's own defaults go after them in the footer.
IMPORTED_PAGE_ORDER = 100


@dataclass
class NewsComment:
    cid: int
    post_pk: int
    user_pk: int | None
    pseud_pk: int | None
    guest_name: str
    body: str
    created: dt.datetime


@dataclass
class NewsImport:
    """What the first pass leaves for the end of the run: the news comments."""

    importer: Any
    comments: list[NewsComment] = field(default_factory=list)

    def write_comments(self) -> None:
        """Each eFiction news comment starts a thread of its own (eFiction's were flat)."""
        existing = dict(
            LegacyId.objects.filter(
                kind=Kind.NEWS_COMMENT, legacy_id__in=[c.cid for c in self.comments]
            ).values_list("legacy_id", "object_id")
        )
        with transaction.atomic():
            for item in self.comments:
                _write_comment(item, existing.get(item.cid))
            posts = {c.post_pk for c in self.comments}
            counted = Comment.objects.counted().filter(news_post=OuterRef("pk")).order_by()
            NewsPost.objects.filter(pk__in=posts).update(
                comment_count=Coalesce(
                    Subquery(counted.values("news_post").annotate(n=Count("pk")).values("n")),
                    Value(0),
                )
            )
        self.importer.report.imported["news comments"] += len(self.comments)


def _write_comment(item: NewsComment, pk: int | None) -> None:
    fields = {
        "user_id": item.user_pk,
        "pseud_id": item.pseud_pk,
        "guest_name": item.guest_name,
        "body": item.body,
        "body_html": render_text(efiction_story_html(item.body), "html", Profile.COMMENT),
        "created_at": item.created,
    }
    # A re-run updates the text and leaves staff decisions (hidden, deleted) alone.
    if pk and Comment.objects.filter(pk=pk, news_post_id=item.post_pk).update(**fields):
        return
    comment = Comment.objects.create(news_post_id=item.post_pk, depth=0, **fields)
    own = str(comment.pk).zfill(PATH_WIDTH)
    # created_at is set on create; the old date goes in with the path.
    Comment.objects.filter(pk=comment.pk).update(
        thread_id=comment.pk, path=own, created_at=item.created
    )
    LegacyId.objects.update_or_create(
        kind=Kind.NEWS_COMMENT, legacy_id=item.cid, defaults={"object_id": comment.pk}
    )


def import_news_and_pages(importer: Any) -> NewsImport:
    """Pages from `messages` and posts from `news` now; comments kept for later."""
    import_pages(importer)
    post_pks = _import_posts(importer)
    return NewsImport(importer=importer, comments=_news_comments(importer, post_pks))


# -- pages ---------------------------------------------------------------------------------
def import_pages(importer: Any) -> None:
    report = importer.report
    now = timezone.now()
    for row in importer.tables["messages"]:
        name = importer.plain(row, "message_name", "messages", "").strip()
        key = name.lower()
        if key in MOVED_MESSAGES or key in SYSTEM_MESSAGES:
            continue  # site.py moves the first; the report names the others (dropped.py)
        text = importer.text(row, "message_text", "messages", name).strip()
        slug = page_slug(name)
        if not text:
            report.skip("messages", name, "empty page")
            continue
        if not slug or slug in RESERVED_SLUGS:
            report.skip("messages", name, "its name cannot be a page address")
            continue
        if "<?php" in text.lower():
            report.note(
                f"the page “{name}” held PHP code, which eFiction ran and Fanfold shows as "
                f"text: check /pages/{slug}"
            )
        title = importer.plain(row, "message_title", "messages", name).strip()
        _upsert_page(slug, title or name.replace("_", " ").title(), text, key, now)
        report.imported["pages"] += 1


def _upsert_page(slug: str, title: str, text: str, key: str, now: dt.datetime) -> None:
    body_html = render_text(efiction_story_html(text), "html", Profile.WORK)
    values = {"body": text, "body_html": body_html, "text_format": "html", "updated_at": now}
    page = Page.objects.filter(slug=slug).first()
    if page is None:
        Page.objects.create(
            slug=slug,
            title=title[:200],
            order=IMPORTED_PAGE_ORDER,
            # eFiction linked its help page from the menu; other custom pages only
            # where its admin added a link, which staff can redo here.
            show_in_footer=key in NAMED_PAGES,
            created_at=now,
            **values,
        )
    else:
        # Rules and Terms keep Fanfold's titles; their text is the old archive's.
        Page.objects.filter(pk=page.pk).update(**values)


# -- news posts ----------------------------------------------------------------------------
def _author_uids(importer: Any) -> dict[str, int]:
    """eFiction's news stores the author's pen name, not their id."""
    uids: dict[str, int] = {}
    for row in importer.tables["authors"]:
        uid = as_int(row.values.get("uid"))
        name = importer.plain(row, "penname", "authors", uid).strip().casefold()
        if name:
            uids.setdefault(name, uid)
    return uids


def _comments_allowed(importer: Any) -> bool:
    rows = importer.tables["settings"]
    return not rows or as_int(rows[0].values.get("newscomments"), 1) != 0


def _import_posts(importer: Any) -> dict[int, int]:
    """nid -> NewsPost pk for every post written."""
    report, uids = importer.report, _author_uids(importer)
    existing = dict(LegacyId.objects.filter(kind=Kind.NEWS).values_list("legacy_id", "object_id"))
    comments_enabled = _comments_allowed(importer)
    written: dict[int, int] = {}
    with transaction.atomic():
        for row in importer.tables["news"]:
            nid = as_int(row.values.get("nid"))
            title = importer.plain(row, "title", "news", nid).strip()[:TITLE_MAX]
            text = importer.text(row, "story", "news", nid).strip()
            if not title and not text:
                report.skip("news", nid, "empty news item")
                continue
            author = importer.plain(row, "author", "news", nid).strip()
            uid = uids.get(author.casefold())
            if uid is None or uid not in importer.user_pk:
                report.note(
                    f"news item {nid}: its author “{author}” is not an imported member, "
                    "so the post shows no author"
                )
            date = as_date(row.values.get("time")) or timezone.now()
            fields = {
                "title": title or f"News {nid}",
                "body": text,
                "body_html": render_text(efiction_story_html(text), "html", Profile.WORK),
                "text_format": "html",
                "author_id": importer.user_pk.get(uid) if uid is not None else None,
                "published": True,
                "published_at": date,
                "created_at": date,
                "updated_at": date,
                "comments_enabled": comments_enabled,
            }
            pk = existing.get(nid)
            if not (pk and NewsPost.objects.filter(pk=pk).update(**fields)):
                pk = NewsPost.objects.create(**fields).pk
                LegacyId.objects.update_or_create(
                    kind=Kind.NEWS, legacy_id=nid, defaults={"object_id": pk}
                )
            written[nid] = pk
    report.imported["news posts"] += len(written)
    return written


def _news_comments(importer: Any, post_pks: dict[int, int]) -> list[NewsComment]:
    pennames = {
        as_int(r.values.get("uid")): importer.plain(
            r, "penname", "authors", as_int(r.values.get("uid"))
        ).strip()
        for r in importer.tables["authors"]
    }
    comments = []
    for row in importer.tables["comments"]:
        cid = as_int(row.values.get("cid"))
        nid = as_int(row.values.get("nid"))
        if nid not in post_pks:
            importer.report.skip("comments", cid, f"news item {nid} was not imported")
            continue
        body = importer.text(row, "comment", "comments", cid).strip()
        if not body:
            importer.report.skip("comments", cid, "empty comment")
            continue
        uid = as_int(row.values.get("uid"))
        user_pk = importer.user_pk.get(uid)
        comments.append(
            NewsComment(
                cid=cid,
                post_pk=post_pks[nid],
                user_pk=user_pk,
                pseud_pk=importer.pk(Kind.PSEUD, uid) if user_pk else None,
                # Someone who is no longer a member keeps the name they wrote under.
                guest_name="" if user_pk else (pennames.get(uid) or "Anonymous")[:NAME_MAX],
                body=body,
                created=as_date(row.values.get("time")) or timezone.now(),
            )
        )
    return comments
