"""A guest finds works through the fandom directory, in real Chromium: the header's
Fandoms link, a letter, a fandom, its works."""

import pytest

from tests.browser.steps import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_guest_browses_fandoms_by_letter_to_a_fandoms_works(page, make_user, make_work):
    author = make_user("keeper")
    make_work(author, title="Lamp Light", fandoms=("Lighthouse Keepers",))
    make_work(author, title="Storm Night", fandoms=("Lighthouse Keepers", "Ocean Tales"))
    make_work(author, title="Locked Cove", fandoms=("Lighthouse Keepers",), restricted=True)
    make_work(author, title="Grey Morning", fandoms=("Moor Stories",))

    page.goto("/")
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Fandoms"))
    assert page.get_by_role("heading", name="Fandoms", exact=True).is_visible()

    letters = page.get_by_role("navigation", name="Fandoms by letter")
    follow(page, letters.get_by_role("link", name="L", exact=True))
    assert page.get_by_role("heading", name="Fandoms starting with L").is_visible()
    fandom = page.locator(".fandom-list li", has_text="Lighthouse Keepers")
    # The members-only work is not counted for a guest.
    assert "(2 works)" in fandom.inner_text()
    assert page.locator(".fandom-list li", has_text="Moor Stories").count() == 0

    follow(page, fandom.get_by_role("link", name="Lighthouse Keepers"))
    titles = page.locator("li.work.blurb h4 a:not([rel])").all_inner_texts()
    assert sorted(titles) == ["Lamp Light", "Storm Night"]
