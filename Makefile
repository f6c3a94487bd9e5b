# The two commands that matter: `make` builds everything into site/, `make test` runs every test.
# Each target sets itself up first (Debian packages, .venv, pinned Python packages).

PY      := .venv/bin/python
V       ?= 1
ENGINE  ?= mkdocs
LANG_   ?= fr
export PYTHONPATH := $(CURDIR)/scripts
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: all build check test capture serve bench lint clean setup

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

capture: setup
	@$(PY) -m guidebuilder mockups
	@$(PY) -m guidebuilder capture

serve: setup
	@$(PY) -m guidebuilder serve --lang $(LANG_)

bench: setup
	@$(PY) scripts/bench.py

lint: setup
	@$(PY) -m ruff check scripts tests

clean:
	rm -rf site site-zensical .cache .site-* .pytest_cache
