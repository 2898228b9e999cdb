"""A German-speaking visitor reads the archive in German, in real Chromium: the browser
asks for German, the listing, the filters, the work, its second chapter and kudos all
answer in German, and switching the language in the footer sticks."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def german_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def test_a_german_reader_journey(german_page, make_user, make_work):
    page = german_page
    author = make_user("keeper")
    make_work(author, title="Leuchtturm", freeforms=["Fluff"], chapters=2)
    make_work(author, title="Sturmnacht", freeforms=["Angst"])

    # Home: the browser's Accept-Language chooses German.
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", name="Neueste Aktualisierungen").is_visible()
    assert page.get_by_role("link", name="Anmelden").is_visible()

    # A listing, filtered through the German sidebar.
    page.get_by_role("navigation", name="Hauptmenü").get_by_role("link", name="Werke").click()
    assert "1–2 von 2 Werken" in page.locator("#listing-count").inner_text()
    include = page.locator("fieldset.include")
    include.locator("details.facet-freeform > summary").click()
    include.locator("label", has_text="Fluff").locator("input").check()
    page.locator("#work-filters").get_by_role("button", name="Sortieren und Filtern").first.click()
    page.wait_for_url(re.compile(r"/works\?.*tag=\d+"))
    assert "1–1 von 1 Werk" in page.locator("#listing-count").inner_text()
    assert "Aktive Filter" in page.content()

    # The work, then its second chapter.
    page.get_by_role("link", name="Leuchtturm").click()
    meta = page.locator("dl.work.meta").inner_text()
    assert "Sprache:" in meta and "Wörter:" in meta and "Aufrufe:" in meta
    page.get_by_role("link", name="Nächstes Kapitel →").first.click()
    page.wait_for_url(re.compile(r"/chapters/\d+"))
    assert "Kapitel 2" in page.locator("#chapters").inner_text()
    assert page.get_by_role("link", name="← Vorheriges Kapitel").first.is_visible()

    # The download menu is there; kudos thank the reader in German.
    assert page.locator("li.download summary").first.is_visible()
    page.get_by_role("button", name="Kudos ♥").click()
    page.wait_for_url(re.compile(r"#kudos$"))
    assert "Danke für deine Kudos!" in page.locator("ul.flash").inner_text()
    assert "1 Gast hat diesem Werk Kudos gegeben!" in page.locator("#kudos").inner_text()

    # The footer's menu switches to French, and the choice sticks.
    page.locator("form.language-form select").select_option("fr")
    page.locator("form.language-form").get_by_role("button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    page.goto("/works")
    assert "Aller au contenu" in page.content()
