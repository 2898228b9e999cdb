"""The name the site calls itself, also when nobody set one."""

import pytest

from fanfold.archive.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("blank", ["", "   "])
def test_an_unset_site_name_falls_back_to_a_default(client, blank):
    # An eFiction archive imported with an empty "sitename" leaves the column blank.
    SiteSettings.objects.get_or_create(pk=1)
    SiteSettings.objects.filter(pk=1).update(site_name=blank)
    page = client.get("/login").text
    assert "<title>Log in | Fanfold</title>" in page
    assert "Fanfold runs on Fanfold." in page
    assert " runs on Fanfold" not in page.replace("Fanfold runs on Fanfold", "")


def test_a_set_site_name_is_used(client, site_settings):
    site_settings(site_name="Harbour Archive")
    page = client.get("/login").text
    assert "<title>Log in | Harbour Archive</title>" in page
    assert "Harbour Archive runs on Fanfold." in page


def test_every_page_has_a_search_box_for_works(client, make_work):
    make_work(title="Gulls at Dawn")
    make_work(title="Lantern Song")
    page = client.get("/login").text
    form = page[page.index('<form class="site-search"') :]
    form = form[: form.index("</form>")]
    assert 'action="/works"' in form and 'name="q"' in form and "Search works" in form
    assert "1–1 of 1 work" in client.get("/works", {"q": "gulls"}).text
