import pytest

from fanfold.staff.roles import Role


@pytest.fixture
def editor(make_user):
    """Only administrators may edit pages."""
    return make_user("pagewright", roles=[Role.ADMINISTRATOR])
