"""Comments on news posts: the same threads, moderation, limits and sanitising as on works."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from fanfold.archive.forms import form_stamp
from fanfold.archive.models import SiteSettings
from fanfold.comments.models import Comment, InboxItem
from fanfold.comments.services import CommentFields, comment_create
from fanfold.news.models import NewsPost

pytestmark = pytest.mark.django_db

# Sent as a person sends the form: shown a minute ago (the time trap), honeypot empty.
SHOWN = {"form_stamp": form_stamp(time.time() - 60)}
GUEST = {"body": "Lovely news!", "guest_name": "Wren", "guest_email": "wren@example.org", **SHOWN}


def comment_url(post: NewsPost) -> str:
    return f"/news/{post.pk}/comments"


def test_guest_and_member_comment_and_reply(client, make_post, make_user):
    post = make_post()
    response = client.post(comment_url(post), GUEST | {"body": "Good <script>x()</script>luck"})
    first = Comment.objects.get()
    assert response["Location"] == f"{post.get_absolute_url()}#comment_{first.pk}"
    assert (first.news_post_id, first.work_id, first.guest_name) == (post.pk, None, "Wren")
    assert "script" not in first.body_html

    member = make_user("otter")
    client.force_login(member)
    response = client.post(f"/comments/{first.pk}/reply", {"body": "Agreed."} | SHOWN)
    reply = Comment.objects.get(parent=first)
    assert (reply.news_post_id, reply.thread_id, reply.depth) == (post.pk, first.pk, 1)
    assert response["Location"].endswith(f"#comment_{reply.pk}")

    page = Client().get(post.get_absolute_url()).content.decode()
    assert "Good luck" in page and "Agreed." in page and "Comments (2)" in page
    post.refresh_from_db()
    assert post.comment_count == 2


def test_the_posts_author_hears_about_comments_and_members_about_replies(make_post, make_user):
    post = make_post()
    reader = make_user()
    top = comment_create(news_post=post, user=reader, data=CommentFields(body="Question?"))
    reply = comment_create(
        news_post=post, user=post.author, parent=top, data=CommentFields(body="Answer.")
    )
    assert InboxItem.objects.filter(user=post.author, comment=top).exists()
    assert InboxItem.objects.filter(user=reader, comment=reply, is_reply=True).exists()
    assert reply.by_creator  # shown as the post's author
    client = Client()
    client.force_login(reader)
    inbox = client.get("/inbox").content.decode()
    assert "replied to your comment" in inbox and post.title in inbox


def test_staff_hide_a_comment_and_the_count_follows(client, make_post, make_user, writer):
    post = make_post()
    comment = comment_create(news_post=post, user=make_user(), data=CommentFields(body="Spam!"))
    client.force_login(writer)
    response = client.post(f"/comments/{comment.pk}/hide")
    assert response["Location"] == f"{post.get_absolute_url()}#comment_{comment.pk}"
    post.refresh_from_db()
    assert post.comment_count == 0
    assert "Spam!" not in Client().get(post.get_absolute_url()).content.decode()
    assert "Spam!" in client.get(post.get_absolute_url()).content.decode()  # staff still see it
    # Members can't hide.
    member = Client()
    member.force_login(make_user())
    assert member.post(f"/comments/{comment.pk}/unhide").status_code == 403


def test_deleting_a_comment_goes_back_to_the_post(client, make_post, make_user):
    post = make_post()
    author = make_user()
    comment = comment_create(news_post=post, user=author, data=CommentFields(body="Oops."))
    client.force_login(author)
    response = client.post(f"/comments/{comment.pk}/delete")
    assert response["Location"] == f"{post.get_absolute_url()}#comments"
    post.refresh_from_db()
    assert post.comment_count == 0 and not Comment.objects.exists()


def test_comments_can_be_turned_off_per_post(client, make_post, make_user):
    post = make_post(comments_enabled=False)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Comments are turned off for this post." in page
    assert 'id="add_comment"' not in page
    response = client.post(comment_url(post), GUEST)
    assert response.status_code == 403
    assert "Lovely news!" in response.content.decode()  # what was typed comes back
    with pytest.raises(PermissionDenied):
        comment_create(news_post=post, user=make_user(), data=CommentFields(body="Hi"))
    assert not Comment.objects.exists()


def test_drafts_take_no_comments(client, make_post, writer):
    draft = make_post(published=False)
    assert client.post(comment_url(draft), GUEST).status_code == 404
    client.force_login(writer)
    assert client.post(comment_url(draft), {"body": "Typo in line 2"} | SHOWN).status_code == 403
    assert not Comment.objects.exists()


def test_the_site_wide_guest_switch_applies(client, make_post):
    site = SiteSettings.current()
    site.guest_comments = False
    site.save()
    post = make_post()
    assert client.post(comment_url(post), GUEST).status_code == 403
    assert "Log in" in client.get(post.get_absolute_url()).content.decode()


def test_comments_need_csrf_and_are_rate_limited(make_post, settings):
    post = make_post()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(comment_url(post), GUEST).status_code == 403
    settings.RATELIMIT_ENABLE = True
    settings.COMMENT_RATE_PER_IP = "2/m"
    client = Client()
    statuses = [
        client.post(comment_url(post), GUEST | {"body": f"n{i}"}).status_code for i in range(4)
    ]
    assert statuses == [302, 302, 429, 429]
    assert Comment.objects.count() == 2


def test_malformed_addresses_are_not_found(client):
    assert client.post("/news/999/comments", GUEST).status_code == 404
    assert client.get("/news/999/comments").status_code == 405


def test_the_posts_author_is_emailed_about_a_comment(
    make_post, make_user, django_capture_on_commit_callbacks
):
    from django.core import mail

    post = make_post(title="Tag cleanup")
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(news_post=post, user=make_user(), data=CommentFields(body="Finally!"))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [post.author.email]
    assert "New comment on Tag cleanup" in mail.outbox[0].subject
    assert 'on your news post "Tag cleanup"' in mail.outbox[0].body


def test_a_post_page_costs_the_same_queries_with_few_or_many_comments(make_post, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few, many = make_post(title="Few"), make_post(title="Many")
    reader = make_user()
    comment_create(news_post=few, user=reader, data=CommentFields(body="One"))
    for i in range(8):
        top = comment_create(news_post=many, user=reader, data=CommentFields(body=f"c{i}"))
        comment_create(news_post=many, user=make_user(), parent=top, data=CommentFields(body="r"))

    def queries(post: NewsPost) -> int:
        client = Client()
        client.force_login(reader)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(post.get_absolute_url()).status_code == 200
        return len(captured)

    queries(few)  # the first request fills the per-process caches (settings, footer)
    assert queries(few) == queries(many)
