# exam-sandbox: everything a fresh machine needs is Python 3.11+ and make.
#
#   make run     create .venv, install, serve on http://127.0.0.1:8080 (demo tenant seeded)
#   make test    create .venv, install with the dev extras, run the whole suite (on SQLite,
#                then on PostgreSQL when a server is at hand: tests/postgres_run.py)
#   make contracts   the contract suite alone (contracts/: provider, consumer, agreement)
#   make demo    serve with a scripted integration to watch in the console (exam-sandbox demo)
#   make bench   serve the sandbox and a bare Flask app, load both with wrk (~5 min)
#
# Variables: PYTHON (interpreter that builds .venv), HOST, PORT, SERVE_ARGS (extra
# `exam-sandbox serve` options, e.g. SERVE_ARGS='--data-dir data'), PYTEST_ARGS.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8080
SERVE_ARGS ?=
# Each xdist worker builds its own app and database (tests/conftest.py), so tests run in
# parallel safely; `make test PYTEST_ARGS=` runs them in one process.
PYTEST_ARGS ?= -n 2
# e.g. BENCH_ARGS='--duration 5' for a quicker, noisier bench (bench/README.md).
BENCH_ARGS ?=

# Installed-state stamps: re-running a target costs nothing until pyproject.toml changes.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check

# import-linter walks one package folder; this lays exam_sandbox out as installed (client
# inside it) under build/import-tree and names that folder (tests/import_tree.py).
LINT_IMPORTS = PYTHONPATH="$$($(BIN)/python tests/import_tree.py)" $(BIN)/lint-imports --no-cache

.PHONY: help venv browser postgres run demo test contracts bench lint openapi screenshots clean distclean

help:
	@sed -n 's/^#   //p' Makefile
	@echo "  make venv / postgres / lint / openapi / screenshots / clean / distclean"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "make: need python3.11 (or python3 >= 3.11) on PATH" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "make: $(PYTHON) is older than Python 3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The dev install is a superset of the runtime one, so it stamps both.
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e '.[dev]'
	@touch $@ $(RUN_STAMP)

venv: $(DEV_STAMP)

run: $(RUN_STAMP)
	$(BIN)/exam-sandbox serve --host $(HOST) --port $(PORT) $(SERVE_ARGS)

demo: $(RUN_STAMP)
	$(BIN)/exam-sandbox demo --host $(HOST) --port $(PORT) $(SERVE_ARGS)

# The docs page and console tests drive a real browser: Debian's Chromium and its
# chromedriver (Selenium), installed when missing and we may (root, apt); anywhere else,
# install them yourself first. Nothing is downloaded at test time.
browser:
	@if ! command -v chromedriver >/dev/null 2>&1 \
		|| { ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; }; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Chromium and chromedriver (Debian) for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				chromium chromium-driver >/dev/null; \
		else \
			echo "make: the browser tests need Chromium and chromedriver: install them" \
				"(e.g. apt-get install chromium chromium-driver)" >&2; \
			exit 1; \
		fi; \
	fi

# The README's console screenshots (1280x800), taken by the console's browser test.
screenshots: $(DEV_STAMP) browser
	EXAM_SANDBOX_SCREENSHOTS=docs/screenshots $(BIN)/pytest -p no:xdist \
		tests/console/test_console_browser.py -k demo_in_the_console

# The suites run twice: on SQLite, then on PostgreSQL, the server named by
# EXAM_SANDBOX_TEST_POSTGRES or a local one (`make postgres`); without one the second
# run is reported NOT RUN and the target stays green.
test: $(DEV_STAMP) browser
	$(BIN)/ruff check .
	$(LINT_IMPORTS)
	$(BIN)/pytest $(PYTEST_ARGS)
	$(BIN)/python tests/postgres_run.py $(PYTEST_ARGS)

# A PostgreSQL server for the second run, as CI has it: Debian's package, and a cluster
# of its own (named exam-sandbox, on port $(POSTGRES_PORT), a superuser role for the
# current user) so a server already on this machine is left as it is. It holds nothing
# but the suites' throwaway databases, so it skips fsync, and allows the connections
# of several sandbox processes at once (tests/test_cross_replica.py).
POSTGRES_PORT ?= 5499
postgres:
	@command -v pg_createcluster >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing PostgreSQL (Debian) for the PostgreSQL run"; \
			{ DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 \
			|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }; }; \
		else \
			echo "make postgres: install PostgreSQL first (e.g. apt-get install postgresql)" >&2; exit 1; \
		fi; }
	@version=$$(ls /usr/lib/postgresql | sort -n | tail -1); \
	pg_lsclusters --no-header | awk '{print $$2}' | grep -qx exam-sandbox \
		|| pg_createcluster "$$version" exam-sandbox --port $(POSTGRES_PORT) \
			--pgoption max_connections=300 --pgoption fsync=off \
			--pgoption full_page_writes=off >/dev/null; \
	pg_lsclusters --no-header | awk '$$2 == "exam-sandbox" {print $$4}' | grep -qx online \
		|| pg_ctlcluster "$$version" exam-sandbox start
	@su postgres -c "psql -p $(POSTGRES_PORT) -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = '$$(id -un)'\"" \
		| grep -q 1 || su postgres -c "createuser -p $(POSTGRES_PORT) --superuser $$(id -un)"
	@echo "PostgreSQL is up on port $(POSTGRES_PORT): make test runs the suites on it too"

# `make test` runs these too (pyproject's testpaths are tests and contracts).
contracts: $(DEV_STAMP)
	$(BIN)/pytest $(PYTEST_ARGS) contracts

# Not part of `make test`: it takes minutes and its figures depend on the machine.
bench: $(RUN_STAMP)
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& { apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }; }; } \
		|| { echo "make bench: needs wrk: apt-get install wrk (Debian/Ubuntu) or brew install wrk (macOS)" >&2; exit 1; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(LINT_IMPORTS)

# Regenerate the committed contracts from the app itself: every vendor's, and the
# /_sandbox controls' (sandbox.json).
openapi: $(RUN_STAMP)
	$(BIN)/exam-sandbox openapi --all --output-dir contracts/openapi

# Caches and build output; the virtualenv stays (distclean removes it too).
clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
