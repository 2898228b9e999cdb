import pytest

from fanfold.filters.selectors import reset_shared_index


@pytest.fixture(autouse=True)
def _fresh_filter_index():
    # Each test's database is rolled back afterwards, so the process-wide index (which
    # follows the change log forward only) must not outlive it.
    reset_shared_index()
    yield
    reset_shared_index()
