"""Steps several browser tests take through the site's own pages."""

PASSWORD = "lamps-and-harbours-42"


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
