"""Production mode, started the way an operator would start it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # pytest's own settings module (fanfold.settings_test) must not reach production.
    unwanted = {
        "SECRET_KEY",
        "DEBUG",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "FANFOLD_HTTPS",
        "DJANGO_SETTINGS_MODULE",
        "RATELIMIT_ENABLE",
    }
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage("check", FANFOLD_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        FANFOLD_VAR_DIR=str(tmp_path),
        SECRET_KEY="k" * 20 + "-a-long-random-production-secret-0123456789",
        ALLOWED_HOSTS="archive.example.org",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="smtp.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_default_database_is_sqlite_in_wal_mode(tmp_path):
    probe = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        "print(connection.vendor, c.fetchone()[0],"
        " connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(FANFOLD_VAR_DIR=str(tmp_path), DEBUG="1", DJANGO_SETTINGS_MODULE="fanfold.settings")
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["sqlite", "wal", "IMMEDIATE"], result.stderr
    assert (tmp_path / "fanfold.sqlite3").exists()


def test_production_settings_do_not_change_when_pytest_is_imported(tmp_path):
    """Whether a process is production must not depend on the modules it imported."""
    probe = (
        "import pytest, django; django.setup(); from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.RATELIMIT_ENABLE,"
        " s.PASSWORD_HASHERS[0].rsplit('.', 1)[1])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "RATELIMIT_ENABLE"}}
    env.update(
        FANFOLD_VAR_DIR=str(tmp_path),
        SECRET_KEY="k" * 50,
        DJANGO_SETTINGS_MODULE="fanfold.settings",
    )
    env.pop("FANFOLD_HTTPS", None)
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["True", "True", "True", "Argon2PasswordHasher"], result.stderr


def _production_setting(tmp_path, expression: str, **env: str) -> str:
    probe = (
        f"import django; django.setup(); from django.conf import settings as s; print({expression})"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "FANFOLD_HTTPS"}}
    clean.update(
        FANFOLD_VAR_DIR=str(tmp_path),
        SECRET_KEY="k" * 50,
        DJANGO_SETTINGS_MODULE="fanfold.settings",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    return result.stdout.strip() or result.stderr


def test_hsts_preload_and_subdomains_are_opt_in(tmp_path):
    hsts = "s.SECURE_HSTS_SECONDS > 0, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD"
    assert _production_setting(tmp_path, hsts) == "True False False"
    opted_in = _production_setting(
        tmp_path, hsts, SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1"
    )
    assert opted_in == "True True True"


def test_production_sends_the_content_security_policy(tmp_path):
    policy = _production_setting(tmp_path, "s.SECURE_CSP['object-src'], s.MIDDLEWARE")
    assert policy.startswith("[\"'none'\"]") and "ContentSecurityPolicyMiddleware" in policy
