"""The works listing and the posting form with the keyboard alone, and the listing on a
390-pixel phone, in real Chromium."""

import re

import pytest

from tests.browser.steps import PASSWORD, follow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName, text: (el.innerText || el.name || el.id || "").slice(0, 40),
          ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2};
}"""


def _tab_through(page, count: int) -> list[dict]:
    seen = []
    for _ in range(count):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUS_RING))
    return seen


def test_one_skip_link_reaches_the_filters_and_focus_is_always_visible(page, make_work):
    make_work(title="Lamp Light", freeforms=["Fluff"])
    make_work(title="Storm Night", freeforms=["Angst"])
    page.goto("/works")
    first, second = _tab_through(page, 2)
    assert (first["text"], second["text"]) == ("Skip to content", "Skip to filters")
    page.keyboard.press("Enter")
    # The next stops are the filter panel's own: its heading, then its first button.
    stops = _tab_through(page, 40)
    assert stops[0]["tag"] == "SUMMARY" and stops[0]["text"].startswith("Sort and filter")
    assert "Sort and Filter" in stops[1]["text"]
    assert all(s["ring"] for s in stops), [s for s in stops if not s["ring"]]
    # The fold-out tag groups are among the stops, and fold and unfold from the keyboard.
    assert any(s["tag"] == "SUMMARY" and "Additional Tags" in s["text"] for s in stops)
    group = page.locator("fieldset.include details.facet-freeform")
    page.focus("fieldset.include details.facet-freeform > summary")
    was_open = group.get_attribute("open") is not None
    page.keyboard.press("Enter")
    assert (group.get_attribute("open") is not None) != was_open
    if was_open:
        page.keyboard.press("Enter")
    assert group.get_attribute("open") is not None
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # tick the first free-form tag
    with page.expect_navigation():
        page.focus("#work-filters button[type=submit]")
        page.keyboard.press("Enter")
    assert "of 1 work" in page.locator("#listing-count").inner_text()


def test_posting_form_is_usable_with_the_keyboard_alone(page, make_user):
    make_user("poster", password=PASSWORD)
    log_in(page, "poster")
    page.goto("/works/new")
    stops = _tab_through(page, 60)
    assert all(s["ring"] for s in stops), [s for s in stops if not s["ring"]]
    names = [s["text"] for s in stops]
    for field in ("title", "fandoms", "chapter-body"):
        assert any(field in n for n in names), names
    page.focus("input[name=title]")
    page.keyboard.type("Night Watch")
    for label in ("General Audiences", "No Archive Warnings Apply"):
        page.get_by_label(label).focus()
        page.keyboard.press("Space")
    page.get_by_role("combobox", name="Fandoms").focus()
    page.keyboard.type("Lighthouse Keepers")
    page.get_by_label("Chapter text").focus()
    page.keyboard.type("The lamp burned all night.")
    with page.expect_navigation():
        page.get_by_role("button", name="Post", exact=True).focus()
        page.keyboard.press("Enter")
    assert page.locator("h2.title.heading").inner_text() == "Night Watch"


def test_on_a_phone_the_filters_fold_above_the_results_with_chips(page, make_user, make_work):
    make_work(title="Lamp Light", freeforms=["Fluff"], expected_chapters=1)
    make_work(title="Storm Night", freeforms=["Fluff"])
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/works?complete=yes")
    panel, results = page.locator("#filters"), page.locator(".filtered-results")
    assert panel.get_attribute("open") is None  # folded
    assert panel.bounding_box()["y"] < results.bounding_box()["y"]
    # The active filter is a chip that removes itself.
    chip = page.locator(".filter-chips a.chip")
    assert chip.inner_text().startswith("Remove filter Complete only") or "Complete only" in (
        chip.inner_text()
    )
    assert "of 1 work" in page.locator("#listing-count").inner_text()
    follow(page, chip)
    assert "of 2 works" in page.locator("#listing-count").inner_text()
    # The skip link is there on a phone too, and opens the folded panel.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert panel.get_attribute("open") == ""
    assert re.search(r"#filters$", page.url)


def test_the_member_menu_is_one_line_on_a_phone(page, make_user):
    make_user("poster", password=PASSWORD)
    log_in(page, "poster")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/works")
    nav = page.locator("nav.site-nav")
    link = nav.get_by_role("link", name="Works")
    assert nav.bounding_box()["height"] < 2 * link.bounding_box()["height"] + 10
