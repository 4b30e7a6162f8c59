# NPP Navigator. `make run` and `make test` work from a clean clone: they create the
# virtual environment and install from the lock file first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck check-law pytest pytest-pg lock clean

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

test: $(STAMP) lint typecheck check-law pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy src/npp/law src/npp/screening src/npp/assessment
	$(BIN)/mypy src/npp/cli src/npp/bulk src/npp/web src/npp/analytics src/npp/guides

check-law: $(STAMP)
	$(BIN)/npp law check

pytest: $(STAMP)
	$(BIN)/pytest -n 2

## The same suite against this machine's PostgreSQL (127.0.0.1:5432, trust auth).
pytest-pg: $(STAMP)
	DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres $(BIN)/pytest -n 2

lock:
	$(BIN)/python -m pip freeze --exclude-editable | sed '1i # Pinned versions of every dependency (runtime and development). Regenerate with `make lock`.' > requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
