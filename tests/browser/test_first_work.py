"""A new author signs up, posts a two-chapter Explicit work, and a guest reads it
through the adult notice — in real Chromium, with the site's own pages only."""

import re

import pytest

from tests.browser.steps import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up(page, username: str) -> None:
    page.goto("/signup")
    page.get_by_label("User name").fill(username)
    page.get_by_label("E-mail address").fill(f"{username}@example.org")
    page.get_by_label("Password", exact=True).fill("lamps-and-harbours-42")
    page.get_by_label("Password again").fill("lamps-and-harbours-42")
    follow(page, page.get_by_role("button", name=re.compile("sign up|create", re.I)))
    assert page.get_by_role("link", name=username).first.is_visible()


def post_work(page) -> str:
    follow(page, page.get_by_role("link", name="Post", exact=True))
    page.get_by_label("Explicit").check()
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Lighthouse Keepers")
    page.get_by_label("Characters").fill("Ada Vell, Tam Orr")
    page.get_by_label("Title", exact=True).fill("Night Watch")
    page.get_by_label("Plain text").check()
    page.get_by_label("Chapter title").fill("The Lamp")
    page.get_by_label("Chapter text").fill("The lamp burned all night.\n\nNobody slept.")
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_url(re.compile(r"/works/\d+$"))
    assert page.locator("h2.title.heading").inner_text() == "Night Watch"
    work_url = page.url

    follow(page, page.get_by_role("link", name="Add chapter"))
    page.get_by_label("Chapter title").fill("Morning")
    page.get_by_label("Chapter text").fill("At dawn the keepers slept at last.")
    page.get_by_role("button", name="Post chapter").click()
    page.wait_for_url(re.compile(r"/works/\d+/chapters/\d+$"))
    assert "At dawn the keepers slept at last." in page.locator("div.userstuff.module").inner_text()
    return work_url


def test_sign_up_post_and_read_as_guest(page, live_server):
    sign_up(page, "nightkeeper")
    work_url = post_work(page)
    follow(page, page.get_by_role("button", name="Log out"))

    page.goto(work_url)
    gate = page.locator(".adult-gate")
    assert "may contain material for adults only" in gate.inner_text()
    assert "The lamp burned" not in page.content()
    follow(page, gate.get_by_role("link", name="Continue to the work"))

    assert "The lamp burned all night." in page.locator("#chapter-1 div.userstuff").inner_text()
    assert page.locator("dd.rating.tags a.tag").inner_text() == "Explicit"
    assert page.locator("dd.stats dd.chapters").inner_text() == "2/?"
    follow(page, page.get_by_role("link", name="Next chapter →").first)
    assert "At dawn the keepers slept at last." in page.locator("div.userstuff.module").inner_text()
    assert "Chapter 2" in page.locator("#chapter-2 h3.title").inner_text()
