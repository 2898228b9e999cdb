"""Tag suggestions as a screen reader and a keyboard user meet them, in real Chromium."""

import pytest

from tests.browser.steps import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _suggest(page, field, text: str):
    """Type into a tag field and wait for its suggestions; the open listbox."""
    field.press_sequentially(text)
    listbox = page.locator("#" + field.get_attribute("aria-controls"))
    listbox.locator("[role=option]").first.wait_for()
    return listbox


def test_sidebar_suggestions_are_a_combobox_and_enter_picks_without_submitting(page, make_work):
    make_work(characters=["Ada Vell"], title="Lamp Light")
    page.goto("/works")
    field = page.get_by_role("combobox", name="Other tags to include")
    assert field.get_attribute("aria-expanded") == "false"
    listbox = _suggest(page, field, "Vell")  # a later word of the name
    assert field.get_attribute("aria-expanded") == "true"
    assert listbox.get_attribute("role") == "listbox"
    assert listbox.get_by_role("option").all_inner_texts() == ["Ada Vell"]

    url = page.url
    field.press("Enter")  # nothing highlighted: the form is not sent
    page.wait_for_timeout(300)
    assert page.url == url and field.input_value() == "Vell"

    field.fill("")
    listbox = _suggest(page, field, "ada")
    field.press("ArrowDown")
    option = listbox.get_by_role("option", name="Ada Vell")
    assert field.get_attribute("aria-activedescendant") == option.get_attribute("id")
    assert option.get_attribute("aria-selected") == "true"
    field.press("Enter")
    assert field.input_value() == "Ada Vell" and page.url == url
    assert field.get_attribute("aria-expanded") == "false"


def test_posting_form_suggestions_complete_the_last_name_of_a_list(page, make_user, make_work):
    make_work(fandoms=["Lighthouse Keepers"], characters=["Ada Vell"])
    make_user("poster", password=PASSWORD)
    log_in(page, "poster")
    page.goto("/works/new")
    field = page.get_by_role("combobox", name="Characters")
    field.fill("Bo Lark, ")
    listbox = _suggest(page, field, "vel")
    listbox.get_by_role("option", name="Ada Vell").click()
    assert field.input_value() == "Bo Lark, Ada Vell, "
