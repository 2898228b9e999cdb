# Fanfold: `make run` serves the archive, `make test` runs the tests.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6.1 needs Python 3.12+: use the newest Python found (PATH first, then pyenv's
# installs), falling back to python3. On Python 3.11 (Debian 12) pip installs the Django
# 5.2 LTS line instead; see pyproject.toml.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 \
	$$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then \
	command -v $$p; break; fi; done)
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export FANFOLD_VAR_DIR ?= $(CURDIR)/var

.PHONY: help run serve setup demo import-efiction test test-postgres test-compat lint format bench bench-filter bench-import bench-smoke bench-spam browsers clean check-deploy

help:
	@echo "make run     install, migrate, load demo content, serve on http://$(HOST):$(PORT)"
	@echo "make test    run the whole test suite (SQLite)"
	@echo "make import-efiction DUMP=backup.sql [STORIES=dir]   take over an eFiction archive"
	@echo "make test-postgres   the suite against PostgreSQL (DATABASE_URL or local postgres)"
	@echo "make lint    ruff and migration checks"
	@echo "make bench   the read-path benchmark (bench/read_path.py)"
	@echo "make bench-filter   the filter engine at 1M works (bench/filter.py; BENCH_ARGS=--works 50000)"
	@echo "make bench-import   the eFiction import of 200,000 chapters (bench/import_efiction.py; BENCH_ARGS=--postgres)"
	@echo "make bench-spam   bots against each sign-up mode (bench/spam.py; BENCH_ARGS=--smoke)"
	@echo "make bench-smoke    every benchmark on tiny data, SQLite and PostgreSQL (what CI runs)"

$(VENV)/bin/python:
	@test -n "$(PYTHON)" || { echo "No Python 3.11+ found. Install python3 (3.12+ preferred)."; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "python3-venv is missing; installing it with apt-get"; \
	    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); \
	  else echo "Cannot create a virtualenv: install your distribution's python3-venv package."; exit 1; fi; }
	@$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-lint: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[test,lint]'
	@touch $@ $(VENV)/.installed $(VENV)/.installed-test

$(FANFOLD_VAR_DIR)/secret_key:
	@mkdir -p $(FANFOLD_VAR_DIR)
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@echo "Generated a secret key in $@ (keep it private; it signs sessions)."

# Local serving: production settings (DEBUG off, manifest static files, granian), but
# plain http on the loopback address, so secure-only cookies are turned off.
RUN_ENV = SECRET_KEY="$$(cat $(FANFOLD_VAR_DIR)/secret_key)" FANFOLD_HTTPS=0

setup: $(VENV)/.installed $(FANFOLD_VAR_DIR)/secret_key
	@$(RUN_ENV) $(PY) manage.py migrate --noinput
	@$(RUN_ENV) $(PY) manage.py createcachetable
	@$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@$(RUN_ENV) $(PY) manage.py load_demo --if-empty
	@$(RUN_ENV) $(PY) manage.py ensure_admin --url http://$(HOST):$(PORT)

run: setup
	@$(RUN_ENV) exec $(PY) manage.py serve --host $(HOST) --port $(PORT)

serve:
	@$(RUN_ENV) exec $(PY) manage.py serve --host $(HOST) --port $(PORT)

demo: $(VENV)/.installed $(FANFOLD_VAR_DIR)/secret_key
	@$(RUN_ENV) $(PY) manage.py load_demo

# Take over an eFiction 3.5 archive (before the first `make run`, so no demo content is
# mixed in): DUMP=backup.sql [STORIES=old-site/stories] or MYSQL=mysql://user:pass@host/db,
# ARGS for anything else (--mapping tags.csv, --write-mapping tags.csv, --prefix ...).
import-efiction: $(VENV)/.installed $(FANFOLD_VAR_DIR)/secret_key
	@test -n "$(DUMP)$(MYSQL)" || { echo "usage: make import-efiction DUMP=backup.sql [STORIES=dir] [ARGS=...]"; \
	  echo "   or: make import-efiction MYSQL=mysql://user:pass@host/db"; exit 2; }
	@$(RUN_ENV) $(PY) manage.py migrate --noinput
	@$(RUN_ENV) $(PY) manage.py createcachetable
	@$(RUN_ENV) $(PY) manage.py import_efiction $(if $(DUMP),"$(DUMP)") \
	  $(if $(MYSQL),--mysql "$(MYSQL)") $(if $(STORIES),--stories-dir "$(STORIES)") $(ARGS)

