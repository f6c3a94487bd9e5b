# The two commands that matter: `make` builds everything into site/, `make test` runs every test
# (what CI runs); `make test-fast` skips the slow and browser tests, for the edit loop.
# Each target sets itself up first (Debian packages, .venv, pinned Python packages).

PY      := .venv/bin/python
V       ?= 1
ENGINE  ?= mkdocs
LANG_   ?= fr
ADDR    ?= 127.0.0.1:8000
export PYTHONPATH := $(CURDIR)/scripts
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: all build check test test-fast capture serve bench lint clean setup

all: build

setup:
	@scripts/bootstrap.sh

build: setup
	@$(PY) -m guidebuilder build --verbosity $(V) --engine $(ENGINE)

check: setup
	@$(PY) -m guidebuilder check

test: setup
	@$(PY) -m ruff check scripts tests
	@$(PY) -m pytest

test-fast: setup
	@$(PY) -m ruff check scripts tests
	@$(PY) -m pytest -m "not slow and not browser"

capture: setup
	@$(PY) -m guidebuilder mockups
	@$(PY) -m guidebuilder capture

serve: setup
	@$(PY) -m guidebuilder serve --lang $(LANG_) --addr $(ADDR)

bench: setup
	@$(PY) scripts/bench.py

lint: setup
	@$(PY) -m ruff check scripts tests

clean:
	rm -rf site site-zensical .cache .site-* .pytest_cache
