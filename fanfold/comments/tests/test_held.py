"""The spam defence's held comments: a new member's first N, a guest's with over K links."""

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.comments.models import Comment, CommentStatus, HeldReason, InboxItem
from fanfold.comments.services import (
    CommentFields,
    comment_approve,
    comment_create,
    link_count,
)
from fanfold.staff.roles import Role
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db

SPAM = (
    'Cheap <a href="http://pills.example/a">pills</a> and http://pills.example/b, '
    "see www.casino.example too"
)


def post(work, user, body, **fields):
    return comment_create(
        work=work,
        user=user,
        chapter=work.chapters.get(),
        data=CommentFields(body=body, **fields),
    )


def guest(work, body):
    return post(work, None, body, guest_name="Visitor", guest_email="v@example.org")


def test_links_are_counted_once_each():
    assert link_count('<a href="http://x.example">http://x.example</a>') == 1
    assert link_count(SPAM) == 3
    assert link_count("No links, just www and http talk.") == 0


def test_a_guest_comment_with_too_many_links_waits(make_work, site_settings):
    work = make_work()
    site_settings(guest_link_limit=2)
    held = guest(work, SPAM)
    fine = guest(work, "Loved it, more at http://my.blog.example")
    assert (held.status, held.held_reason) == (CommentStatus.PENDING, HeldReason.LINKS)
    assert fine.status == CommentStatus.PUBLISHED
    assert Work.objects.get(pk=work.pk).comment_count == 1
    site_settings(guest_link_limit=None)
    assert guest(work, SPAM).status == CommentStatus.PUBLISHED


def test_members_links_are_not_counted(make_user, make_work, site_settings):
    site_settings(guest_link_limit=0)
    assert post(make_work(), make_user(), SPAM).status == CommentStatus.PUBLISHED


def test_a_new_members_first_comments_wait_until_approved(
    make_user, make_work, site_settings, django_capture_on_commit_callbacks, mailoutbox
):
    author, newcomer = make_user("author"), make_user("newcomer")
    work = make_work(author)
    site_settings(held_first_comments=2)
    with django_capture_on_commit_callbacks(execute=True):
        first, second = post(work, newcomer, "Hello!"), post(work, newcomer, "Again!")
    assert {first.held_reason, second.held_reason} == {HeldReason.NEW_MEMBER}
    # Held comments may be spam: no inbox notice, no e-mail, no count yet.
    assert not InboxItem.objects.exists() and not mailoutbox
    assert Work.objects.get(pk=work.pk).comment_count == 0
    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(comment=first, user=author)
    assert Work.objects.get(pk=work.pk).comment_count == 1
    assert InboxItem.objects.filter(user=author, comment=first).exists()
    assert [m.to for m in mailoutbox] == [["author@example.org"]]
    # One published so far: the next still waits; after two, they post freely.
    assert post(work, newcomer, "Third").status == CommentStatus.PENDING
    comment_approve(comment=second, user=author)
    assert post(work, newcomer, "Fourth").status == CommentStatus.PUBLISHED
    work.refresh_from_db()
    assert work.comment_count == Comment.objects.counted().filter(work=work).count() == 3


def test_creators_and_comment_moderators_are_never_held(make_user, make_work, site_settings):
    author = make_user()
    work = make_work(author)
    site_settings(held_first_comments=5)
    assert post(work, author, "Thanks all").status == CommentStatus.PUBLISHED
    moderator = make_user(roles=[Role.MODERATOR])
    assert post(work, moderator, "Welcome").status == CommentStatus.PUBLISHED


def test_held_comments_show_to_creators_staff_and_writer_only(
    client, make_user, make_work, site_settings, stamped
):
    author, newcomer = make_user("author"), make_user("newcomer")
    work = make_work(author)
    site_settings(held_first_comments=1)
    client.force_login(newcomer)
    response = client.post(
        reverse("comments:new", args=[work.pk]),
        stamped({"chapter": work.chapters.get().pk, "body": "First words here"}),
        follow=True,
    )
    assert "will appear once it is approved" in response.text
    assert "First words here" in response.text  # the writer sees their own
    url = work.chapters.get().get_absolute_url()
    assert "First words here" not in Client().get(url).text
    client.force_login(author)
    assert "First words here" in client.get(url).text
    moderator = make_user(roles=[Role.MODERATOR])
    client.force_login(moderator)
    queue = client.get(reverse("comments:held")).text
    assert "First words here" in queue and "One of a new member" in queue
    held = Comment.objects.get()
    client.post(reverse("comments:approve", args=[held.pk]), {"next": "held"})
    assert Comment.objects.get().status == CommentStatus.PUBLISHED
    assert "First words here" in Client().get(url).text


def test_the_held_queue_is_for_comment_moderators(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("comments:held")).status_code == 403
    client.force_login(make_user(roles=[Role.WRANGLER]))
    assert client.get(reverse("comments:held")).status_code == 403
