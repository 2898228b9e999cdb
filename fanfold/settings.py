"""Fanfold settings, read from the environment.

Safe single-machine defaults: SQLite in ./var, console e-mail, no Redis. Production
mode (DEBUG off, the default outside `make dev`) refuses to start without SECRET_KEY.
The test suite runs with fanfold/settings_test.py, which changes what tests need on top
of these; nothing here guesses whether it is under test.
"""

import os
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured

from fanfold.works.limits import POSTING_FORM_BODY_MAX

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FANFOLD_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production mode needs a long random SECRET_KEY in the "
            "environment (`make run` generates one into var/secret_key), or set DEBUG=1 "
            "for local development."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "fanfold.archive",
    "fanfold.accounts",
    "fanfold.tags",
    "fanfold.challenges",
    "fanfold.works",
    "fanfold.comments",
    "fanfold.kudos",
    "fanfold.bookmarks",
    "fanfold.subscriptions",
    "fanfold.history",
    "fanfold.blocking",
    "fanfold.demo",
    "django_tasks_db",
    "fanfold.filters",
    "fanfold.efiction",
    "fanfold.moderation",
    "fanfold.staff",
    "fanfold.audit",
    "fanfold.invitations",
    "fanfold.exports",
    "fanfold.sanctions",
    "fanfold.news",
    "fanfold.pages",
    "fanfold.reports",
    "fanfold.memberstate",
    "fanfold.feeds",
    "fanfold.opds",
    "fanfold.api",
    "fanfold.backup",
    # Only for its static copy of Swagger UI (the API's docs page) and its templates.
    "ninja",
]
# Django 6.0+ has the tasks framework built in; on Django 5.2 the `django_tasks`
# backport provides the same API.
_BUILTIN_TASKS = django.VERSION >= (6, 0)
if not _BUILTIN_TASKS:
    INSTALLED_APPS.append("django_tasks")

MIDDLEWARE = [
    # First, so every later layer sees the origin-form path (reader tools' proxy requests).
    "fanfold.efiction.middleware.AbsoluteFormMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Django 6.0+ sends SECURE_CSP itself; 5.2 (Python 3.11) gets the same header from ours.
    "django.middleware.csp.ContentSecurityPolicyMiddleware"
    if django.VERSION >= (6, 0)
    else "fanfold.archive.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, reading the member with the session (one query).
    "fanfold.accounts.middleware.MemberSessionMiddleware",
    # After authentication: a member's own language comes before the cookie and browser.
    "fanfold.archive.language.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Keeps the client address at hand for audit entries written by services.
    "fanfold.audit.context.AuditContextMiddleware",
    # Refuses writes from suspended members and during read-only maintenance.
    "fanfold.archive.gate.WriteGateMiddleware",
    # Notes the address members write from (for their staff record; kept a few days).
    "fanfold.sanctions.addresses.WriteAddressMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns django-ratelimit's Ratelimited exception into our 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "fanfold.urls"
WSGI_APPLICATION = "fanfold.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fanfold.archive.context_processors.archive",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fanfold.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while one writer commits; IMMEDIATE takes the write lock at
    # BEGIN, so two writers queue on busy_timeout instead of failing with "database is
    # locked" when a read transaction tries to upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA mmap_size=268435456;"
            "PRAGMA cache_size=-65536;"
            "PRAGMA temp_store=MEMORY;"
        ),
    }
    # Tests use a file database too: an in-memory one shares a cache between threads
    # that fails concurrent writers at once ("table is locked") instead of queueing them
    # on the busy timeout, so the concurrency tests would not test what users run.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_fanfold.sqlite3")}
    # A persistent SQLite connection per thread is cheap and keeps the page cache warm.
    DATABASES["default"]["CONN_MAX_AGE"] = None
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches ---------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
        "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
else:
    CACHES = {
        # Per-process cache for rendered pages; entries are keyed by a version stamp read
        # from the database, so a stale entry is never served after an edit.
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Counters that every worker must agree on (rate limits) live in the database.
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "fanfold_shared_cache",
        },
    }
RATELIMIT_USE_CACHE = "shared"
RATELIMIT_VIEW = "fanfold.archive.views.rate_limited"
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
# Behind a reverse proxy every visitor arrives from the proxy's address: name the header
# the proxy sets (e.g. HTTP_X_REAL_IP) so rate limits and hit counts see real visitors.
RATELIMIT_IP_META_KEY = os.environ.get("CLIENT_IP_HEADER", "REMOTE_ADDR")
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# How long each process keeps the site settings row and the footer's page links before
# reading them again: without Redis, other workers see an admin's change within this.
SITE_SETTINGS_CACHE_SECONDS = 5

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "archive:home"
LOGOUT_REDIRECT_URL = "archive:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    # Only ever verifies: accounts imported from eFiction keep their unsalted md5 until
    # their first login, when Django re-hashes the password with Argon2 (the first entry).
    "fanfold.efiction.hashers.EfictionMD5PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
