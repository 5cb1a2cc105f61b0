# Gilde: the commands a developer or operator runs. `make help` lists them.
#
# Everything Python runs through uv (pyproject.toml + uv.lock); front-end packages come from npm
# (package.json + package-lock.json). Nothing else needs to be installed by hand.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# `pip install --user uv` puts uv here; make it findable in the same run.
export PATH := $(HOME)/.local/bin:$(PATH)

UV_SYNC := $(if $(wildcard uv.lock),uv sync --frozen,uv sync)
# Extra arguments for pytest, e.g. `make test-fast PYTEST_ARGS="tests/people -x"`.
PYTEST_ARGS ?=
# -ra: list every test that did not pass, followed by pytest's closing summary line.
PYTEST := uv run pytest -ra

# A production-like environment for `check --deploy` (a fresh random key on every run).
DEPLOY_ENV = DEBUG=false ALLOWED_HOSTS=example.org \
	SECRET_KEY="$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"

.PHONY: help uv install lint types checks test test-fast test-suite test-postgres bench

help:
	@echo "make demo           install everything, load the demo into SQLite and start the server"
	@echo "make test           install everything; lint, types, Django checks, translations, all tests"
	@echo "make test-fast      install everything; all tests except the browser tests"
	@echo "make test-postgres  the whole test suite on PostgreSQL (DATABASE_URL, or a throwaway server)"
	@echo "make lint           ruff check and ruff format --check"
	@echo "make types          mypy (strict)"
	@echo "make checks         Django system checks (also --deploy), migrations, translations"
	@echo "make bench          run every benchmark on SQLite and, if available, PostgreSQL"
	@echo "make load           load test: gilde serve on PostgreSQL under more and more users"
	@echo "make crash          kill server, worker and imports mid-write; check nothing is lost"
	@echo "make install        uv sync and npm ci"

# --- installing -------------------------------------------------------------------------------

uv:
	@command -v uv >/dev/null 2>&1 || { \
		echo "uv is missing; installing it with pip"; \
		python3 -m pip install --user --quiet uv 2>/dev/null \
		|| python3 -m pip install --user --quiet --break-system-packages uv \
		|| pip install --quiet uv; \
	}

# npm writes node_modules/.package-lock.json on every install, so npm ci runs only when the
# lock file is newer than the installed packages.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

install: uv node_modules/.package-lock.json
	$(UV_SYNC)

# --- quality checks ---------------------------------------------------------------------------

lint: install
	uv run ruff check . .ci
	uv run ruff format --check . .ci

types: install
	uv run mypy

checks: install
	uv run gilde check --fail-level WARNING
	uv run gilde makemigrations --check --dry-run
	env $(DEPLOY_ENV) uv run gilde check --deploy --fail-level WARNING
	uv run python .ci/check_translations.py

# --- tests ------------------------------------------------------------------------------------

test: install lint types checks test-suite

test-fast: install
	$(PYTEST) -m "not e2e" $(PYTEST_ARGS)

# The whole suite, browser tests included, on the database DATABASE_URL names (SQLite if unset).
# Assumes `make install` has run.
test-suite:
	$(PYTEST) $(PYTEST_ARGS)

test-postgres: install
	@case "$${DATABASE_URL:-}" in \
		postgres*) $(MAKE) --no-print-directory test-suite ;; \
		*) .ci/with-postgres $(MAKE) --no-print-directory test-suite ;; \
	esac

# --- benchmarks -------------------------------------------------------------------------------

# On SQLite always; on PostgreSQL through BENCH_DATABASE_URL, else a throwaway local server.
bench: install
	@if [ -z "$${BENCH_DATABASE_URL:-}" ] && .ci/with-postgres --available; then \
		.ci/with-postgres uv run python benchmarks/run.py; \
	else \
		uv run python benchmarks/run.py; \
	fi

# --- crash safety -----------------------------------------------------------------------------

.PHONY: crash
# Kills the production server, the worker and imports in the middle of bulk writes and checks
# after each restart that nothing acknowledged is lost or half-written (tools/crash_test.py,
# docs/operations.md). On a fresh SQLite file, then on a throwaway PostgreSQL server where one
# can be started. Not part of `make test`. Knobs: CRASH_KILLS, CRASH_SEED, CRASH_PEOPLE, ...
crash: install
	@status=0; \
	env -u DATABASE_URL uv run python tools/crash_test.py || status=1; \
	if .ci/with-postgres --available; then \
		.ci/with-postgres uv run python tools/crash_test.py || status=1; \
	else \
		echo "crash: no PostgreSQL server programs here; PostgreSQL left out"; \
	fi; \
	exit $$status

# A load test of the running server (benchmarks/load/): a fresh PostgreSQL database (DATABASE_URL's
# server, or a throwaway one), generated data, gilde serve and gilde worker, and Locust adding
# simulated people in steps; about 10 minutes. See docs/benchmarks.md, "Load".
.PHONY: load
load: install
	uv run python benchmarks/load/run.py

# --- demo -------------------------------------------------------------------------------------

.PHONY: demo
# Installs the Python and npm packages (htmx is served from node_modules), migrates the SQLite
# database, loads the demo networks, prints the log-ins and starts the server on 127.0.0.1:8000.
demo: install
	uv run gilde demo
