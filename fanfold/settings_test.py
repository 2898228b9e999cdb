"""Settings for the test suite: pytest's DJANGO_SETTINGS_MODULE (pyproject.toml).

Production settings (fanfold.settings) with what tests need changed, here and nowhere
else, so whether a process runs as production never depends on which modules happen to
be imported. Environment variables still win where the production settings read them.
"""

import os

import django

# Production settings refuse to start without a key; the suite signs with a fixed one.
os.environ.setdefault("SECRET_KEY", "insecure-test-key-never-use-in-production")

from fanfold.settings import *  # noqa: F403
from fanfold.settings import DATABASES, PASSWORD_HASHERS, env_bool

# Plain http, like the test client and the live server: no redirect, no secure-only cookies.
HTTPS = env_bool("FANFOLD_HTTPS", False)
SECURE_PROXY_SSL_HEADER = None
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 0

# No manifest: tests never run collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # The live test server answers each request in a thread of its own; a connection
    # kept past the request outlives that thread and holds the test database open.
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Background work and batched writes happen at once, so a test sees their effect.
_TASKS_PREFIX = "django.tasks" if django.VERSION >= (6, 0) else "django_tasks"
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", f"{_TASKS_PREFIX}.backends.immediate.ImmediateBackend"
        )
    }
}
NOTICE_BATCH_SECONDS = int(os.environ.get("NOTICE_BATCH_SECONDS", "0"))
# Page-view writes stay buffered as in production (the flusher thread never fires on its
# own in a test): a test that reads the tables right after a page flushes explicitly.
VIEW_WRITES_FLUSH_SECONDS = float(os.environ.get("VIEW_WRITES_FLUSH_SECONDS", "3600"))

# One process, one cache: a settings change reaches it at once (the services clear the
# entry), so the short expiry only matters between workers. Left at 5 s it could lapse
# between two requests a query-count test compares, on a slow machine.
SITE_SETTINGS_CACHE_SECONDS = 3600

# Argon2 is deliberately slow; tests that care about it use the real hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
# Tests that check a limit turn it on (the `enable_ratelimit` fixtures).
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", False)
# The browser tests type at machine speed: no wait for the time trap (its own tests set one).
FORM_MIN_SECONDS = float(os.environ.get("FORM_MIN_SECONDS", "0"))

# The thread that asks builds the filter index snapshot itself; each test points
# FILTER_INDEX_DIR at a directory of its own (conftest), since its database rolls back.
FILTER_INDEX_BUILD = "inline"
