"""A reader on chapter 3 leaves kudos and a comment, and after each the page is chapter 3
again, scrolled to the kudos (or to the new comment), with the confirmation in view
there: in real Chromium, with CSRF checks on."""

import re

import pytest

from fanfold.accounts.services import user_create
from tests.browser.steps import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _in_view(page, selector: str) -> bool:
    """Whether the element is (at least partly) inside the visible part of the page."""
    return page.eval_on_selector(
        selector,
        "el => { const r = el.getBoundingClientRect();"
        " return r.bottom > 0 && r.top < window.innerHeight; }",
    )


def test_kudos_and_a_comment_keep_the_reader_on_chapter_three(page, make_work):
    author = user_create(username="keeper", email="keeper@example.org", password=PASSWORD)
    user_create(username="reader", email="reader@example.org", password=PASSWORD)
    long_text = "".join(f"<p>The tide turned, line {n}.</p>" for n in range(120))
    work = make_work(author, title="Harbour Lights", chapters=3, body=long_text)
    third = work.chapters.get(position=3).get_absolute_url()

    log_in(page, "reader")
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(third)
    page.get_by_role("button", name="Kudos ♥").click()
    page.wait_for_url(re.compile(re.escape(third) + "#kudos$"))
    flash = page.locator("#kudos .flash")
    assert "Thank you for leaving kudos!" in flash.inner_text()
    assert _in_view(page, "#kudos .flash")
    assert "Chapter 3" in page.locator("#chapters").inner_text()

    form = page.locator("form#add_comment")
    form.get_by_label("Comment").fill("The third chapter is my favourite.")
    form.get_by_role("button", name="Comment").click()
    page.wait_for_url(re.compile(re.escape(third) + r"#comment_\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    note = page.locator(f"#{anchor} .flash")
    assert "Your comment was posted." in note.inner_text()
    assert _in_view(page, f"#{anchor} .flash")
    assert "The third chapter is my favourite." in page.locator(f"#{anchor}").inner_text()
    # Shown once: reading the chapter again has no message.
    page.goto(third)
    assert page.locator(".flash").count() == 0
