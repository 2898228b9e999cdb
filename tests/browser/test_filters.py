"""A reader narrows the works listing by clicking the filter sidebar, in real Chromium."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_listing_by_clicking_the_sidebar(page, make_user, make_work):
    author = make_user("keeper")
    make_work(author, title="Lamp Light", freeforms=["Fluff"])
    make_work(author, title="Storm Night", freeforms=["Fluff", "Angst"])
    make_work(author, title="Grey Morning", freeforms=["Angst"])

    page.goto("/works")
    assert "1–3 of 3 works" in page.locator("#listing-count").inner_text()

    include = page.locator("fieldset.include")
    include.locator("details.facet-freeform > summary").click()
    include.locator("label", has_text="Fluff").locator("input").check()
    page.locator("#work-filters").get_by_role("button", name="Sort and Filter").first.click()
    page.wait_for_url(re.compile(r"/works\?.*tag=\d+"))
    assert "of 2 works" in page.locator("#listing-count").inner_text()
    assert page.locator("li.work.blurb h4 a", has_text="Grey Morning").count() == 0

    exclude = page.locator("fieldset.exclude")
    exclude.locator("details.facet-freeform > summary").click()
    exclude.locator("label", has_text="Angst").locator("input").check()
    page.locator("#work-filters").get_by_role("button", name="Sort and Filter").first.click()
    page.wait_for_url(re.compile(r"exclude=\d+"))
    assert "1–1 of 1 work" in page.locator("#listing-count").inner_text()
    titles = page.locator("li.work.blurb h4 a").all_inner_texts()
    assert "Lamp Light" in titles and "Storm Night" not in titles

    # The link is shareable: opening it fresh gives the same page.
    url = page.url
    page.goto("/works")
    page.goto(url)
    assert "1–1 of 1 work" in page.locator("#listing-count").inner_text()