# Sessions whose table names the member, so a session and its member are one query
# (fanfold.accounts.sessions, fanfold.accounts.middleware).
SESSION_ENGINE = "fanfold.accounts.sessions.db"
if REDIS_URL:
    # Sessions are read from Redis (no database read per request) and written through to
    # the database, so a restart or a cache flush loses none. Every process reads the same
    # Redis, so a logout ends the session everywhere at once; password changes and bans
    # end it through the session hash on the user row, which each request still loads
    # (one query; fanfold.works.memberpages explains the budget). Without Redis the
    # "shared" cache is a database table, so the session table itself is read, with the
    # member joined: one query either way.
    SESSION_ENGINE = "fanfold.accounts.sessions.cached_db"
    SESSION_CACHE_ALIAS = "shared"
# A chapter at its character limit in any script, form-encoded, must arrive whole (Django's
# 2.5 MB default refuses a 300,000-character Japanese chapter): see fanfold/works/limits.py.
DATA_UPLOAD_MAX_MEMORY_SIZE = POSTING_FORM_BODY_MAX

# --- E-mail ---------------------------------------------------------------------------
_EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_SMTP_OPTIONS = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": int(os.environ.get("EMAIL_PORT", "25")),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
}
# The file backend (one file per message) suits tests and benchmarks that read the mail.
_EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
_MAIL_OPTIONS: dict[str, dict] = {
    "smtp.EmailBackend": _SMTP_OPTIONS,
    "filebased.EmailBackend": {"file_path": _EMAIL_FILE_PATH},
}
if django.VERSION >= (6, 1):
    # Django 6.1 configures mail through MAILERS; the EMAIL_* settings are deprecated.
    MAILERS = {
        "default": {
            "BACKEND": _EMAIL_BACKEND,
            "OPTIONS": next(
                (opts for suffix, opts in _MAIL_OPTIONS.items() if _EMAIL_BACKEND.endswith(suffix)),
                {},
            ),
        }
    }
