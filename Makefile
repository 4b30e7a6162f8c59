# NPP Navigator. `make run` and `make test` work from a clean clone: they create the
# virtual environment and install from the lock file first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck check-law pytest pytest-pg lock clean verify verify-sqlite verify-pg a11y-deps

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## The web application in demo mode on http://127.0.0.1:8000: migrates the database (SQLite
## under var/), loads the synthetic demo data once, then serves. Ctrl-C stops it.
run: $(STAMP)
	$(BIN)/npp serve --demo --host 127.0.0.1 --port 8000

test: $(STAMP) a11y-deps lint typecheck check-law pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy src/npp/law src/npp/screening src/npp/assessment src/npp/exchange src/npp/notices src/npp/training
	$(BIN)/mypy src/npp/cli src/npp/bulk src/npp/web src/npp/analytics src/npp/guides src/npp/pdf

check-law: $(STAMP)
	$(BIN)/npp law check
	$(BIN)/npp training check

## Two workers; an idle one takes tests from the other's queue (worksteal), so that a few long
## tests do not finish alone at the end. Slowest tests: add --durations=30.
pytest: $(STAMP)
	$(BIN)/pytest -n 2 --dist worksteal

## The tests that reach a database (marker `database`), again, against this machine's
## PostgreSQL (127.0.0.1:5432, trust auth). The others cannot reach one: the rule and its
## checks are in tests/conftest.py and docs/development.md ("Tests").
pytest-pg: $(STAMP)
	@echo "pytest-pg: the tests marked 'database' (Django's test database, a live server, or a process given DATABASE_URL), on PostgreSQL; the database-free rest ran in 'make pytest'"
	DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres $(BIN)/pytest -n 2 --dist worksteal -m database

## axe-core for the accessibility tests (tests/a11y, pinned by its package-lock.json). Best
## effort: without npm, those tests are skipped and say why.
A11Y := tests/a11y/node_modules/axe-core/axe.min.js
a11y-deps: $(A11Y)
$(A11Y): tests/a11y/package.json tests/a11y/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  cd tests/a11y && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/axe-core/axe.min.js; \
	else echo "warning: npm not found: accessibility tests will be skipped"; fi

## The full adversarial verification (docs/verification.md): 10,000 fuzzed documents per way in,
## 50 users for 60 s, five crash cycles, schemathesis with 300 examples per operation, axe and
## the keyboard test; on SQLite, then on PostgreSQL. Figures: out/verify/*/*.json. ~16 minutes.
verify: verify-sqlite verify-pg

verify-sqlite: $(STAMP) a11y-deps
	NPP_VERIFY=full NPP_VERIFY_OUT=out/verify/sqlite $(BIN)/pytest -n 2 tests/verify --deselect tests/verify/test_load_and_crash.py::test_load_has_no_errors_and_loses_no_update
	NPP_VERIFY=full NPP_VERIFY_OUT=out/verify/sqlite $(BIN)/pytest tests/verify/test_load_and_crash.py::test_load_has_no_errors_and_loses_no_update

verify-pg: $(STAMP) a11y-deps
	DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres NPP_VERIFY=full NPP_VERIFY_OUT=out/verify/postgresql \
	  $(BIN)/pytest -n 2 tests/verify --deselect tests/verify/test_load_and_crash.py::test_load_has_no_errors_and_loses_no_update
	DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres NPP_VERIFY=full NPP_VERIFY_OUT=out/verify/postgresql \
	  $(BIN)/pytest tests/verify/test_load_and_crash.py::test_load_has_no_errors_and_loses_no_update

lock:
	$(BIN)/python -m pip freeze --exclude-editable | sed '1i # Pinned versions of every dependency (runtime and development). Regenerate with `make lock`.' > requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
