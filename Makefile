# The two commands that matter: `make` builds everything into site/, `make test` runs every test
# (what CI runs); `make test-fast` skips the slow and browser tests, for the edit loop.
# Each target sets itself up first (Debian packages, .venv, pinned Python packages).

PY      := .venv/bin/python
V       ?= 1
ENGINE  ?= mkdocs
LANG_   ?= fr
ADDR    ?= 127.0.0.1:8000
GUIDE   ?=
# `make GUIDE=<slug>`, `make check GUIDE=<slug>`...: only that guide (default: every guide).
ONLY    := $(if $(GUIDE),--guide $(GUIDE))
export PYTHONPATH := $(CURDIR)/scripts
export PYTHONDONTWRITEBYTECODE := 1
# One test process per core and one more: browser tests and served previews wait (animations,
# servers) while the others compute; on 2 cores 3 processes took 3:25 where 2 took 3:44 to 4:25.
TEST_JOBS := $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))

.PHONY: all build check translations po po-import test test-fast capture serve bench lint clean setup new-guide package

all: build

setup:
	@scripts/bootstrap.sh

build: setup
	@$(PY) -m guidebuilder $(ONLY) build --verbosity $(V) --engine $(ENGINE)

check: setup
	@$(PY) -m guidebuilder $(ONLY) check

translations: setup
	@$(PY) -m guidebuilder $(ONLY) translations

# PO files for translators in po/<slug>/ (Poedit, Weblate), and their translations back into the YAML.
po: setup
	@$(PY) -m guidebuilder $(ONLY) po

po-import: setup
	@$(PY) -m guidebuilder $(ONLY) po-import

test: setup
	@$(PY) -m ruff check scripts tests
	@$(PY) -m pytest -n $(TEST_JOBS) --dist worksteal

test-fast: setup
	@$(PY) -m ruff check scripts tests
	@$(PY) -m pytest -n $(TEST_JOBS) --dist worksteal -m "not slow and not browser"

capture: setup
	@$(PY) -m guidebuilder $(ONLY) mockups
	@$(PY) -m guidebuilder $(ONLY) capture

serve: setup
	@$(PY) -m guidebuilder $(ONLY) serve --lang $(LANG_) --addr $(ADDR)

new-guide: setup
	@test -n "$(SLUG)" || { echo "say which address the new guide gets: make new-guide SLUG=stop-meta-ai" >&2; exit 2; }
	@$(PY) -m guidebuilder new-guide "$(SLUG)"

# One reproducible zip of the whole site, for a USB stick or a workshop PC (builds first).
package: build
	@$(PY) -m guidebuilder package

bench: setup
	@$(PY) scripts/bench.py

lint: setup
	@$(PY) -m ruff check scripts tests

clean:
	rm -rf site site-zensical site-package.zip .cache .site-* .pytest_cache
