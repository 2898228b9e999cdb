"""German words are long ("Lesezeichen", "Benachrichtigungen", "Inhaltswarnungen"): on a
390-pixel phone and on a desktop, no page of the German interface is wider than the
screen, so nothing has to be scrolled sideways and no button or menu is cut off. A work
whose title and tags are single long German words must not widen the page either."""

import pytest

from tests.browser.steps import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen"
WIDTHS = (390, 1280)


@pytest.fixture
def german_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def test_the_german_interface_fits_the_screen(german_page, make_user, make_work):
    page = german_page
    author = make_user("keeper")
    work = make_work(
        author,
        title=LONG_WORD,
        fandoms=(f"Fandom {LONG_WORD}",),
        freeforms=[LONG_WORD],
        summary=f"<p>{LONG_WORD} {LONG_WORD}</p>",
        chapters=2,
    )
    guest_pages = ["/", "/works", "/fandoms", work.get_absolute_url(), "/login", "/signup"]
    member_pages = ["/works/new", "/preferences", "/inbox", f"/users/{author.username}/bookmarks"]

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in guest_pages:
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == "de"
            assert overflow(page) == 0, f"{path} at {width} px is {overflow(page)} px too wide"

    page.goto("/login")
    page.locator("input[name=username]").fill(author.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in member_pages:
            response = page.goto(path)
            assert response.status == 200, path
            assert overflow(page) == 0, f"{path} at {width} px is {overflow(page)} px too wide"
