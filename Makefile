# RESECO — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= settings.dev
# The public address of the site served by `make run` (feeds, sitemap, e-mails).
export SITE_URL ?= http://127.0.0.1:$(PORT)

.DEFAULT_GOAL := help
.PHONY: help install messages migrate demo run worker test test-full test-fast lint format bench check-deploy clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.installed node_modules/.installed messages ## Create .venv and install Python and test dependencies (npm: test tools only)

messages: locale/fr/LC_MESSAGES/django.mo ## Compile the French message catalogue

locale/fr/LC_MESSAGES/django.mo: locale/fr/LC_MESSAGES/django.po locale_wagtail/fr/LC_MESSAGES/django.po $(VENV)/.installed
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0
	touch $@

makemessages: $(VENV)/.installed ## Extract strings into locale/fr/LC_MESSAGES/django.po
	$(MANAGE) makemessages -l fr --ignore=.venv --ignore=node_modules --ignore=tests -v0
	# Source strings are French: the catalogue starts from them, then editors refine it. Fuzzy
	# guesses from similar strings are emptied first (they would carry another message's text).
	msgattrib --no-wrap --clear-fuzzy --empty --clear-previous locale/fr/LC_MESSAGES/django.po -o locale/fr/LC_MESSAGES/django.po
	msgen --no-wrap locale/fr/LC_MESSAGES/django.po -o locale/fr/LC_MESSAGES/django.po

migrate: $(VENV)/.installed messages ## Apply database migrations (no npm needed)
	$(MANAGE) migrate --noinput -v0

demo: $(VENV)/.installed messages ## Migrate and load the demo content (idempotent; skipped in seconds when unchanged)
	$(MANAGE) load_demo --migrate

run: demo ## Install, migrate, load the demo site (when it changed) and serve http://127.0.0.1:8000 with the task worker
	@echo "Site : http://127.0.0.1:$(PORT)/  — administration : http://127.0.0.1:$(PORT)/admin/"
	@echo "E-mails : un fichier par message dans $(CURDIR)/var/mail/"
	@trap 'kill 0' EXIT; \
	$(MANAGE) db_worker --interval 2 & \
	( while true; do sleep 300; $(MANAGE) run_periodic_jobs >/dev/null 2>&1 || true; done ) & \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

worker: ## Run the background task worker (e-mails, .ics)
	$(MANAGE) db_worker

# The generated-input campaigns run a tenth of their examples in `make test` (CI); `make test-full`
# (nightly) runs them all: the fuzzing of every public form and listing, and the random edit sequences.
FUZZ_EXAMPLES_SCALE ?= 0.1
HYPOTHESIS_EXAMPLES ?= 25
export FUZZ_EXAMPLES_SCALE HYPOTHESIS_EXAMPLES

# Tests run in parallel on every core (pytest-xdist); the races share one worker (tests/conftest.py).
# TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= auto
XDIST = -n $(TEST_WORKERS) --dist loadgroup

test: install ## Run the whole test suite (PostgreSQL when DATABASE_URL points there, else SQLite)
	DJANGO_SETTINGS_MODULE=settings.test $(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

test-full: install ## The whole suite with the full generated-input campaigns (nightly)
	FUZZ_EXAMPLES_SCALE=1 HYPOTHESIS_EXAMPLES=300 DJANGO_SETTINGS_MODULE=settings.test $(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

test-fast: install ## Run the tests without the browser
	DJANGO_SETTINGS_MODULE=settings.test $(BIN)/pytest $(XDIST) -m "not browser" $(PYTEST_ARGS)

lint: install ## Check style with ruff and the layers of DESIGN.md with import-linter
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=. $(BIN)/lint-imports --no-logo

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install ## Run the benchmarks and print their figures (by hand, not in CI)
	$(BIN)/python tests/bench/run.py $(BENCH)

check-deploy: install ## Check production settings (`check --deploy`)
	DJANGO_SETTINGS_MODULE=settings.production SECRET_KEY=$${SECRET_KEY:-check-deploy-$$(head -c 32 /dev/urandom | base64)} ALLOWED_HOSTS=$${ALLOWED_HOSTS:-reseco.example} $(MANAGE) check --deploy --fail-level WARNING

clean: ## Remove the virtualenv, node_modules and local data
	rm -rf $(VENV) node_modules var db.sqlite3
