"""What suspended and banned members can and cannot do, through the real pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fanfold.bookmarks.models import Bookmark
from fanfold.comments.models import Comment
from fanfold.kudos.models import Kudos
from fanfold.sanctions.models import Sanction
from fanfold.sanctions.services import member_ban, member_suspend, sanction_lift
from fanfold.works.models import Work
from fanfold.works.tests.test_posting_views import form_data

pytestmark = pytest.mark.django_db

REASON = "Repeated spoilers in comments."


@pytest.fixture
def suspended(client, make_user, moderator):
    member = make_user("wren")
    member_suspend(
        actor=moderator,
        member=member,
        until=timezone.now() + datetime.timedelta(days=3),
        reason=REASON,
    )
    client.force_login(member)
    return member


def refused(response) -> bool:
    return response.status_code == 403 and REASON in response.text and "suspended" in response.text


def test_every_page_says_why_and_until_when(client, suspended, make_work):
    work = make_work()
    for url in (reverse("archive:home"), work.get_absolute_url()):
        page = client.get(url).text
        assert "Your account is suspended until" in page and REASON in page


def test_reading_and_own_works_stay_open(client, suspended, make_work):
    mine = make_work(suspended, title="My Own Tale")
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(reverse("works:edit", args=[mine.pk])).status_code == 200


def test_comments_kudos_posting_and_editing_are_refused(client, suspended, make_work):
    other = make_work(title="Someone Else's")
    mine = make_work(suspended, title="My Own Tale")
    works_before = Work.objects.count()
    assert refused(
        client.post(reverse("comments:new", args=[other.pk]), {"body": "Great!", "action": "post"})
    )
    assert refused(client.post(reverse("kudos:create", args=[other.pk])))
    assert refused(client.post(reverse("works:new"), form_data()))
    assert refused(client.post(reverse("works:edit", args=[mine.pk]), form_data(title="Changed")))
    assert not Comment.objects.exists() and not Kudos.objects.exists()
    assert Work.objects.count() == works_before
    assert Work.objects.get(pk=mine.pk).title == "My Own Tale"


def test_public_bookmarks_are_refused_private_ones_allowed(client, suspended, make_work):
    work = make_work()
    url = reverse("bookmarks:new_work", args=[work.pk])
    assert refused(client.post(url, {"notes": "Loved it", "tags": ""}))
    assert not Bookmark.objects.exists()
    response = client.post(url, {"notes": "Loved it", "tags": "", "private": "on"})
    assert response.status_code == 302
    bookmark = Bookmark.objects.get()
    assert bookmark.private
    # Making it public later is refused too.
    edit = reverse("bookmarks:edit", args=[bookmark.pk])
    assert refused(client.post(edit, {"notes": "Loved it", "tags": ""}))
    assert Bookmark.objects.get().private


def test_logging_out_still_works(client, suspended):
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_suspension_ends_by_itself(client, suspended, make_work):
    work = make_work()
    Sanction.objects.filter(member=suspended).update(
        until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert "suspended" not in client.get(reverse("archive:home")).text
    client.post(reverse("kudos:create", args=[work.pk]))
    assert Kudos.objects.count() == 1


def test_a_ban_logs_out_a_signed_in_member_at_their_next_request(client, make_user, moderator):
    member = make_user("wren", password="a-long-passphrase")
    assert client.login(username="wren", password="a-long-passphrase")
    assert client.get(reverse("accounts:preferences")).status_code == 200
    ban = member_ban(actor=moderator, member=member, reason="Harassment.", hide_works=False)
    response = client.get(reverse("accounts:preferences"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    # The session stays over even when the ban is lifted: they log in again.
    sanction_lift(actor=moderator, sanction=ban)
    assert client.get(reverse("accounts:preferences")).status_code == 302
    assert client.login(username="wren", password="a-long-passphrase")
    assert client.get(reverse("accounts:preferences")).status_code == 200


def test_the_login_page_says_the_account_is_banned(client, make_user, moderator):
    member = make_user("wren", password="a-long-passphrase")
    member_ban(actor=moderator, member=member, reason="Harassment.", hide_works=False)
    page = client.post(
        reverse("accounts:login"), {"username": "wren", "password": "a-long-passphrase"}
    ).text
    assert "This account is banned" in page and "Harassment." in page
    wrong = client.post(reverse("accounts:login"), {"username": "wren", "password": "nope"}).text
    assert "banned" not in wrong and "do not match" in wrong
