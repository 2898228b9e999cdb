"""Members who mute someone read from the shared cache too, keyed by whom they mute
(fanfold.works.memberpages): the muted members' comments stay out of their page only,
and an unmute shows on the next request."""

import pytest
from django.test import Client

from fanfold.blocking.services import user_mute, user_unmute
from fanfold.comments.services import CommentFields, comment_create

pytestmark = pytest.mark.django_db


def member_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_muting_members_share_a_page_without_the_muted_comments(make_user, make_work):
    work = make_work()
    loud = make_user("loud")
    comment_create(
        work=work,
        user=loud,
        data=CommentFields(body="Shouted words"),
        chapter=work.chapters.first(),
    )
    first, second, plain = make_user("first"), make_user("second"), make_user("plain")
    for muter in (first, second):
        user_mute(muter=muter, muted=loud)
    url = work.get_absolute_url()
    first_page = member_client(first).get(url)
    assert "Shouted words" not in first_page.text and "first" in first_page.text
    again = member_client(second).get(url)
    assert again["X-Page-Cache"] == "hit"  # the same mutes: the same shared rendering
    assert "Shouted words" not in again.text
    assert "second" in again.text
    assert "Shouted words" in member_client(plain).get(url).text
    user_unmute(muter=first, muted=loud)
    assert "Shouted words" in member_client(first).get(url).text
