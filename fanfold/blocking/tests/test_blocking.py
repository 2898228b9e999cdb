import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fanfold.blocking.models import Block, Mute
from fanfold.blocking.services import user_block, user_mute
from fanfold.comments.services import CommentFields, comment_create
from fanfold.kudos.services import kudos_give
from fanfold.staff.roles import Role

pytestmark = pytest.mark.django_db


def test_muted_members_works_leave_listings_and_counts(client, make_user, make_work):
    reader, noisy, quiet = make_user("reader"), make_user("noisy"), make_user("quiet")
    make_work(noisy, title="Loud Work", fandoms=("Shared Fandom",))
    make_work(quiet, title="Calm Work", fandoms=("Shared Fandom",))
    user_mute(muter=reader, muted=noisy)
    client.force_login(reader)
    for url in (reverse("works:index"), "/tags/Shared%20Fandom/works"):
        html = client.get(url).content.decode()
        assert "Calm Work" in html and "Loud Work" not in html, url
        assert "of 1 work" in html, url
    client.logout()
    assert "Loud Work" in client.get(reverse("works:index")).content.decode()


def test_muted_members_comments_and_kudos_names_are_left_out(client, make_user, make_work):
    author, reader, noisy = make_user("author"), make_user("reader"), make_user("noisy")
    work = make_work(author)
    chapter = work.chapters.get()
    top = comment_create(
        work=work, user=noisy, chapter=chapter, data=CommentFields(body="noisy words")
    )
    comment_create(work=work, user=author, parent=top, data=CommentFields(body="reply under noise"))
    comment_create(work=work, user=author, chapter=chapter, data=CommentFields(body="calm words"))
    kudos_give(work=work, user=noisy)
    user_mute(muter=reader, muted=noisy)
    client.force_login(reader)
    html = client.get(work.get_absolute_url()).content.decode()
    assert "calm words" in html and "noisy words" not in html and "reply under noise" not in html
    assert 'href="/users/noisy"' not in html


def test_block_and_mute_from_profile(client, make_user):
    me, them = make_user("me"), make_user("them")
    client.force_login(me)
    page = client.get(reverse("accounts:user", args=["them"])).content.decode()
    assert ">Block<" in page and ">Mute<" in page
    client.post(reverse("blocking:action", args=["them", "block"]))
    client.post(reverse("blocking:action", args=["them", "mute"]))
    assert Block.objects.filter(blocker=me, blocked=them).exists()
    assert Mute.objects.filter(muter=me, muted=them).exists()
    lists = client.get(reverse("blocking:lists")).content.decode()
    assert lists.count("them") >= 2
    client.post(reverse("blocking:action", args=["them", "unblock"]))
    assert not Block.objects.exists()
    assert client.get(reverse("blocking:action", args=["them", "block"])).status_code == 405


def test_cannot_block_yourself_or_staff(make_user):
    me = make_user("me")
    with pytest.raises(ValidationError):
        user_block(blocker=me, blocked=me)
    with pytest.raises(ValidationError):
        user_block(blocker=me, blocked=make_user("mod", roles=[Role.MODERATOR]))
