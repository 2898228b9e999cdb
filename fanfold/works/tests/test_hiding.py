"""Staff hiding works and chapters: permissions, audit, e-mail, and what readers see."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import QueryDict

from fanfold.audit.models import AuditEntry
from fanfold.filters.query import WorkFilter
from fanfold.filters.selectors import filter_works
from fanfold.works.models import Work
from fanfold.works.staff_services import chapter_set_hidden, work_set_hidden

pytestmark = pytest.mark.django_db


def indexed(q: str = "") -> set[int]:
    """Works the shared filter index gives a guest."""
    return set(filter_works(WorkFilter.from_params(QueryDict(q)), None).work_ids)


@pytest.mark.parametrize("role", [None, "wrangler", "support"])
def test_only_roles_with_hide_content_may_hide(make_staff, make_work, role):
    work = make_work()
    actor = make_staff(*([role] if role else []))
    with pytest.raises(PermissionDenied):
        work_set_hidden(work=work, hidden=True, actor=actor, reason="spam")
    chapter = work.chapters.get()
    with pytest.raises(PermissionDenied):
        chapter_set_hidden(chapter=chapter, hidden=True, actor=actor, reason="spam")
    assert not Work.objects.get(pk=work.pk).hidden_by_admin
    assert not AuditEntry.objects.exclude(action="role.change").exists()


def test_hiding_a_work_is_audited_and_mailed(
    make_user, make_work, moderator, django_capture_on_commit_callbacks
):
    author = make_user("wren")
    work = make_work(author, title="Salt Roads")
    with django_capture_on_commit_callbacks(execute=True):
        work_set_hidden(work=work, hidden=True, actor=moderator, reason="Copied from elsewhere.")
    entry = AuditEntry.objects.exclude(action="role.change").get()
    assert (entry.action, entry.actor, entry.member, entry.role) == (
        "work.hide",
        moderator,
        author,
        "moderator",
    )
    assert entry.changes["hidden_by_admin"] == [False, True]
    [message] = mail.outbox
    assert message.to == ["wren@example.org"]
    assert "Salt Roads" in message.body and "Copied from elsewhere." in message.body


def test_a_hidden_chapter_is_gone_for_readers_and_kept_for_its_creator(
    client, make_user, make_work, moderator, django_capture_on_commit_callbacks
):
    author = make_user("wren")
    work = make_work(author, chapters=3)
    words = work.word_count
    second = work.chapters.get(position=2)
    with django_capture_on_commit_callbacks(execute=True):
        chapter_set_hidden(chapter=second, hidden=True, actor=moderator, reason="Spam links.")
    work.refresh_from_db()
    assert work.chapter_count == 2 and work.word_count < words
    page = client.get(work.get_absolute_url() + "?view_full_work=true").text
    assert "Chapter 2 text" not in page and "Chapter 3 text" in page
    assert client.get(second.get_absolute_url()).status_code == 404
    navigation = client.get(f"/works/{work.pk}/navigate").text
    assert "Part 2" not in navigation and "Part 3" in navigation
    client.force_login(author)
    own = client.get(second.get_absolute_url()).text
    assert "Chapter 2 text" in own and "Spam links." in own
    assert "chapter" in mail.outbox[0].subject and "Spam links." in mail.outbox[0].body
    assert AuditEntry.objects.exclude(action="role.change").get().action == "chapter.hide"


def test_showing_a_chapter_again_restores_the_counts(make_work, moderator):
    work = make_work(chapters=2)
    chapter = work.chapters.get(position=2)
    chapter_set_hidden(chapter=chapter, hidden=True, actor=moderator, reason="x")
    chapter_set_hidden(chapter=chapter, hidden=False, actor=moderator)
    work.refresh_from_db()
    assert work.chapter_count == 2
    assert [e.action for e in AuditEntry.objects.exclude(action="role.change").order_by("pk")] == [
        "chapter.hide",
        "chapter.unhide",
    ]


def test_a_hidden_work_leaves_the_filter_index_at_once(make_work, moderator):
    work = make_work(title="Index Me")
    assert indexed() == {work.pk}
    work_set_hidden(work=work, hidden=True, actor=moderator, reason="x")
    assert indexed() == set()
