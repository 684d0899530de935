# Fresh machine to running wiki: `make run`. Whole test suite: `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
EMBEDDED := $(PY) -m wikiapp.embedded_pg --
PYTHON ?= python3

.PHONY: install run test check e2e-deps lint format stop-db clean bench bench-deps

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

run: install
	$(PY) -m wikiapp.serve

test: install e2e-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(EMBEDDED) sh -c '$(PY) manage.py makemigrations --check --dry-run && $(PY) -m pytest $(PYTEST_ARGS)'

# The reliability and security suite alone (also part of `make test`); prints its figures.
check: install e2e-deps
	$(EMBEDDED) $(PY) -m pytest tests/check $(PYTEST_ARGS)

# axe-core for the accessibility checks in the browser tests: installed, never committed.
e2e-deps: node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Seeds its own database under var/bench-pgdata (BENCH_PAGES=2000 BENCH_REVISIONS=5 for a
# quick run), then loads the app under gunicorn with wrk; see README, Performance.
bench: install bench-deps
	$(PY) bench/seed.py
	$(PY) -m bench.run

bench-deps:
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)

lint:
	$(VENV)/bin/ruff check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

stop-db:
	$(PY) -m wikiapp.embedded_pg stop

clean: stop-db
	rm -rf $(VENV) var node_modules
