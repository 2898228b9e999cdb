"""Writing news: every change checks the writer's permission again, so a form, an admin
action or a script cannot skip it, and is written to the audit log in its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.audit.services import audit_record, changes_between, snapshot
from fanfold.markup import Profile, TextFormat, plain_text, render_text
from fanfold.news.models import BODY_MAX, TITLE_MAX, NewsPost
from fanfold.news.permissions import PERM
from fanfold.staff.permissions import require_perm

# What the audit log keeps a before/after of.
AUDITED = ("title", "body", "text_format", "published", "comments_enabled")


@dataclass
class NewsPostFields:
    title: str
    body: str
    text_format: str = TextFormat.HTML
    published: bool = False
    comments_enabled: bool = True


def _require_writer(user: User | None) -> User:
    require_perm(user, PERM, _("Only the archive's staff can write news."))
    return cast(User, user)  # require_perm refuses guests


def _validate(data: NewsPostFields) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    title, body = data.title.strip(), data.body.strip()
    if not title:
        errors["title"] = ["Give the post a title."]
    elif len(title) > TITLE_MAX:
        errors["title"] = [f"Titles can be at most {TITLE_MAX} characters long."]
    if not body:
        errors["body"] = ["Write the post before saving it."]
    elif len(body) > BODY_MAX:
        errors["body"] = [f"Posts can be at most {BODY_MAX:,} characters long."]
    if data.text_format not in {f.value for f in TextFormat}:
        errors["text_format"] = ["Choose one of the text formats."]
    if not errors and _nothing_to_show(render_text(body, data.text_format, Profile.WORK)):
        # Only markup that sanitising removed (a lone <script>, say).
        errors["body"] = ["Nothing would be left of this post after unsafe HTML is removed."]
    return errors


def _nothing_to_show(html: str) -> bool:
    return not plain_text(html) and "<img" not in html


def _apply(post: NewsPost, data: NewsPostFields) -> None:
    errors = _validate(data)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    post.title = data.title.strip()
    post.body = data.body.strip()
    post.text_format = data.text_format
    post.body_html = render_text(post.body, data.text_format, Profile.WORK)
    post.comments_enabled = data.comments_enabled
    post.published = data.published
    if data.published and post.published_at is None:
        post.published_at = now
    post.updated_at = now


@transaction.atomic
def news_post_create(*, author: User | None, data: NewsPostFields) -> NewsPost:
    """A new post, published at once or kept as a draft."""
    writer = _require_writer(author)
    post = NewsPost(author=writer)
    _apply(post, data)
    post.created_at = post.updated_at
    post.save()
    audit_record(
        action="news.create",
        actor=writer,
        perm=PERM,
        target=post,
        changes=changes_between({}, snapshot(post, AUDITED)),
    )
    return post


@transaction.atomic
def news_post_update(*, post: NewsPost, editor: User | None, data: NewsPostFields) -> NewsPost:
    """Edit a post; the original author stays its author."""
    writer = _require_writer(editor)
    before = snapshot(post, AUDITED)
    _apply(post, data)
    post.save()
    audit_record(
        action="news.update",
        actor=writer,
        perm=PERM,
        target=post,
        changes=changes_between(before, snapshot(post, AUDITED)),
    )
    return post


@transaction.atomic
def news_post_delete(*, post: NewsPost, user: User | None) -> None:
    """Delete a post with its comments (and the inbox notices about them)."""
    writer = _require_writer(user)
    audit_record(
        action="news.delete",
        actor=writer,
        perm=PERM,
        target=post,
        member=post.author,
        changes=changes_between(snapshot(post, AUDITED), {}),
    )
    post.delete()
