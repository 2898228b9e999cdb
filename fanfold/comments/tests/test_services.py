import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.archive.models import SiteSettings
from fanfold.blocking.services import user_block
from fanfold.comments.models import Comment, CommentStatus, InboxItem
from fanfold.comments.selectors import comment_threads
from fanfold.comments.services import (
    CommentFields,
    comment_approve,
    comment_create,
    comment_delete,
    comment_set_hidden,
    comment_update,
)
from fanfold.staff.roles import Role
from fanfold.works.models import CommentPermission, Work

GUEST = CommentFields(body="Lovely chapter!", guest_name="Passer-by", guest_email="p@example.org")


def first_chapter(work):
    return work.chapters.order_by("position").first()


def count(work):
    return Work.objects.get(pk=work.pk).comment_count


def test_member_comment_counts_and_notifies_creator(
    make_user, make_work, django_capture_on_commit_callbacks
):
    author = make_user("author", email="author@example.org")
    reader = make_user("reader")
    work = make_work(author)
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_create(
            work=work,
            user=reader,
            chapter=first_chapter(work),
            data=CommentFields(body="Wonderful"),
        )
    assert comment.status == CommentStatus.PUBLISHED and not comment.by_creator
    assert count(work) == 1
    item = InboxItem.objects.get(user=author)
    assert item.comment == comment and not item.read and not item.is_reply
    assert len(mail.outbox) == 1 and "New comment on A Quiet Harbour" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["author@example.org"]


def test_creator_reply_is_marked_and_notifies_the_commenter(make_user, make_work):
    author, reader = make_user("author"), make_user("reader")
    work = make_work(author)
    top = comment_create(
        work=work, user=reader, chapter=first_chapter(work), data=CommentFields(body="Hi")
    )
    reply = comment_create(
        work=work, user=author, parent=top, data=CommentFields(body="Thank you!")
    )
    assert reply.by_creator and reply.depth == 1 and reply.thread_id == top.pk
    assert reply.path.startswith(top.path + "/")
    assert InboxItem.objects.filter(user=reader, comment=reply, is_reply=True).exists()
    assert not InboxItem.objects.filter(user=author, comment=reply).exists()
    assert count(work) == 2


def test_comment_emails_respect_the_preference(
    make_user, make_work, django_capture_on_commit_callbacks
):
    author = make_user("author", email="a@example.org")
    author.comment_emails = False
    author.save()
    work = make_work(author)
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(work=work, user=None, chapter=first_chapter(work), data=GUEST)
    assert InboxItem.objects.filter(user=author).count() == 1
    assert mail.outbox == []


def test_threads_list_depth_first_in_order(make_user, make_work):
    author, a, b = make_user("author"), make_user("ann"), make_user("bob")
    work = make_work(author)
    chapter = first_chapter(work)
    one = comment_create(work=work, user=a, chapter=chapter, data=CommentFields(body="one"))
    two = comment_create(work=work, user=b, chapter=chapter, data=CommentFields(body="two"))
    one_reply = comment_create(work=work, user=b, parent=one, data=CommentFields(body="one.1"))
    deep = one_reply
    for n in range(7):
        deep = comment_create(
            work=work, user=a if n % 2 else b, parent=deep, data=CommentFields(body=f"d{n}")
        )
    threads = comment_threads(work=work, viewer=None, chapter=chapter)
    bodies = [c.body for c in threads.comments]
    assert bodies[:3] == ["one", "one.1", "d0"] and bodies[-1] == "two"
    assert deep.depth == 8 and max(c.display_depth for c in threads.comments) == 5
    assert two in threads.comments


@pytest.mark.parametrize(
    "setting, guest_ok, member_ok",
    [
        (CommentPermission.EVERYONE, True, True),
        (CommentPermission.REGISTERED, False, True),
        (CommentPermission.NOBODY, False, False),
    ],
)
def test_comment_permission_settings(make_user, make_work, setting, guest_ok, member_ok):
    work = make_work(make_user("author"), comment_permission=setting)
    chapter = first_chapter(work)
    for user, ok in ((None, guest_ok), (make_user(), member_ok)):
        data = GUEST if user is None else CommentFields(body="Hello")
        if ok:
            comment_create(work=work, user=user, chapter=chapter, data=data)
        else:
            with pytest.raises(PermissionDenied):
                comment_create(work=work, user=user, chapter=chapter, data=data)


def test_site_switch_turns_guest_comments_off(make_user, make_work):
    work = make_work(make_user("author"))
    site = SiteSettings.current()
    site.guest_comments = False
    site.save()
    with pytest.raises(PermissionDenied, match="Guest comments are turned off"):
        comment_create(work=work, user=None, chapter=first_chapter(work), data=GUEST)
    comment_create(
        work=work, user=make_user(), chapter=first_chapter(work), data=CommentFields(body="ok")
    )


def test_guests_cannot_comment_on_members_only_or_draft_works(make_user, make_work):
    author = make_user("author")
    restricted = make_work(author, restricted=True)
    draft = make_work(author, post=False)
    with pytest.raises(PermissionDenied):
        comment_create(work=restricted, user=None, chapter=first_chapter(restricted), data=GUEST)
    with pytest.raises(PermissionDenied):
        comment_create(
            work=draft, user=author, chapter=first_chapter(draft), data=CommentFields(body="x")
        )


