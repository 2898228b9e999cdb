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

.PHONY: help run serve setup demo messages i18n-tools import-efiction test test-postgres test-compat lint format bench bench-filter bench-import bench-smoke bench-spam bench-downloads bench-backup backup browsers export-tools hosts-tools twohosts-up twohosts-down clean check-deploy opds-schema

help:
	@echo "make run     install, migrate, load demo content, serve on http://$(HOST):$(PORT)"
	@echo "make test    run the whole test suite (SQLite)"
	@echo "make import-efiction DUMP=backup.sql [STORIES=dir]   take over an eFiction archive"
	@echo "make test-postgres   the suite against PostgreSQL (DATABASE_URL or local postgres)"
	@echo "make backup  a dated archive file (+ an online SQLite copy) in BACKUP_DIR (var/backups)"
	@echo "make lint    ruff and migration checks"
	@echo "make messages   refresh every app's translations (.po) for LANGUAGES and compile them"
	@echo "make bench   the read-path benchmark (bench/read_path.py)"
	@echo "make bench-filter   the filter engine at 1M works (bench/filter.py; BENCH_ARGS=--works 50000)"
	@echo "make bench-import   the eFiction import of 200,000 chapters (bench/import_efiction.py; BENCH_ARGS=--postgres)"
	@echo "make bench-spam   bots against each sign-up mode (bench/spam.py; BENCH_ARGS=--smoke)"
	@echo "make bench-downloads   EPUB builds vs calibre, cached downloads (bench/downloads.py)"
	@echo "make bench-smoke    every benchmark on tiny data, SQLite and PostgreSQL (what CI runs)"
	@echo "make twohosts-up    two app hosts + a database host in network namespaces, nginx on :8780 (root; docs/deploy.md)"

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

# Backups without stopping the site (README, "Backups"): the portable archive file
# (restore_archive reads it on SQLite or PostgreSQL) and, on SQLite, a copy of the
# database file itself (VACUUM INTO); on PostgreSQL pg_dump's own format when pg_dump is
# installed. The newest BACKUP_KEEP of each kind are kept. Run it from cron or a timer.
BACKUP_DIR ?= $(FANFOLD_VAR_DIR)/backups
BACKUP_KEEP ?= 14
backup: $(VENV)/.installed $(FANFOLD_VAR_DIR)/secret_key
	@mkdir -p "$(BACKUP_DIR)"
	@set -e; stamp=$$(date -u +%Y%m%dT%H%M%SZ); \
	$(RUN_ENV) $(PY) manage.py export_archive "$(BACKUP_DIR)/fanfold-$$stamp.jsonl.gz"; \
	case "$${DATABASE_URL:-sqlite}" in \
	  sqlite*) $(RUN_ENV) $(PY) manage.py backup_sqlite "$(BACKUP_DIR)/fanfold-$$stamp.sqlite3";; \
	  postgres*) if command -v pg_dump >/dev/null; then \
	      pg_dump --format=custom --file="$(BACKUP_DIR)/fanfold-$$stamp.pgdump" "$$DATABASE_URL"; \
	      echo "pg_dump: $(BACKUP_DIR)/fanfold-$$stamp.pgdump"; \
	    else echo "pg_dump is not installed: only the archive file was written."; fi;; \
	esac; \
	for kind in jsonl.gz sqlite3 pgdump; do \
	  ls -1t "$(BACKUP_DIR)"/fanfold-*.$$kind 2>/dev/null | tail -n +$$(($(BACKUP_KEEP) + 1)) | xargs -r rm --; \
	done

# Playwright drives Debian's chromium; nothing is downloaded by Playwright itself.
browsers:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed: browser tests will be skipped (apt install chromium)"; fi; \
	fi

# axe-core, the accessibility checker the browser tests inject into each page, from npm
# at the version package-lock.json pins.
node_modules/.installed: package.json package-lock.json
	@if ! command -v npm >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's npm for the accessibility checks"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	fi
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm is not installed: the accessibility checks will be skipped (apt install npm)"; fi

