"""A wrangler checks tags far down the list and makes them canonical in one go; the page
comes back where they were, with the message in view."""

import pytest

from fanfold.accounts.services import user_create
from fanfold.staff.roles import Role
from fanfold.staff.services import member_roles_set
from fanfold.tags.models import Tag, TagType
from tests.browser.steps import PASSWORD, follow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bulk_canonical_keeps_the_scroll_position(page):
    wrangler = user_create(username="sorter", email="sorter@example.org", password=PASSWORD)
    member_roles_set(actor=None, member=wrangler, roles=[Role.WRANGLER])
    for number in range(40):
        Tag.objects.create(name=f"Loose tag {number:02}", type=TagType.FREEFORM)
    log_in(page, "sorter")
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto("/tags/wrangle?type=freeform")
    far = [page.locator("tr", has_text=f"Loose tag {n:02}") for n in (30, 31)]
    far[0].scroll_into_view_if_needed()
    for row in far:
        row.get_by_role("checkbox").check()
    before = page.evaluate("window.scrollY")
    assert before > 500
    # The bulk form stays at the top of the screen: applying it needs no scrolling back.
    button = page.locator("#bulk-wrangle button[type=submit]")
    assert 0 <= button.bounding_box()["y"] < 700
    follow(page, button)
    page.wait_for_function("window.scrollY > 0")
    after = page.evaluate("window.scrollY")
    assert abs(after - before) < 120, (before, after)
    message = page.locator("#wrangle-queue .flash--here")
    assert "2 tags are canonical." in message.inner_text()
    assert message.is_visible()
    box = message.bounding_box()
    assert box is not None and 0 <= box["y"] < 700
    assert Tag.objects.filter(canonical=True, name__startswith="Loose tag 3").count() == 2