def test_guest_needs_name_and_email_and_body_limits(make_user, make_work):
    work = make_work(make_user("author"))
    with pytest.raises(ValidationError) as exc:
        comment_create(
            work=work, user=None, chapter=first_chapter(work), data=CommentFields(body=" ")
        )
    assert set(exc.value.message_dict) == {"body", "guest_name", "guest_email"}
    with pytest.raises(ValidationError, match="at most 10,000"):
        comment_create(
            work=work,
            user=make_user(),
            chapter=first_chapter(work),
            data=CommentFields(body="x" * 10_001),
        )
    assert Comment.objects.count() == 0


def test_blocked_member_cannot_comment_or_reply(make_user, make_work):
    author, troll, friend = make_user("author"), make_user("troll"), make_user("friend")
    work = make_work(author)
    user_block(blocker=author, blocked=troll)
    with pytest.raises(PermissionDenied, match="blocked"):
        comment_create(
            work=work, user=troll, chapter=first_chapter(work), data=CommentFields(body="hey")
        )
    # Blocking by a commenter stops replies to their comments on other people's works.
    other = make_work(make_user("someone"))
    top = comment_create(
        work=other, user=friend, chapter=first_chapter(other), data=CommentFields(body="hi")
    )
    user_block(blocker=friend, blocked=troll)
    with pytest.raises(PermissionDenied):
        comment_create(work=other, user=troll, parent=top, data=CommentFields(body="reply"))


def test_moderated_comments_wait_for_approval(make_user, make_work):
    author, reader = make_user("author"), make_user("reader")
    work = make_work(author, moderated_comments=True)
    chapter = first_chapter(work)
    comment = comment_create(
        work=work, user=reader, chapter=chapter, data=CommentFields(body="Please?")
    )
    assert comment.status == CommentStatus.PENDING and count(work) == 0
    assert comment_threads(work=work, viewer=None, chapter=chapter).comments == []
    assert (
        comment
        in comment_threads(work=work, viewer=author, chapter=chapter, moderator=True).comments
    )
    assert comment in comment_threads(work=work, viewer=reader, chapter=chapter).comments  # own
    with pytest.raises(PermissionDenied):
        comment_approve(comment=comment, user=reader)
    comment_approve(comment=comment, user=author)
    assert count(work) == 1
    assert comment_threads(work=work, viewer=None, chapter=chapter).comments == [comment]


def test_delete_with_replies_leaves_a_placeholder(make_user, make_work):
    author, a, b = make_user("author"), make_user("ann"), make_user("bob")
    work = make_work(author)
    top = comment_create(
        work=work, user=a, chapter=first_chapter(work), data=CommentFields(body="top")
    )
    reply = comment_create(work=work, user=b, parent=top, data=CommentFields(body="reply"))
    with pytest.raises(PermissionDenied):
        comment_delete(comment=top, user=b)
    comment_delete(comment=top, user=a)
    top.refresh_from_db()
    assert top.deleted and top.body == "" and count(work) == 1
    shown = comment_threads(work=work, viewer=None, chapter=first_chapter(work)).comments
    assert [c.pk for c in shown] == [top.pk, reply.pk]
    # The creator may delete comments on their work; the empty placeholder goes too.
    comment_delete(comment=reply, user=author)
    assert not Comment.objects.exists() and count(work) == 0


def test_edit_only_by_author(make_user, make_work):
    work = make_work(make_user("author"))
    writer = make_user("writer")
    comment = comment_create(
        work=work, user=writer, chapter=first_chapter(work), data=CommentFields(body="tpyo")
    )
    with pytest.raises(PermissionDenied):
        comment_update(comment=comment, user=make_user(), body="hacked")
    comment_update(comment=comment, user=writer, body="typo <script>alert(1)</script>")
    comment.refresh_from_db()
    assert comment.edited_at is not None and "<script" not in comment.body_html


def test_staff_hide_comments(make_user, make_work):
    work = make_work(make_user("author"))
    comment = comment_create(work=work, user=None, chapter=first_chapter(work), data=GUEST)
    with pytest.raises(PermissionDenied):
        comment_set_hidden(comment=comment, hidden=True, actor=make_user())
    staff = make_user("mod", roles=[Role.MODERATOR])
    comment_set_hidden(comment=comment, hidden=True, actor=staff)
    assert count(work) == 0
    assert comment_threads(work=work, viewer=None, chapter=first_chapter(work)).comments == []
    assert comment_threads(work=work, viewer=staff, chapter=first_chapter(work)).comments == [
        comment
    ]


def test_comment_html_is_sanitised(make_user, make_work):
    work = make_work(make_user("author"))
    comment = comment_create(
        work=work,
        user=make_user(),
        chapter=first_chapter(work),
        data=CommentFields(
            body='<p onclick="x()">Hi <a href="javascript:alert(1)">there</a>'
            "<img src=x onerror=alert(1)></p>"
        ),
    )
    assert "onclick" not in comment.body_html and "javascript:" not in comment.body_html
    assert "onerror" not in comment.body_html and "Hi" in comment.body_html