# Downloads need Debian's pango (WeasyPrint's PDFs) and CJK fonts (Japanese books); the
# tests check EPUBs with Debian's epubcheck and build AZW3 with calibre's ebook-convert.
# A site without calibre works too: its download menu leaves AZW3 out.
EXPORT_PACKAGES = libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk epubcheck calibre
export-tools:
	@missing=$$(for p in $(EXPORT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages for downloads: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends $$missing >/dev/null; \
	  else echo "Missing for downloads: $$missing (apt install them; their tests skip)"; fi; \
	fi

# The two-host test (tests/hosts, deploy/twohosts.sh) runs nginx, PostgreSQL's server and
# Redis in network namespaces; as root on Debian, the missing ones are installed.
HOSTS_PACKAGES = nginx:nginx-light redis-server:redis-server pg_ctlcluster:postgresql curl:curl ip:iproute2
hosts-tools:
	@missing=""; for pair in $(HOSTS_PACKAGES); do \
	  command -v "$${pair%%:*}" >/dev/null || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing$$missing for the two-host test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing$$missing: the two-host test will be skipped (apt install$$missing)"; fi; \
	fi

# Translations: makemessages and compilemessages need GNU gettext (Debian's gettext).
i18n-tools:
	@if ! command -v msgfmt >/dev/null || ! command -v xgettext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's gettext for the translations"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else echo "gettext is not installed: the translation checks will be skipped (apt install gettext)"; fi; \
	fi

# Each app with a locale/ folder (mkdir one to add an app) keeps its own catalogue:
# refresh it for every shipped
# language but English (without source line numbers, so an edit elsewhere in a template
# changes nothing), then compile. Translate what is new (msgstr "") and run it again.
MESSAGE_LANGUAGES = de es fr
messages: $(VENV)/.installed i18n-tools
	@set -e; for dir in fanfold/*/locale; do app=$${dir%/locale}; \
	  (cd $$app && DEBUG=1 $(abspath $(PY)) $(CURDIR)/manage.py makemessages --no-location --no-obsolete \
	    --verbosity 0 $(MESSAGE_LANGUAGES:%=-l %) && \
	   DEBUG=1 $(abspath $(PY)) $(CURDIR)/manage.py compilemessages --verbosity 0); \
	  if [ -f $$app/locale/de/LC_MESSAGES/django.po ]; then \
	    echo "$$app: $$(grep -c '^msgid "' $$app/locale/de/LC_MESSAGES/django.po) messages, untranslated:" \
	      "$$(for po in $$app/locale/*/LC_MESSAGES/django.po; do msgattrib --untranslated $$po; done \
	        | grep -c '^msgid "[^"]')"; \
	  else echo "$$app: nothing marked yet"; fi; done

PYTEST_ARGS ?=
test: $(VENV)/.installed-test browsers node_modules/.installed export-tools hosts-tools i18n-tools
	$(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-test browsers node_modules/.installed export-tools i18n-tools
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/fanfold} \
	  $(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

# The Python 3.11 / Django 5.2 LTS path a Debian 12 machine takes, in its own virtualenv.
COMPAT_PYTHON ?= $(shell command -v python3.11)
test-compat:
	@test -n "$(COMPAT_PYTHON)" || { echo "python3.11 is not installed"; exit 1; }
	$(MAKE) test VENV=.venv-compat PYTHON=$(COMPAT_PYTHON) PYTEST_ARGS='-m "not browser"'

# Typed where the rules live: services, selectors, the text pipeline, the caches, the
# filter engine, the eFiction takeover, the API and the backups (their tests not yet).
MYPY_PACKAGES = fanfold/filters fanfold/efiction fanfold/api fanfold/backup
MYPY_PATHS = $(MYPY_PACKAGES) fanfold/markup \
	$(filter-out $(MYPY_PACKAGES:%=%/%),$(wildcard fanfold/*/services.py fanfold/*/selectors.py)) \
	fanfold/works/chapter_services.py fanfold/works/staff_services.py fanfold/works/fields.py \
	fanfold/works/series_services.py \
	fanfold/works/hits.py fanfold/works/blurbs.py fanfold/works/pagecache.py \
	fanfold/works/limits.py fanfold/archive/params.py fanfold/archive/csp.py \
	fanfold/accounts/devices.py fanfold/archive/forms.py fanfold/archive/pending.py \
	fanfold/history/visits.py fanfold/works/listing_cache.py fanfold/tags/directory.py \
	fanfold/archive/returns.py fanfold/archive/templatetags/flash.py fanfold/tags/bulk.py \
	fanfold/archive/language.py
MYPY_EXCLUDE = ^fanfold/(filters|efiction|api|backup)/tests/

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

# EPUB builds against calibre, and a cached download under wrk (bench/downloads.py).
bench-downloads: $(VENV)/.installed-test export-tools
	$(PY) bench/downloads.py $(BENCH_ARGS)

# export_archive and restore_archive on the eFiction benchmark archive, SQLite ->
# PostgreSQL -> SQLite (bench/backup.py; BENCH_ARGS=--stories 5000 for a quicker run).
bench-backup: $(VENV)/.installed
	$(PY) bench/backup.py $(BENCH_ARGS)

# Each benchmark's --smoke mode: fresh tiny data, one short run, the same code and the
# same last line. A benchmark that falls behind the app (a generator writing rows for an
# older schema) fails here instead of on someone's fresh clone. About two minutes.
bench-smoke: $(VENV)/.installed-test export-tools
	$(PY) bench/read_path.py --smoke
	$(PY) bench/filter.py --smoke
	$(PY) bench/filter.py --smoke --postgres
	$(PY) bench/concurrency.py --smoke
	$(PY) bench/import_efiction.py --smoke --postgres
	$(PY) bench/spam.py --smoke
	$(PY) bench/downloads.py --smoke
	$(PY) bench/backup.py --smoke

# The OPDS 1.2 schema the catalogue's tests validate against (fanfold/opds/schema) is
# committed both as published (RELAX NG compact) and converted to the XML syntax lxml
# reads. After changing a .rnc file, convert again with Debian's trang.
opds-schema:
	@command -v trang >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq trang >/dev/null; \
	  else echo "trang is not installed (apt install trang)"; exit 1; fi; }
	cd fanfold/opds/schema && trang -I rnc -O rng opds.rnc opds.rng

# Two app hosts and a database host on this machine (root): see docs/deploy.md.
twohosts-up: $(VENV)/.installed hosts-tools
	deploy/twohosts.sh up

twohosts-down:
	deploy/twohosts.sh down

clean:
	rm -rf $(VENV) .venv-compat var node_modules
