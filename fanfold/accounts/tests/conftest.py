import re

import pytest
from django.core.cache import caches
from django.core.management import call_command


@pytest.fixture
def shared_cache(db):
    """The database cache that rate limits count in. Its table is not a model, so the
    test database lacks it; it is created inside the test's transaction, and emptied so
    no earlier test's counts leak in."""
    call_command("createcachetable", verbosity=0)
    cache = caches["shared"]
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def enable_ratelimit(settings, shared_cache):
    settings.RATELIMIT_ENABLE = True
    return shared_cache


def link_in(message, path_prefix: str) -> str:
    """The path of the first link in a mail that starts with `path_prefix`."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S*)", message.body)
    assert match, message.body
    return match.group(1)
