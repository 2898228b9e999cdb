"""The browser tests run under the real Content-Security-Policy and fail on any violation
(tests/browser/conftest.py); this checks that the watch works and the policy bites."""

import pytest

from tests.browser.steps import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inline_script_is_refused_and_reported(page, csp_violations, make_work):
    work = make_work()
    url = work.get_absolute_url()

    def add_inline_script(route):
        # The real page and its real headers, with one inline script added to the body.
        response = route.fetch()
        body = response.text().replace("</body>", "<script>document.title = 'ran';</script></body>")
        route.fulfill(response=response, body=body)

    page.route(f"**{url}", add_inline_script)
    page.goto(url)
    page.wait_for_load_state("load")
    assert page.title() != "ran"
    page.wait_for_timeout(200)  # the violation event is dispatched asynchronously
    assert any("script-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()


def test_reading_and_display_forms_run_clean_under_the_policy(page, make_work):
    work = make_work(body='<p style="text-align: center">Centred by the author.</p>')
    page.goto(work.get_absolute_url())
    assert page.locator("p[style]").count() == 1
    page.select_option("select[name=theme]", "dark")
    page.click("form.display-form button[type=submit]")
    page.wait_for_load_state("load")
    assert "theme-dark" in (page.locator("html").get_attribute("class") or "")
    page.goto("/works")
    page.goto("/works/new")  # the autocomplete script, for a guest the login page


def test_staff_pages_and_the_admin_run_clean_under_the_policy(page, make_user, make_work):
    make_user("keeper", password="lamps-and-harbours-42", is_staff=True, is_superuser=True)
    work = make_work()
    page.goto("/login")
    page.get_by_label("User name").fill("keeper")
    page.get_by_label("Password").fill("lamps-and-harbours-42")
    follow(page, page.get_by_role("button", name="Log in"))
    for url in ("/admin/", "/admin/works/work/", f"/admin/works/work/{work.pk}/change/"):
        page.goto(url)
        page.wait_for_load_state("load")
    page.goto("/works/new")  # the tag autocomplete script
    page.locator("[data-autocomplete]").first.fill("Ligh")
    page.wait_for_timeout(300)
