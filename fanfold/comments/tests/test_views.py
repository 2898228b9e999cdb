import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.comments.models import Comment, InboxItem
from fanfold.comments.services import CommentFields, comment_create

pytestmark = pytest.mark.django_db


def token_of(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def stamp_of(html: str) -> str:
    return re.search(r'name="form_stamp" value="([^"]+)"', html).group(1)


def test_guest_comments_from_a_cached_page_with_csrf_enforced(make_work):
    """Guests' pages come from the shared cache; the comment form must still carry this
    visitor's own CSRF token, or posting would fail."""
    work = make_work()
    chapter = work.chapters.get()
    url = chapter.get_absolute_url()
    warm = Client(enforce_csrf_checks=True)
    warm.get(url)  # fills the cache with someone else's visit
    guest = Client(enforce_csrf_checks=True)
    page = guest.get(url)
    assert page["X-Page-Cache"] == "hit"
    response = guest.post(
        reverse("comments:new", args=[work.pk]),
        {
            "csrfmiddlewaretoken": token_of(page.content.decode()),
            "form_stamp": stamp_of(page.content.decode()),
            "chapter": chapter.pk,
            "guest_name": "Wanderer",
            "guest_email": "w@example.org",
            "body": "This made my day.",
            "website": "",
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert response["Location"] == f"{url}#comment_{comment.pk}"
    # The edit shows at once: the next cached page has the comment.
    html = guest.get(url).content.decode()
    assert "This made my day." in html and "Wanderer" in html and 'dd class="comments">1<' in html


def test_invalid_comment_keeps_what_was_typed(client, make_work, stamped):
    work = make_work()
    chapter = work.chapters.get()
    response = client.post(
        reverse("comments:new", args=[work.pk]),
        stamped(
            {
                "chapter": chapter.pk,
                "guest_name": "",
                "guest_email": "",
                "body": "My long careful thoughts",
            }
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "My long careful thoughts" in html and "This field is required" in html
    assert not Comment.objects.exists()


def test_honeypot_rejects_bots(client, make_work, stamped):
    work = make_work()
    response = client.post(
        reverse("comments:new", args=[work.pk]),
        stamped(
            {
                "chapter": work.chapters.get().pk,
                "guest_name": "Bot",
                "guest_email": "bot@example.org",
                "body": "Buy now",
                "website": "http://spam.example",
            }
        ),
    )
    assert response.status_code == 400 and not Comment.objects.exists()


def test_registered_only_work_shows_login_prompt_to_guests(client, make_work):
    work = make_work(comment_permission="registered")
    html = client.get(work.get_absolute_url()).content.decode()
    assert "Only registered users can comment" in html and 'id="add_comment"' not in html


def test_member_reply_page_and_inbox(client, make_user, make_work, stamped):
    author, reader = make_user("author"), make_user("reader")
    work = make_work(author)
    top = comment_create(
        work=work, user=reader, chapter=work.chapters.get(), data=CommentFields(body="Question?")
    )
    client.force_login(author)
    response = client.post(reverse("comments:reply", args=[top.pk]), stamped({"body": "Answer!"}))
    assert response.status_code == 302
    reply = Comment.objects.get(parent=top)
    assert reply.by_creator
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Answer!" in page and "role creator" in page
    client.force_login(reader)
    inbox = client.get(reverse("comments:inbox")).content.decode()
    assert "replied to your comment" in inbox and "Answer!" in inbox
    item = InboxItem.objects.get(user=reader)
    client.post(reverse("comments:inbox"), {"items": [item.pk], "action": "read"})
    item.refresh_from_db()
    assert item.read


def test_others_cannot_edit_or_delete(client, make_user, make_work):
    work = make_work(make_user("author"))
    comment = comment_create(
        work=work,
        user=make_user("writer"),
        chapter=work.chapters.get(),
        data=CommentFields(body="mine"),
    )
    client.force_login(make_user("stranger"))
    assert (
        client.post(reverse("comments:edit", args=[comment.pk]), {"body": "x"}).status_code == 403
    )
    assert client.post(reverse("comments:delete", args=[comment.pk])).status_code == 403
    assert Comment.objects.get().body == "mine"


def test_comments_on_restricted_work_are_not_shown_to_guests(client, make_user, make_work):
    work = make_work(make_user("author"), restricted=True)
    comment = comment_create(
        work=work,
        user=make_user(),
        chapter=work.chapters.get(),
        data=CommentFields(body="secret words"),
    )
    assert client.get(reverse("comments:detail", args=[comment.pk])).status_code == 404


@pytest.mark.parametrize("viewer", ["guest", "member"])
def test_chapter_page_queries_do_not_grow_with_comments(client, make_user, make_work, viewer):
    from django.core.cache import cache

    from fanfold.kudos.services import kudos_give

    if viewer == "member":
        client.force_login(make_user())
    few, many = make_work(), make_work()
    for work, n in ((few, 0), (many, 15)):
        chapter = work.chapters.get()
        for i in range(n):
            member = make_user()
            top = comment_create(
                work=work, user=member, chapter=chapter, data=CommentFields(body=f"c{i}")
            )
            comment_create(
                work=work,
                user=None,
                parent=top,
                data=CommentFields(body="r", guest_name="G", guest_email="g@example.org"),
            )
            kudos_give(work=work, user=member)

    def queries(url):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries(few.get_absolute_url())  # first visit records history; compare later visits
    queries(many.get_absolute_url())
    assert queries(few.get_absolute_url()) == queries(many.get_absolute_url())


def test_comment_flood_is_rate_limited(client, make_work, settings, stamped):
    settings.RATELIMIT_ENABLE = True
    settings.COMMENT_RATE_PER_IP = "3/m"
    work = make_work()
    chapter = work.chapters.get()
    statuses = [
        client.post(
            reverse("comments:new", args=[work.pk]),
            stamped(
                {
                    "chapter": chapter.pk,
                    "guest_name": "Flood",
                    "guest_email": "f@example.org",
                    "body": f"message {n}",
                }
            ),
        ).status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Comment.objects.count() == 3


def test_inbox_leaves_out_works_hidden_since(client, make_user, make_work, moderator):
    from fanfold.works.staff_services import work_set_hidden

    author, reader = make_user("author"), make_user("reader")
    work = make_work(author, title="Soon Hidden")
    top = comment_create(
        work=work, user=reader, chapter=work.chapters.get(), data=CommentFields(body="Hi")
    )
    comment_create(work=work, user=author, parent=top, data=CommentFields(body="Secret reply"))
    client.force_login(reader)
    assert "Secret reply" in client.get(reverse("comments:inbox")).content.decode()
    work_set_hidden(work=work, hidden=True, actor=moderator)
    assert "Secret reply" not in client.get(reverse("comments:inbox")).content.decode()


BADGE = re.compile(r'Inbox(?: <span class="badge">(\d+)</span>)?</a>')


def test_inbox_badge_counts_what_the_inbox_shows(client, make_user, make_work, moderator):
    from fanfold.blocking.services import user_mute
    from fanfold.works.staff_services import work_set_hidden

    author, reader, loud = make_user("author"), make_user("reader"), make_user("loud")
    hidden_work, open_work = make_work(author, title="Soon Hidden"), make_work(author)
    tops = {
        work: comment_create(
            work=work, user=reader, chapter=work.chapters.get(), data=CommentFields(body="Hi")
        )
        for work in (hidden_work, open_work)
    }
    for work, replier in ((hidden_work, author), (open_work, author), (open_work, loud)):
        comment_create(work=work, user=replier, parent=tops[work], data=CommentFields(body="Re"))
    client.force_login(reader)

    def badge_and_rows() -> tuple[int, int]:
        page = client.get(reverse("comments:inbox")).content.decode()
        badge = BADGE.search(page)
        assert badge is not None
        return int(badge.group(1) or 0), page.count('name="items"')

    assert badge_and_rows() == (3, 3)
    user_mute(muter=reader, muted=loud)
    assert badge_and_rows() == (2, 2)
    work_set_hidden(work=hidden_work, hidden=True, actor=moderator)
    assert badge_and_rows() == (1, 1)


def test_a_chapter_page_names_its_own_count_and_the_whole_works(client, make_user, make_work):
    work = make_work(chapters=2)
    first, second = work.chapters.order_by("position")
    comment_create(work=work, user=make_user(), chapter=first, data=CommentFields(body="Yes."))
    work.refresh_from_db()

    page = client.get(reverse("works:chapter", args=[work.pk, second.pk])).text
    assert "Comments on Chapter 2" in page and "Comments (1)" not in page
    assert "None on this chapter yet" in page
    assert re.search(r'view_full_work=true#comments">1 comment on the whole work<', page)
    page = client.get(reverse("works:chapter", args=[work.pk, first.pk])).text
    assert "1 thread on this chapter" in page
    page = client.get(work.get_absolute_url() + "?view_full_work=true").text
    assert "Comments (1)" in page
