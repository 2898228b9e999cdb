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
