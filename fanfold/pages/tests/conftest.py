import pytest


@pytest.fixture
def editor(make_user):
    return make_user("pagewright", is_staff=True)
