import pytest

from fanfold.staff.roles import Role


@pytest.fixture
def staff(make_user):
    return make_user("wrangler", roles=[Role.WRANGLER])
