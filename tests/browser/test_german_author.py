"""A German-speaking author posts a work with a chapter, reads it, and edits it, in real
Chromium with the interface in German: every label, button and message on the way is
German, and so is what the archive says back."""

import re

import pytest

from fanfold.accounts.models import User
from tests.browser.steps import PASSWORD, follow, log_in, words_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_german_author_posts_reads_and_edits_a_work(page, live_server, make_user):
    author = make_user("leuchtwart", password=PASSWORD)
    User.objects.filter(pk=author.pk).update(language="de")
    # The log-in page in German too (the language menu's cookie), then the preference.
    page.context.add_cookies([{"name": "fanfold_language", "value": "de", "url": live_server.url}])
    log_in(page, "leuchtwart", say=words_in("de"))
    assert page.locator("html").get_attribute("lang") == "de"

    # Posting: the form's labels and buttons are German.
    follow(page, page.get_by_role("link", name="Veröffentlichen", exact=True))
    assert page.get_by_role("heading", name="Neues Werk veröffentlichen").is_visible()
    page.get_by_label("General Audiences").check()
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Leuchtturmwärter")
    page.get_by_label("Figuren").fill("Ada Vell")
    page.get_by_label("Titel", exact=True).fill("Nachtwache")
    page.get_by_label("Reiner Text").check()
    page.locator("form.stacked select[name=language]").select_option("de")
    page.get_by_label("Kapiteltitel").fill("Die Lampe")
    page.get_by_label("Kapiteltext").fill("Die Lampe brannte die ganze Nacht.\n\nNiemand schlief.")
    page.get_by_role("button", name="Veröffentlichen", exact=True).click()
    page.wait_for_url(re.compile(r"/works/\d+$"))
    assert "„Nachtwache“ wurde veröffentlicht." in page.locator("ul.flash").inner_text()

    # Reading it back: the work's facts are labelled in German.
    assert page.locator("h2.title.heading").inner_text() == "Nachtwache"
    meta = page.locator("dl.work.meta").inner_text()
    assert "Sprache:" in meta and "Wörter:" in meta and "Kapitel:" in meta
    assert "Die Lampe brannte die ganze Nacht." in page.locator("#chapters").inner_text()

    # A second chapter, through the German chapter form.
    follow(page, page.get_by_role("link", name="Kapitel hinzufügen"))
    heading = page.locator("h2.heading").first.inner_text()
    assert heading == "Neues Kapitel für Nachtwache", heading
    page.get_by_label("Kapiteltitel").fill("Morgen")
    page.get_by_label("Kapiteltext").fill("Im Morgengrauen schliefen die Wärter endlich.")
    page.get_by_role("button", name="Kapitel veröffentlichen").click()
    page.wait_for_url(re.compile(r"/works/\d+/chapters/\d+$"))
    assert "Kapitel 2: Morgen" in page.locator("#chapters").inner_text()

    # Editing: the title changes, and the archive says so in German.
    follow(page, page.get_by_role("link", name="Werk bearbeiten").first)
    assert page.get_by_role("heading", name="„Nachtwache“ bearbeiten").is_visible()
    page.get_by_label("Titel", exact=True).fill("Die lange Nachtwache")
    page.get_by_role("button", name="Aktualisieren").click()
    page.wait_for_url(re.compile(r"/works/\d+$"))
    assert "Deine Änderungen wurden gespeichert." in page.locator("ul.flash").inner_text()
    assert page.locator("h2.title.heading").inner_text() == "Die lange Nachtwache"
    assert page.locator('#chapters [lang="de"]').count() > 0  # the text is marked German
