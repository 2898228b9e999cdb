import pytest

from fanfold.archive.models import SiteSettings
from fanfold.staff.roles import Role


@pytest.fixture
def needs_approval(db):
    """Turn on the site setting "new works need approval"."""
    site = SiteSettings.current()
    site.works_need_approval = True
    site.save()
    return site


@pytest.fixture
def staff(make_user):
    return make_user("moderator", roles=[Role.MODERATOR])