# Playwright drives Debian's chromium; nothing is downloaded by Playwright itself.
browsers:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed: browser tests will be skipped (apt install chromium)"; fi; \
	fi

PYTEST_ARGS ?=
test: $(VENV)/.installed-test browsers
	$(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-test browsers
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/fanfold} \
	  $(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

# The Python 3.11 / Django 5.2 LTS path a Debian 12 machine takes, in its own virtualenv.
COMPAT_PYTHON ?= $(shell command -v python3.11)
test-compat:
	@test -n "$(COMPAT_PYTHON)" || { echo "python3.11 is not installed"; exit 1; }
	$(MAKE) test VENV=.venv-compat PYTHON=$(COMPAT_PYTHON) PYTEST_ARGS='-m "not browser"'

# Typed where the rules live: services, selectors, the text pipeline, the caches, the
# filter engine and the eFiction takeover (their tests not yet).
MYPY_PACKAGES = fanfold/filters fanfold/efiction
MYPY_PATHS = $(MYPY_PACKAGES) fanfold/markup \
	$(filter-out $(MYPY_PACKAGES:%=%/%),$(wildcard fanfold/*/services.py fanfold/*/selectors.py)) \
	fanfold/works/hits.py fanfold/works/blurbs.py fanfold/works/pagecache.py \
	fanfold/works/limits.py fanfold/archive/params.py fanfold/archive/csp.py \
	fanfold/accounts/devices.py fanfold/archive/forms.py fanfold/archive/pending.py \
	fanfold/history/visits.py fanfold/works/listing_cache.py
MYPY_EXCLUDE = ^fanfold/(filters|efiction)/tests/

lint: $(VENV)/.installed-lint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(VENV)/bin/mypy --exclude '$(MYPY_EXCLUDE)' $(MYPY_PATHS)
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-lint
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# A production configuration as a deployment would have it: a real secret, a host name,
# https and an SMTP server (the deploy check rightly refuses the console mail backend).
check-deploy: $(VENV)/.installed
	env -u FANFOLD_HTTPS DEBUG=0 SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  ALLOWED_HOSTS=archive.example.org EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend \
	  EMAIL_HOST=smtp.example.org $(PY) manage.py check --deploy --fail-level WARNING

bench: $(VENV)/.installed-test
	$(PY) bench/read_path.py

BENCH_ARGS ?=
bench-filter: $(VENV)/.installed
	$(PY) bench/filter.py $(BENCH_ARGS)

bench-import: $(VENV)/.installed
	$(PY) bench/import_efiction.py $(BENCH_ARGS)

# The spam test: bots against the real server in each sign-up mode (bench/spam.py);
# BENCH_ARGS=--smoke for a two-minute run with the same code path.
bench-spam: $(VENV)/.installed
	$(PY) bench/spam.py $(BENCH_ARGS)

# Each benchmark's --smoke mode: fresh tiny data, one short run, the same code and the
# same last line. A benchmark that falls behind the app (a generator writing rows for an
# older schema) fails here instead of on someone's fresh clone. About two minutes.
bench-smoke: $(VENV)/.installed-test
	$(PY) bench/read_path.py --smoke
	$(PY) bench/filter.py --smoke
	$(PY) bench/filter.py --smoke --postgres
	$(PY) bench/concurrency.py --smoke
	$(PY) bench/import_efiction.py --smoke --postgres
	$(PY) bench/spam.py --smoke

clean:
	rm -rf $(VENV) .venv-compat var
