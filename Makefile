# GUP: the commands a developer, CI and a first-time visitor use. `make` alone lists them.
#
# Everything a fresh Debian machine lacks is installed here (the virtualenv, Python packages, the
# system libraries WeasyPrint needs, Chromium for browser tests), so `make run` and `make test`
# work on a new machine as they do on ours. Running any target twice is harmless.

.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
# apt-get, pip and the checks must run one after the other, even under make -j.
.NOTPARALLEL:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

# Tests and the deploy check use PostgreSQL and Redis; `make run` uses the embedded SQLite default
# unless DATABASE_URL / REDIS_URL are set in the environment, in which case they pass through.
TEST_DATABASE_URL := $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/gup_test)
TEST_REDIS_URL := $(or $(REDIS_URL),redis://127.0.0.1:6379/15)
TEST_ENV := DJANGO_SETTINGS_MODULE=gup.settings.test DATABASE_URL='$(TEST_DATABASE_URL)' \
	REDIS_URL='$(TEST_REDIS_URL)'
DEV_ENV := DJANGO_SETTINGS_MODULE=gup.settings.dev

# Debian packages: WeasyPrint's libraries (harfbuzz-subset makes PDFs ~10x faster, see gup.W001)
# and gettext for compilemessages. Tests also need Chromium, checked by its path.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext
CHROMIUM := /usr/bin/chromium

# CI has no terminal: make sure apt-get never stops to ask a question there.
APT_ENV := $(if $(CI),DEBIAN_FRONTEND=noninteractive,)

# $(call ensure_debian_packages,PACKAGES,EXTRA_MISSING_CHECK): install what is missing, as root;
# otherwise print the exact command to run and stop. `apt-get update` runs only when needed.
define ensure_debian_packages
	@missing=""; \
	for package in $(1); do \
		dpkg -s "$$package" >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	$(2) \
	missing="$${missing# }"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "Missing Debian packages: $$missing"; \
		echo "Install them as root, then run make again:"; \
		echo "    sudo apt-get update && sudo apt-get install -y $$missing"; \
		exit 1; \
	fi; \
	echo "Installing Debian packages: $$missing"; \
	$(APT_ENV) apt-get update; \
	$(APT_ENV) apt-get install -y $$missing
endef

.PHONY: help
help: ## List the commands
	@echo "GUP: make TARGET"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) \
		| awk 'BEGIN {FS = ":.*## "} {printf "  %-17s %s\n", $$1, $$2}'
	@echo
	@echo "Overrides: PYTHON=$(PYTHON), DATABASE_URL, REDIS_URL (tests default to"
	@echo "  postgres://postgres@127.0.0.1:5432/gup_test and redis://127.0.0.1:6379/15)."

# --- set-up ---------------------------------------------------------------------------------

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
		echo "GUP needs Python 3.11; $(PYTHON) is $$($(PYTHON) --version 2>&1)."; \
		echo "Run: make PYTHON=python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The stamp lives in the venv: removing the venv forces a reinstall; a newer requirements.txt too.
$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check --no-input -r requirements.txt
	touch $(STAMP)

.PHONY: venv
venv: $(STAMP) ## Create .venv and install requirements.txt (only when it changed)

.PHONY: system-libs
system-libs: ## Install the Debian libraries WeasyPrint and compilemessages need (as root)
	$(call ensure_debian_packages,$(RUN_PACKAGES),)

.PHONY: system-libs-test
system-libs-test: ## Same, plus Debian's Chromium for browser tests
	$(call ensure_debian_packages,$(RUN_PACKAGES),[ -x $(CHROMIUM) ] || missing="$$missing chromium";)

.PHONY: compilemessages
compilemessages: $(STAMP)
	$(DEV_ENV) $(MANAGE) compilemessages --ignore=.venv

# --- the two commands of the README ---------------------------------------------------------

.PHONY: run
run: system-libs $(STAMP) compilemessages ## Set up, load the demo and serve on http://127.0.0.1:8000/
	mkdir -p var
	$(DEV_ENV) $(MANAGE) migrate --noinput
	$(DEV_ENV) $(MANAGE) load_demo
	$(DEV_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	@echo
	@echo "GUP is at http://127.0.0.1:8000/  (Ctrl-C stops it)"
	@echo
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

.PHONY: test
test: system-libs-test $(STAMP) ## Preflight, lint, format, migration drift, deploy check, pytest
	$(TEST_ENV) $(MANAGE) compilemessages --ignore=.venv
	$(TEST_ENV) $(BIN)/python -m gup.preflight
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
# Drift is a property of the code, not of a database: an in-memory one spares the warning
# makemigrations prints when the configured database does not exist yet (pytest-django
# creates test_<name>, never <name>).
	DJANGO_SETTINGS_MODULE=gup.settings.test DATABASE_URL=sqlite://:memory: \
		$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=gup.settings.production DATABASE_URL='$(TEST_DATABASE_URL)' \
		ALLOWED_HOSTS=gup.example GUP_PUBLIC_URL=https://gup.example REDIS_URL='$(TEST_REDIS_URL)' \
		SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(60))')" \
		GUP_SIGNING_KEY="$$($(TEST_ENV) $(MANAGE) new_signing_key)" \
		GUP_SMS_BACKEND=gup.sms.backends.http_gateway.HttpGatewayBackend \
		GUP_SMS_GATEWAY_URL=https://sms.gup.example/messages \
		GUP_SMS_GATEWAY_SECRET="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(32))')" \
		$(MANAGE) check --deploy --fail-level WARNING
# pytest exits 5 when it collected no tests: a failure too (any non-zero status stops make).
	$(TEST_ENV) $(BIN)/pytest || { status=$$?; \
		if [ $$status = 5 ]; then echo "pytest collected no tests: failing."; fi; \
		exit $$status; }

# --- day to day -----------------------------------------------------------------------------

.PHONY: lint
lint: $(STAMP) ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: fmt
fmt: $(STAMP) ## Fix what ruff can fix, and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: messages
messages: system-libs $(STAMP) ## Extract strings for fr, rn, en, then compile them
	$(DEV_ENV) $(MANAGE) makemessages -l fr -l rn -l en --ignore=.venv --ignore=tests --no-obsolete
	@# Django ships no Kirundi: its own form and auth messages are kept in django-builtin.po and
	@# merged back, since makemessages --no-obsolete drops what our code does not use.
	msgcat --use-first -o locale/rn/LC_MESSAGES/django.po \
		locale/rn/LC_MESSAGES/django.po locale/rn/django-builtin.po
	$(DEV_ENV) $(MANAGE) compilemessages --ignore=.venv

.PHONY: migrations
migrations: $(STAMP) ## Write migrations for model changes
	$(DEV_ENV) $(MANAGE) makemigrations

.PHONY: worker
worker: system-libs $(STAMP) compilemessages ## Run a worker on every queue, its scheduler and the periodic jobs (needs REDIS_URL)
	$(MANAGE) run_worker

.PHONY: clean
clean: ## Remove var/ (SQLite database, uploads, static) and .venv
	rm -rf var $(VENV)
