"""Steps several browser tests take through the site's own pages."""

PASSWORD = "lamps-and-harbours-42"


def follow(page, target) -> None:
    """Click something that loads a new page and wait for that page to load.

    Waiting for the load state after the click is a race: the old page is already
    loaded, so the wait can return before the navigation starts, and reading the
    page then finds it empty or stale."""
    with page.expect_navigation():
        target.click()


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    follow(page, page.get_by_role("button", name="Log in"))


def log_out(page) -> None:
    follow(page, page.get_by_role("button", name="Log out"))
