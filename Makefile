# Two commands set up a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast bench load fuzz lint install clean docs screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/trienkhai demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not browser"

bench: $(STAMP)
	$(BIN)/python -m bench

# 200 unit editors for 2 minutes against a real server, on SQLite and PostgreSQL (bench/load.py);
# quick run: $(BIN)/python -m bench.load --users 20 --seconds 20 --engine sqlite
load: $(STAMP)
	$(BIN)/python -m bench.load --users 200 --seconds 120 --engine both --write

# API fuzz (schemathesis) against a real server on loopback; writes docs/fuzz.md.
fuzz: $(STAMP)
	$(BIN)/python -m bench.fuzz_api --examples 10 --seconds 600

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

screenshots: $(STAMP)
	TRIENKHAI_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest -q -m browser

docs: $(STAMP)
	$(BIN)/python -m trienkhai.cli_reference docs/cli.md

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
