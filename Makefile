# Two commands set up a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast bench fuzz lint install clean docs screenshots

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
