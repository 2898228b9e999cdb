"""After a button under a chapter the reader lands on that chapter again, at the place
the button is, with its confirmation shown there (not only at the top of the page)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from fanfold.comments.models import Comment
from fanfold.comments.selectors import THREADS_PER_PAGE
from fanfold.comments.services import CommentFields, comment_create

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def reading(client, make_user, make_work):
    """A member reading chapter 3 of a three-chapter work."""
    work = make_work(chapters=3)
    third = work.chapters.get(position=3)
    reader = make_user("wanderer")
    client.force_login(reader)
    page = soup(client.get(third.get_absolute_url()))
    return work, third, page


def _next_of(page: BeautifulSoup, action: str) -> str:
    form = page.find("form", action=action)
    return form.find("input", attrs={"name": "next"})["value"]


def _landed(client, response, anchor: str, message: str, path: str) -> BeautifulSoup:
    """The redirect goes to `path#anchor`; the page shows `message` inside the element
    with that id and not in the list at the top."""
    assert response.status_code == 302
    assert response["Location"] == f"{path}#{anchor}"
    page = soup(client.get(path))
    here = page.find(id=anchor)
    assert here is not None, anchor
    assert message in here.get_text(" ")
    top = page.select("main > ul.flash")
    assert all(message not in ul.get_text() for ul in top)
    # Shown once: the next visit has no message and the cookie was emptied.
    assert message not in client.get(path).content.decode()
    return page


def test_kudos_lands_on_the_same_chapter_at_the_kudos(client, reading):
    work, third, page = reading
    action = reverse("kudos:create", args=[work.pk])
    assert _next_of(page, action) == third.get_absolute_url()
    response = client.post(action, {"next": _next_of(page, action)})
    _landed(client, response, "kudos", "Thank you for leaving kudos!", third.get_absolute_url())


def test_guest_kudos_land_there_too_and_the_cached_page_stays_clean(make_work, client):
    work = make_work(chapters=3)
    third = work.chapters.get(position=3)
    client.get(third.get_absolute_url())  # fills the guests' cache
    action = reverse("kudos:create", args=[work.pk])
    response = client.post(action, {"next": third.get_absolute_url()})
    page = client.get(third.get_absolute_url())
    assert page.get("X-Page-Cache") is None  # a page with a message is never the cached one
    assert "Thank you for leaving kudos!" in soup(page).find(id="kudos").get_text()
    assert response["Location"] == f"{third.get_absolute_url()}#kudos"
    again = client.get(third.get_absolute_url())
    assert "Thank you for leaving kudos!" not in again.content.decode()
    # Back on the guests' cache (the kudos changed the page, so it is built once more).
    assert again["X-Page-Cache"] == "miss"
    assert client.get(third.get_absolute_url())["X-Page-Cache"] == "hit"


def test_subscribe_and_unsubscribe_land_at_the_buttons(client, reading):
    work, third, page = reading
    action = reverse("subscriptions:create")
    data = {"kind": "work", "id": work.pk, "next": _next_of(page, action)}
    response = client.post(action, data)
    page = _landed(client, response, "work-actions", "Subscribed.", third.get_absolute_url())
    form = page.find("button", string="Unsubscribe").find_parent("form")
    response = client.post(form["action"], {"next": third.get_absolute_url()})
    _landed(client, response, "work-actions", "Unsubscribed.", third.get_absolute_url())


def test_mark_for_later_lands_at_the_buttons(client, reading):
    work, third, page = reading
    action = reverse("history:mark", args=[work.pk])
    response = client.post(action, {"marked": "1", "next": _next_of(page, action)})
    _landed(client, response, "work-actions", "Marked for later.", third.get_absolute_url())


def test_bookmarking_returns_to_the_chapter(client, reading):
    _, third, page = reading
    link = page.find("a", string="Bookmark")["href"]
    form = soup(client.get(link)).find("form", class_="bookmark-form")
    back = form.find("input", attrs={"name": "next"})["value"]
    assert back == third.get_absolute_url()
    response = client.post(link, {"next": back, "notes": "", "tags": ""})
    _landed(client, response, "work-actions", "Bookmarked.", third.get_absolute_url())


def test_display_settings_return_to_the_full_work(client, make_work):
    work = make_work(chapters=3)
    url = work.get_absolute_url() + "?view_full_work=true"
    page = soup(client.get(url))
    back = page.find("form", id="display").find("input", attrs={"name": "next"})["value"]
    response = client.post(reverse("archive:display"), {"theme": "dark", "next": back})
    _landed(client, response, "display", "Display settings saved.", url)


def test_a_comment_lands_on_itself_with_the_message_beside_it(client, reading, stamped):
    work, third, _ = reading
    response = client.post(
        reverse("comments:new", args=[work.pk]), stamped({"chapter": third.pk, "body": "Lovely."})
    )
    comment = Comment.objects.get()
    anchor = f"comment_{comment.pk}"
    _landed(client, response, anchor, "Your comment was posted.", third.get_absolute_url())


def test_a_comment_on_a_later_page_lands_on_that_page(client, reading, make_user, stamped):
    work, third, _ = reading
    other = make_user("chatty")
    for number in range(THREADS_PER_PAGE):
        comment_create(
            work=work, user=other, chapter=third, data=CommentFields(body=f"Note {number}")
        )
    response = client.post(
        reverse("comments:new", args=[work.pk]),
        stamped({"chapter": third.pk, "body": "Page two."}),
    )
    comment = Comment.objects.get(body="Page two.")
    path = f"{third.get_absolute_url()}?comments_page=2"
    page = _landed(client, response, f"comment_{comment.pk}", "Your comment was posted.", path)
    assert "Page two." in page.find(id=f"comment_{comment.pk}").get_text()


def test_a_guest_comment_awaiting_approval_lands_at_the_comments(client, make_work, stamped):
    work = make_work(chapters=3, moderated_comments=True)
    third = work.chapters.get(position=3)
    response = client.post(
        reverse("comments:new", args=[work.pk]),
        stamped(
            {
                "chapter": third.pk,
                "guest_name": "Wanderer",
                "guest_email": "w@example.org",
                "body": "Hello.",
            }
        ),
    )
    message = "Thank you! Your comment will appear"
    _landed(client, response, "comments", message, third.get_absolute_url())


def test_a_message_for_another_page_still_shows_at_the_top(client, make_user, make_work):
    work = make_work()
    client.force_login(make_user())
    client.post(reverse("kudos:create", args=[work.pk]), {"next": reverse("archive:home")})
    home = soup(client.get(reverse("archive:home")))
    assert "Thank you for leaving kudos!" in home.select_one("main > ul.flash").get_text()
