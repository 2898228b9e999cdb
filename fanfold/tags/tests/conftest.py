import pytest

from fanfold.filters.selectors import reset_shared_index


@pytest.fixture(autouse=True)
def _fresh_filter_index():
    # The process-wide filter index follows the change log forward only; each test's
    # database is rolled back, so the index must not outlive it.
    reset_shared_index()
    yield
    reset_shared_index()


@pytest.fixture
def staff(make_user):
    return make_user("wrangler", is_staff=True)
