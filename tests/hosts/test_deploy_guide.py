"""The deployment guide (docs/deploy.md) keeps up with the code: every environment
variable Fanfold reads is in its table, and the units it tells you to install exist."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUIDE = (REPO / "docs" / "deploy.md").read_text()
# A name read with os.environ.get / os.environ[...] / os.getenv / env_bool / env_list.
READ = re.compile(
    r"""(?:os\.environ\.get|os\.getenv|env_bool|env_list)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)
# Hooks for tests and benchmarks, not settings an operator sets.
NOT_SETTINGS = {"FANFOLD_IMPORT_CRASH_AFTER"}


def _read_names() -> set[str]:
    names: set[str] = set()
    for path in (REPO / "fanfold").rglob("*.py"):
        if "tests" in path.parts or path.name in {"settings_test.py", "conftest.py"}:
            continue
        names |= set(READ.findall(path.read_text()))
    return names - NOT_SETTINGS


def test_every_environment_variable_is_in_the_guide():
    names = _read_names()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= names  # the pattern still finds them
    missing = sorted(name for name in names if f"`{name}`" not in GUIDE)
    assert not missing, f"docs/deploy.md does not list: {missing}"


def test_the_files_the_guide_names_exist():
    named = set(re.findall(r"deploy/[\w./*-]+[\w*]", GUIDE))
    assert "deploy/systemd/" in GUIDE and "deploy/twohosts.sh" in named
    for path in named:  # a name may be a pattern (deploy/systemd/fanfold-*.service)
        assert list(REPO.glob(path)), f"docs/deploy.md names {path}, which is missing"
    for unit in ("fanfold-web.service", "fanfold-worker.service", "fanfold-daily.timer"):
        assert (REPO / "deploy" / "systemd" / unit).exists()
        assert unit in GUIDE


def test_the_readme_links_to_the_guide():
    assert "docs/deploy.md" in (REPO / "README.md").read_text()
