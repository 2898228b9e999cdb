"""Clean-ups: hiding everything by an account, deleting a spam account, undoing both,
and the purge after the restore window. Counters and the filter index are checked right
after each step, as a reader would see them."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone

from fanfold.accounts.models import User
from fanfold.audit.models import AuditEntry
from fanfold.bookmarks.models import Bookmark
from fanfold.bookmarks.selectors import public_bookmarks_of_work
from fanfold.bookmarks.services import BookmarkFields, bookmark_create
from fanfold.comments.models import Comment
from fanfold.comments.services import CommentFields, comment_create
from fanfold.filters.query import WorkFilter
from fanfold.filters.selectors import filter_works
from fanfold.kudos.services import kudos_give
from fanfold.sanctions.cleanup import (
    cleanup_restore,
    cleanups_purge,
    member_delete_spam,
    member_hide_everything,
)
from fanfold.sanctions.models import Cleanup
from fanfold.sanctions.selectors import active_ban
from fanfold.works.models import Work
from fanfold.works.staff_services import work_set_hidden

pytestmark = pytest.mark.django_db


def indexed(q: str = "") -> set[int]:
    return set(filter_works(WorkFilter.from_params(QueryDict(q)), None).work_ids)


@pytest.fixture
def spammer_world(make_user, make_work):
    """A spammer with a work, a comment and a bookmark on a real member's work, and
    kudos; the real member's own comment and bookmark beside them."""
    reader = make_user("reader")
    author = make_user("author")
    spammer = make_user("spammer")
    good = make_work(author, title="Good Work", freeforms=["Harbour"])
    spam = make_work(spammer, title="Cheap Pills", freeforms=["Harbour"])
    chapter = good.chapters.get()
    for user, body in ((reader, "Lovely."), (spammer, "Buy pills at example.com")):
        comment_create(work=good, user=user, chapter=chapter, data=CommentFields(body=body))
    for user in (reader, spammer):
        bookmark_create(user=user, work=good, data=BookmarkFields(notes="!"))
    kudos_give(work=good, user=spammer)
    good.refresh_from_db()
    return {"spammer": spammer, "good": good, "spam": spam, "reader": reader}


def counters(work: Work) -> tuple[int, int, int]:
    work.refresh_from_db()
    return work.comment_count, work.bookmark_count, work.kudos_count


def test_hide_everything_then_restore(spammer_world, moderator):
    w = spammer_world
    good, spam, spammer = w["good"], w["spam"], w["spammer"]
    assert counters(good) == (2, 2, 1) and indexed("tag=Harbour") == {good.pk, spam.pk}
    cleanup = member_hide_everything(actor=moderator, member=spammer, reason="Spam run.")
    assert counters(good) == (1, 1, 1)
    assert indexed("tag=Harbour") == {good.pk}
    assert [b.user for b in public_bookmarks_of_work(work=good, viewer=None)] == [w["reader"]]
    assert set(Comment.objects.public().values_list("user__username", flat=True)) == {"reader"}
    assert len(cleanup.hidden["works"]) == 1 and len(cleanup.hidden["comments"]) == 1
    spammer.refresh_from_db()
    assert spammer.is_active  # hiding is not a ban
    cleanup_restore(actor=moderator, cleanup=cleanup, reason="Mistaken identity.")
    assert counters(good) == (2, 2, 1)
    assert indexed("tag=Harbour") == {good.pk, spam.pk}
    actions = list(
        AuditEntry.objects.exclude(action="role.change")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[:3] == ["work.hide", "comment.hide", "bookmark.hide"]
    assert "member.hide_everything" in actions and actions[-1] == "cleanup.restore"


def test_restore_leaves_what_was_hidden_before(spammer_world, moderator):
    w = spammer_world
    work_set_hidden(work=w["spam"], hidden=True, actor=moderator, reason="Earlier.")
    cleanup = member_hide_everything(actor=moderator, member=w["spammer"], reason="Spam.")
    assert cleanup.hidden["works"] == []
    cleanup_restore(actor=moderator, cleanup=cleanup)
    assert Work.objects.get(pk=w["spam"].pk).hidden_by_admin


def test_delete_spam_bans_at_once_and_purges_after_the_window(spammer_world, moderator):
    w = spammer_world
    good, spammer = w["good"], w["spammer"]
    cleanup = member_delete_spam(actor=moderator, member=spammer, reason="Spam bot.")
    spammer.refresh_from_db()
    assert not spammer.is_active and active_ban(spammer) == cleanup.ban
    assert counters(good) == (1, 1, 1) and indexed() == {good.pk}
    # Not yet: the restore window is open.
    assert cleanups_purge() == 0
    later = timezone.now() + datetime.timedelta(days=31)
    assert cleanups_purge(now=later) == 1
    assert not User.objects.filter(username="spammer").exists()
    assert not Work.objects.filter(title="Cheap Pills").exists()
    assert counters(good) == (1, 1, 0)
    assert Comment.objects.count() == 1 and Bookmark.objects.count() == 1
    assert indexed() == {good.pk}
    assert Cleanup.objects.get().purged_at is not None
    assert AuditEntry.objects.filter(action="cleanup.purge", member_name="spammer").exists()


def test_delete_spam_undone_lifts_the_ban(spammer_world, moderator):
    w = spammer_world
    cleanup = member_delete_spam(actor=moderator, member=w["spammer"], reason="Spam bot.")
    cleanup_restore(actor=moderator, cleanup=cleanup)
    w["spammer"].refresh_from_db()
    assert w["spammer"].is_active and active_ban(w["spammer"]) is None
    assert counters(w["good"]) == (2, 2, 1)
    Cleanup.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))
    call_command("purge_cleanups", stdout=io.StringIO())
    assert User.objects.filter(username="spammer").exists()


def test_a_clean_up_cannot_be_undone_after_the_window(spammer_world, moderator):
    cleanup = member_hide_everything(actor=moderator, member=spammer_world["spammer"], reason="x")
    Cleanup.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))
    with pytest.raises(ValidationError):
        cleanup_restore(actor=moderator, cleanup=Cleanup.objects.get(pk=cleanup.pk))


@pytest.mark.parametrize("role", [None, "wrangler", "support"])
def test_clean_ups_are_refused_without_the_permission(spammer_world, make_staff, role):
    actor = make_staff(*([role] if role else []))
    for cleanup in (member_hide_everything, member_delete_spam):
        with pytest.raises(PermissionDenied):
            cleanup(actor=actor, member=spammer_world["spammer"], reason="x")
    assert counters(spammer_world["good"]) == (2, 2, 1)
