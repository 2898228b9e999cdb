import pytest

from fanfold.archive.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_staff_switch_the_queue_and_trust_authors_in_the_admin(admin_client, make_user):
    SiteSettings.current()
    page = admin_client.get("/admin/archive/sitesettings/1/change/").text
    assert 'name="works_need_approval"' in page
    member = make_user("trusted")
    page = admin_client.get(f"/admin/accounts/user/{member.pk}/change/").text
    assert 'name="trusted_author"' in page
    member.trusted_author = True
    member.save(update_fields=["trusted_author"])
    listing = admin_client.get("/admin/accounts/user/?trusted_author__exact=1").text
    assert ">trusted<" in listing
