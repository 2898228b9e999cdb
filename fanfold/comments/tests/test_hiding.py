"""Staff hiding comments: who may, the audit entry, the writer's e-mail and view."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from fanfold.audit.models import AuditEntry
from fanfold.comments.services import CommentFields, comment_create, comment_set_hidden
from fanfold.news.services import NewsPostFields, news_post_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(make_user, make_work):
    work = make_work(make_user("author"))
    writer = make_user("wren")
    return comment_create(
        work=work,
        user=writer,
        chapter=work.chapters.get(),
        data=CommentFields(body="Buy cheap lamps at example.com"),
    )


@pytest.mark.parametrize("role", [None, "wrangler", "support"])
def test_refused_without_hide_content(make_staff, comment, role):
    with pytest.raises(PermissionDenied):
        comment_set_hidden(
            comment=comment, hidden=True, actor=make_staff(*([role] if role else []))
        )
    comment.refresh_from_db()
    assert (
        not comment.hidden_by_admin
        and not AuditEntry.objects.exclude(action="role.change").exists()
    )


def test_hidden_for_readers_with_the_reason_for_its_writer(
    client, comment, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_hidden(comment=comment, hidden=True, actor=moderator, reason="Advertising.")
    comment.work.refresh_from_db()
    assert comment.work.comment_count == 0
    url = comment.chapter.get_absolute_url()
    assert "cheap lamps" not in client.get(url).text
    client.force_login(comment.user)
    own = client.get(url).text
    assert "cheap lamps" in own and "Advertising." in own
    entry = AuditEntry.objects.exclude(action="role.change").get()
    assert (entry.action, entry.member, entry.reason) == (
        "comment.hide",
        comment.user,
        "Advertising.",
    )
    [message] = mail.outbox
    assert message.to == ["wren@example.org"] and "Advertising." in message.body


def test_the_hide_button_posts_a_reason(client, comment, moderator):
    client.force_login(moderator)
    page = client.get(comment.chapter.get_absolute_url()).text
    assert f'id="hide-reason-{comment.pk}"' in page
    client.post(f"/comments/{comment.pk}/hide", {"reason": "Spam."})
    comment.refresh_from_db()
    assert comment.hidden_by_admin and comment.hidden_reason == "Spam."
    client.post(f"/comments/{comment.pk}/unhide")
    comment.refresh_from_db()
    assert not comment.hidden_by_admin and comment.hidden_reason == ""
    assert comment.work.__class__.objects.get(pk=comment.work_id).comment_count == 1


def test_a_comment_on_a_news_post_is_hidden_and_counted_on_the_post(
    make_user, make_staff, moderator
):
    post = news_post_create(
        author=make_staff("administrator"),
        data=NewsPostFields(title="Server move", body="Sunday.", published=True),
    )
    comment = comment_create(
        news_post=post, user=make_user("wren"), data=CommentFields(body="Buy lamps!")
    )
    post.refresh_from_db()
    assert post.comment_count == 1
    comment_set_hidden(comment=comment, hidden=True, actor=moderator, reason="Spam.")
    post.refresh_from_db()
    assert post.comment_count == 0
    entry = AuditEntry.objects.get(action="comment.hide")
    assert entry.target_label == "comment on “Server move”"
