"""The API's docs page (ninja's own copy of Swagger UI, served from our static files)
runs under the site's Content-Security-Policy: no CDN, no inline script."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_lists_every_operation_under_the_policy(page):
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/api/v1/works", "/api/v1/works/{work_id}/chapters", "/api/v1/me/history"} <= {
        p.replace("\u200b", "").strip() for p in paths
    }
