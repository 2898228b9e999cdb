"""Real-Chromium tests: Playwright drives Debian's /usr/bin/chromium (nothing is
downloaded by Playwright). Without chromium they skip with a reason, except in CI, where
FANFOLD_REQUIRE_BROWSER=1 turns a missing browser into a failure."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("FANFOLD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing; `make test` installs Debian's chromium as root.")
        pytest.skip(f"{CHROMIUM} is not installed (apt install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM calls the
    # tests make there are ordinary synchronous ones. Scoped to these tests only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch(sync_playwright)
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch(sync_playwright):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


# Runs before any page script (injected by the browser, so the policy does not apply to
# it): every Content-Security-Policy violation becomes a console line the tests collect.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " blocked " +
                (event.blockedURI || "inline code") + " at " + event.sourceFile);
});
"""


@pytest.fixture
def csp_violations() -> list[str]:
    """What the page's Content-Security-Policy refused; a test ends with none."""
    return []


@pytest.fixture
def page(browser, live_server, csp_violations):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    context.add_init_script(_REPORT_VIOLATIONS)
    page = context.new_page()

    def collect(message) -> None:
        text = message.text
        if "CSP violation" in text or "Content Security Policy" in text:
            csp_violations.append(text)

    page.on("console", collect)
    yield page
    context.close()
    assert not csp_violations, "the Content-Security-Policy refused something:\n" + "\n".join(
        csp_violations
    )
