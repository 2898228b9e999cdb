"""Staff hiding bookmarks: gone from every public list and the count; kept for the owner."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fanfold.audit.models import AuditEntry
from fanfold.bookmarks.services import (
    BookmarkFields,
    bookmark_create,
    bookmark_set_hidden,
    bookmark_update,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookmark(make_user, make_work):
    return bookmark_create(
        user=make_user("wren"), work=make_work(), data=BookmarkFields(notes="Spam link here")
    )


def bookmark_count(bookmark) -> int:
    bookmark.work.refresh_from_db()
    return bookmark.work.bookmark_count


@pytest.mark.parametrize("role", [None, "wrangler", "support"])
def test_refused_without_hide_content(make_staff, bookmark, role):
    with pytest.raises(PermissionDenied):
        bookmark_set_hidden(
            bookmark=bookmark, hidden=True, actor=make_staff(*([role] if role else []))
        )
    assert bookmark_count(bookmark) == 1


def test_gone_from_public_lists_and_the_count(
    client, bookmark, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bookmark_set_hidden(bookmark=bookmark, hidden=True, actor=moderator, reason="Spam.")
    assert bookmark_count(bookmark) == 0
    for url in (
        reverse("bookmarks:work", args=[bookmark.work_id]),
        reverse("bookmarks:user", args=["wren"]),
    ):
        assert "Spam link here" not in client.get(url).text
    client.force_login(bookmark.user)
    own = client.get(reverse("bookmarks:user", args=["wren"])).text
    assert "Spam link here" in own and "The moderators hid this bookmark" in own
    assert AuditEntry.objects.exclude(action="role.change").get().action == "bookmark.hide"
    assert "Spam." in mail.outbox[0].body


def test_editing_a_hidden_bookmark_does_not_bring_back_the_count(bookmark, moderator):
    bookmark_set_hidden(bookmark=bookmark, hidden=True, actor=moderator, reason="Spam.")
    bookmark_update(bookmark=bookmark, user=bookmark.user, data=BookmarkFields(private=True))
    bookmark_update(bookmark=bookmark, user=bookmark.user, data=BookmarkFields(notes="again"))
    assert bookmark_count(bookmark) == 0
    bookmark_set_hidden(bookmark=bookmark, hidden=False, actor=moderator)
    assert bookmark_count(bookmark) == 1
