"""Reordering chapters in real Chromium: with the keyboard (the Move buttons reorder.js
adds) and by dragging, then saving; the work shows the new order."""

from __future__ import annotations

import pytest

from fanfold.works.chapter_services import chapter_update
from fanfold.works.fields import ChapterFields
from tests.browser.steps import PASSWORD, follow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _work(make_user, make_work):
    author = make_user("author", password=PASSWORD)
    work = make_work(author, title="Tide Tables", chapters=3)
    for chapter, title in zip(
        work.chapters.order_by("position"), ("Dawn", "Noon", "Dusk"), strict=True
    ):
        chapter_update(
            chapter=chapter,
            editor=author,
            data=ChapterFields(body=f"<p>{title} text</p>", title=title),
        )
    return work


def _titles(work) -> list[str]:
    return list(work.chapters.order_by("position").values_list("title", flat=True))


def _index_order(page) -> list[str]:
    return [
        text.split(". ", 1)[1].strip()
        for text in page.locator("ol.chapter.index li a").all_inner_texts()
    ]


def test_keyboard_reorder_is_saved_and_shown_on_the_work(page, make_user, make_work):
    work = _work(make_user, make_work)
    log_in(page, "author")
    page.goto(f"/works/{work.pk}/chapters/manage")
    # Keyboard only: focus "Move up “Dusk”" and press Enter twice.
    up = page.get_by_role("button", name="Move up “Dusk”")
    up.focus()
    page.keyboard.press("Enter")
    # The focus stays on the moved chapter's button, so the next press moves it again.
    page.keyboard.press("Enter")
    assert page.locator("#reorder-status").inner_text() == "“Dusk” is now at position 1."
    boxes = page.locator("ol.chapter-order input[type=number]")
    assert boxes.evaluate_all("inputs => inputs.map(i => i.value)") == ["1", "2", "3"]
    assert page.get_by_role("button", name="Move up “Dusk”").is_disabled()
    follow(page, page.get_by_role("button", name="Save order"))
    assert _titles(work) == ["Dusk", "Dawn", "Noon"]
    assert _index_order(page) == ["Dusk", "Dawn", "Noon"]  # the work's chapter index
    page.goto(f"/works/{work.pk}")
    assert "Dusk text" in page.locator("#chapters").inner_text()


def test_drag_and_drop_reorder(page, make_user, make_work):
    work = _work(make_user, make_work)
    log_in(page, "author")
    page.goto(f"/works/{work.pk}/chapters/manage")
    rows = page.locator("ol.chapter-order > li")
    rows.nth(0).drag_to(rows.nth(2), target_position={"x": 20, "y": 30})
    titles = page.locator(".chapter-order__title").all_inner_texts()
    assert titles == ["Noon", "Dusk", "Dawn"]
    follow(page, page.get_by_role("button", name="Save order"))
    assert _titles(work) == ["Noon", "Dusk", "Dawn"]
    assert _index_order(page) == ["Noon", "Dusk", "Dawn"]


def test_repeated_positions_are_refused_and_kept(page, make_user, make_work):
    work = _work(make_user, make_work)
    log_in(page, "author")
    page.goto(f"/works/{work.pk}/chapters/manage")
    page.get_by_label("Position of Dusk").fill("1")
    follow(page, page.get_by_role("button", name="Save order"))
    assert "Position 1 is given more than once" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Position of Dusk").input_value() == "1"
    assert _titles(work) == ["Dawn", "Noon", "Dusk"]
