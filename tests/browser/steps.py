"""Steps several browser tests take through the site's own pages."""

from collections.abc import Callable

from django.utils import translation

PASSWORD = "lamps-and-harbours-42"


def english(text: str) -> str:
    return text


def words_in(language: str) -> Callable[[str], str]:
    """What the site says for `text` in `language`, from the same catalogues it renders
    with, so a step written with English labels finds the button in any language."""

    def say(text: str) -> str:
        with translation.override(language):
            return translation.gettext(text)

    return say


def follow(page, target) -> None:
    """Click something that loads a new page and wait for that page to load.

    Waiting for the load state after the click is a race: the old page is already
    loaded, so the wait can return before the navigation starts, and reading the
    page then finds it empty or stale."""
    with page.expect_navigation():
        target.click()


def log_in(page, username: str, password: str = PASSWORD, say=english) -> None:
    page.goto("/login")
    page.get_by_label(say("User name")).fill(username)
    page.get_by_label(say("Password")).fill(password)
    follow(page, page.get_by_role("button", name=say("Log in")))


def log_out(page, say=english) -> None:
    follow(page, page.get_by_role("button", name=say("Log out")))