else:  # Django 5.2 on Python 3.11
    EMAIL_BACKEND = _EMAIL_BACKEND
    EMAIL_HOST, EMAIL_PORT = _SMTP_OPTIONS["host"], _SMTP_OPTIONS["port"]
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _SMTP_OPTIONS["username"], _SMTP_OPTIONS["password"]
    EMAIL_USE_TLS = _SMTP_OPTIONS["use_tls"]
    EMAIL_FILE_PATH = _EMAIL_FILE_PATH
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Fanfold <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- I18n and static files ------------------------------------------------------------
LANGUAGE_CODE = "en"
# The interface languages Fanfold ships (each app keeps its translations in its own
# locale/ folder, named in LOCALE_PATHS below). Adding one: docs/translating.md.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
]
# Our catalogues before Django's own: where both translate the same English ("Log in",
# "Filter"), Django would otherwise use its contrib apps' words, listed first in
# INSTALLED_APPS ("Connexion" where we say "Se connecter"). Django reads LOCALE_PATHS
# ahead of every app's locale/ folder; kept in INSTALLED_APPS order, so among our apps
# the earlier still wins as before.
LOCALE_PATHS = [
    path
    for app in INSTALLED_APPS
    if app.startswith("fanfold.")
    and (path := BASE_DIR.joinpath(*app.split("."), "locale")).is_dir()
]
LANGUAGE_COOKIE_NAME = "fanfold_language"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded and generated files (downloads' built books). Never served by URL: the
# download view checks visibility and streams the file itself.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing folder on every start
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24

# --- Security -------------------------------------------------------------------------
# HTTPS is assumed in production. `make run` serves plain http on 127.0.0.1 and says so
# with FANFOLD_HTTPS=0; a public deployment leaves it on.
HTTPS = env_bool("FANFOLD_HTTPS", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
# A health probe on the server itself speaks plain http to the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if HTTPS else 0))
# Both reach beyond this site (every subdomain; browsers' built-in lists, which take
# months to leave), so an operator opts in; the deploy check's reminders are silenced.
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = HTTPS and env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
# No inline script anywhere (pages are cached and shared, so there are no nonces either):
# scripts and stylesheets come from our static files. Style *attributes* stay allowed for
# author text, whose sanitiser keeps only layout properties that load nothing.
# Authors' images may come from other https sites.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "https:", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- Background tasks -----------------------------------------------------------------
# A database-backed queue by default, so queued e-mails survive a restart; `make run`
# starts the worker next to the web server.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Subscription notices wait this long so a burst of chapters goes out as one e-mail.
NOTICE_BATCH_SECONDS = int(os.environ.get("NOTICE_BATCH_SECONDS", "60"))

# --- Downloads (fanfold.exports) -----------------------------------------------------
# calibre's converter for AZW3; empty or not installed leaves AZW3 out of the menu.
EBOOK_CONVERT = os.environ.get("EBOOK_CONVERT", "ebook-convert")
# Books up to this many words (times the format's cost) are built while the reader
# waits; longer ones go to the task queue and the reader sees "preparing".
DOWNLOAD_INLINE_WORDS = int(os.environ.get("DOWNLOAD_INLINE_WORDS", "60000"))

# --- Fanfold --------------------------------------------------------------------------
# Members' sign-up, login and write addresses are kept this many days, for staff records.
MEMBER_ADDRESS_DAYS = int(os.environ.get("MEMBER_ADDRESS_DAYS", "90"))
# A clean-up (hiding everything by an account, deleting a spam account) can be undone
# for this many days; then `purge_cleanups` deletes spam accounts for good.
CLEANUP_RESTORE_DAYS = 30
# Run once a day by `manage.py daily` (which `manage.py serve` keeps running).
# `send_invitations` is the backstop of the task worker's own invitation rounds.
DAILY_COMMANDS = [
    "purge_member_addresses",
    "purge_cleanups",
    "send_invitations",
    "prune_downloads",
]
# What a page view writes (hits, reading history) is buffered in memory and written in
# batches every this many seconds, or sooner once this many entries wait; 0 writes at
# once. A crash loses at most one interval (fanfold.archive.pending). HITS_FLUSH_SECONDS
# is the setting's older name.
VIEW_WRITES_FLUSH_SECONDS = float(
    os.environ.get("VIEW_WRITES_FLUSH_SECONDS", os.environ.get("HITS_FLUSH_SECONDS", "2"))
)
VIEW_WRITES_FLUSH_SIZE = int(os.environ.get("VIEW_WRITES_FLUSH_SIZE", "2000"))
WORKS_PER_PAGE = 20
AUTHORS_PER_PAGE = 50
# Dates on the old eFiction pages (viewstory.php), as strftime. Reader tools parse them
# with the old site's own format: the import keeps the old site's `dateformat` setting;
# this overrides it (PHP "d/m/Y" is "%d/%m/%Y"). Neither: "%d/%m/%Y".
EFICTION_DATE_FORMAT = os.environ.get("EFICTION_DATE_FORMAT", "")
# The time trap on public forms (fanfold.archive.forms): a form sent sooner than this
# many seconds after it was shown is refused.
FORM_MIN_SECONDS = float(os.environ.get("FORM_MIN_SECONDS", "3"))
# Comment flood limits (django-ratelimit syntax).
COMMENT_RATE_PER_IP = os.environ.get("COMMENT_RATE_PER_IP", "20/10m")
COMMENT_RATE_PER_USER = os.environ.get("COMMENT_RATE_PER_USER", "10/m")
# Reports: a guest address (or a member) can't flood the queue.
REPORT_RATE_PER_IP = os.environ.get("REPORT_RATE_PER_IP", "10/h")
REPORT_RATE_PER_USER = os.environ.get("REPORT_RATE_PER_USER", "20/h")
# The JSON API's limits (django-ratelimit syntax): guests per address, members per token.
API_RATE_PER_IP = os.environ.get("API_RATE_PER_IP", "60/m")
API_RATE_PER_TOKEN = os.environ.get("API_RATE_PER_TOKEN", "300/m")
# Where the archive is reached, for links in e-mails sent by the background worker.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The in-process filter index (fanfold.filters); off answers from a per-request index.
FILTER_INDEX = env_bool("FANFOLD_FILTER_INDEX", True)
# One filter index snapshot per host, mapped by every worker (fanfold.filters.snapshot).
FILTER_INDEX_DIR = Path(os.environ.get("FILTER_INDEX_DIR", VAR_DIR / "filter-index"))
# Who builds it when none is ready: "process" (a worker starts a background build),
# "external" (only `manage.py rebuild_filter_index`), "inline" (the asking thread; tests).
FILTER_INDEX_BUILD = os.environ.get("FILTER_INDEX_BUILD", "process")
if FILTER_INDEX_BUILD not in {"process", "external", "inline"}:
    raise ImproperlyConfigured("FILTER_INDEX_BUILD must be process, external or inline")
