"""A guest comments on a work, its author replies, and a member leaves kudos and a
bookmark: in real Chromium, through the site's own pages and with CSRF checks on."""

import re

import pytest

from fanfold.accounts.services import user_create
from fanfold.bookmarks.models import Bookmark
from fanfold.comments.models import Comment
from fanfold.works.models import Work
from tests.browser.steps import PASSWORD, follow, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guest_comment_author_reply_member_kudos_and_bookmark(page, make_work):
    author = user_create(username="keeper", email="keeper@example.org", password=PASSWORD)
    user_create(username="reader", email="reader@example.org", password=PASSWORD)
    work = make_work(author, title="Harbour Lights")

    # A guest comments (their page comes from the shared page cache).
    page.goto(work.get_absolute_url())
    form = page.locator("form#add_comment")
    form.get_by_label("Name").fill("Passing Sailor")
    form.get_by_label("E-mail (never shown)").fill("sailor@example.org")
    form.get_by_label("Comment").fill("The lighthouse scene stayed with me.")
    form.get_by_role("button", name="Comment").click()
    page.wait_for_url(re.compile(r"#comment_\d+$"))
    comment = page.locator("li.comment").first
    assert "The lighthouse scene stayed with me." in comment.inner_text()
    assert "Passing Sailor" in comment.inner_text()

    # The author replies from their inbox.
    log_in(page, "keeper")
    follow(page, page.get_by_role("link", name=re.compile(r"^Inbox")))
    assert "Passing Sailor commented on" in page.locator("ol.inbox").inner_text()
    page.goto(work.get_absolute_url())
    follow(page, page.locator("li.comment").first.get_by_role("link", name="Reply"))
    page.get_by_label("Comment").fill("Thank you for reading!")
    page.get_by_role("button", name="Reply").click()
    page.wait_for_url(re.compile(r"#comment_\d+$"))
    reply = page.locator("li.comment.by-creator")
    assert "Thank you for reading!" in reply.inner_text() and "Creator" in reply.inner_text()
    assert "depth-1" in reply.get_attribute("class")
    log_out(page)

    # A member leaves kudos and bookmarks the work.
    log_in(page, "reader")
    page.goto(work.get_absolute_url())
    page.get_by_role("button", name="Kudos ♥").click()
    page.wait_for_url(re.compile(r"#kudos$"))
    assert "reader left kudos on this work!" in page.locator("#kudos").inner_text()
    follow(page, page.get_by_role("link", name="Bookmark", exact=True))
    page.get_by_label("Notes").fill("For a rainy evening.")
    page.get_by_label("Your tags").fill("Comfort, Sea")
    page.get_by_label("Recommend this to others").check()
    page.get_by_role("button", name="Create bookmark").click()
    page.wait_for_url(re.compile(r"/works/\d+#work-actions$"))
    assert page.locator("dd.stats dd.kudos").inner_text() == "1"
    assert page.locator("dd.stats dd.bookmarks").inner_text() == "1"
    assert page.locator("dd.stats dd.comments").inner_text() == "2"

    work.refresh_from_db()
    assert (work.kudos_count, work.bookmark_count, work.comment_count) == (1, 1, 2)
    assert Comment.objects.filter(by_creator=True).count() == 1
    assert Bookmark.objects.get().tag_names == ["Comfort", "Sea"]
    assert Work.objects.get(pk=work.pk).kudos_count == 1
