"""Writing news: who may, what is kept, what is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.news.models import NewsPost
from fanfold.news.services import (
    NewsPostFields,
    news_post_create,
    news_post_delete,
    news_post_update,
)

pytestmark = pytest.mark.django_db


def fields(**changes) -> NewsPostFields:
    base = {"title": "Hello", "body": "**New** tags page.", "text_format": "markdown"}
    return NewsPostFields(**(base | changes))


def test_markdown_is_rendered_and_html_sanitised(writer):
    post = news_post_create(author=writer, data=fields(published=True))
    assert post.body_html == "<p><strong>New</strong> tags page.</p>"
    unsafe = fields(body='<p onclick="x()">Hi<script>alert(1)</script></p>', text_format="html")
    post = news_post_update(post=post, editor=writer, data=unsafe)
    assert post.body_html == "<p>Hi</p>"


def test_members_cannot_write_edit_or_delete(writer, make_user, make_post):
    member = make_user()
    with pytest.raises(PermissionDenied):
        news_post_create(author=member, data=fields())
    post = make_post()
    with pytest.raises(PermissionDenied):
        news_post_update(post=post, editor=member, data=fields(title="Mine now"))
    with pytest.raises(PermissionDenied):
        news_post_delete(post=post, user=None)
    assert NewsPost.objects.get().title == "Server move on Sunday"


def test_first_publication_date_survives_unpublishing(writer):
    draft = news_post_create(author=writer, data=fields(published=False))
    assert draft.published_at is None
    published = news_post_update(post=draft, editor=writer, data=fields(published=True))
    first = published.published_at
    assert first is not None
    news_post_update(post=published, editor=writer, data=fields(published=False))
    again = news_post_update(post=published, editor=writer, data=fields(published=True))
    assert again.published_at == first
    assert again.updated_at > first


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": ""}, "body"),
        ({"body": "<script>alert(1)</script>", "text_format": "html"}, "body"),
        ({"text_format": "bbcode"}, "text_format"),
    ],
)
def test_invalid_posts_are_refused_with_the_field_named(writer, changes, field):
    with pytest.raises(ValidationError) as refused:
        news_post_create(author=writer, data=fields(**changes))
    assert field in refused.value.message_dict
    assert not NewsPost.objects.exists()


def test_deleting_a_post_deletes_its_comments(make_post, make_user):
    from fanfold.comments.models import Comment
    from fanfold.comments.services import CommentFields, comment_create

    post = make_post()
    comment_create(news_post=post, user=make_user(), data=CommentFields(body="Thanks!"))
    news_post_delete(post=post, user=post.author)
    assert not Comment.objects.exists()


def test_every_change_is_in_the_audit_log_in_the_same_transaction(writer, make_user):
    from fanfold.audit.models import AuditEntry

    post = news_post_create(author=writer, data=fields(published=True))
    news_post_update(post=post, editor=writer, data=fields(title="Hello again", published=True))
    with pytest.raises(ValidationError):  # refused: nothing changes, nothing is logged
        news_post_update(post=post, editor=writer, data=fields(title=""))
    news_post_delete(post=post, user=writer)
    entries = list(AuditEntry.objects.filter(target_type="newspost").order_by("pk"))
    assert [e.action for e in entries] == ["news.create", "news.update", "news.delete"]
    assert {(e.actor_id, e.role, e.target_label) for e in entries[:1]} == {
        (writer.pk, "moderator", "Hello")
    }
    assert entries[1].changes == {"title": ["Hello", "Hello again"]}
    assert entries[2].changes["title"] == ["Hello again", None]


def test_staff_without_the_news_permission_are_refused(make_user):
    from fanfold.staff.roles import Role

    for role in (Role.WRANGLER, Role.SUPPORT):
        with pytest.raises(PermissionDenied):
            news_post_create(author=make_user(roles=[role]), data=fields())
    assert not NewsPost.objects.exists()
