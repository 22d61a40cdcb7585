# Two commands do everything on a fresh clone: `make serve` and `make test`.
# Both create .venv and install the pinned, hashed dependencies from requirements.lock first
# (again only when the lock or pyproject.toml changes).
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# MkDocs 1.6.1 prints a notice about MkDocs 2 on every run; we stay on 1.x on purpose (see README).
export NO_MKDOCS_2_WARNING := 1
# pip notes about local index folders that do not exist on this machine are noise.
QUIET_PIP := grep -v "is ignored: it is neither a file nor a directory" || true

# The engine that builds the site from mkdocs.yml: mkdocs (MkDocs + Material, the default and what is
# deployed) or zensical (Material's successor by the same team). For example: make build ENGINE=zensical
ENGINE ?= mkdocs
ifeq ($(filter $(ENGINE),mkdocs zensical),)
$(error ENGINE must be mkdocs or zensical, not "$(ENGINE)")
endif

.PHONY: help serve build check generate test lint bench offline linkcheck clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing pinned dependencies from requirements.lock into $(VENV) ..."
	@$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock 2>&1 | $(QUIET_PIP)
	@$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable . 2>&1 | $(QUIET_PIP)
	@$(BIN)/handbook --help > /dev/null
	@touch $(STAMP)

generate: $(STAMP) ## Generate pages from roadmap/ into docs/
	$(BIN)/handbook build

serve: generate ## Preview at http://127.0.0.1:8000 with live reload (YAML edits included; ENGINE=zensical too)
ifeq ($(ENGINE),zensical)
	SITE_URL=http://127.0.0.1:8000/ $(BIN)/python scripts/serve_zensical.py 127.0.0.1:8000
else
	SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --livereload --dev-addr 127.0.0.1:8000
endif

build: generate ## Strict build of the site into site/ (ENGINE=zensical builds it with Zensical)
ifeq ($(ENGINE),zensical)
	rm -rf site
	$(BIN)/zensical build --strict --clean --config-file mkdocs.yml
else
	$(BIN)/mkdocs build --strict
endif

check: $(STAMP) ## Validate the roadmap spec only
	$(BIN)/handbook check

# On every core (pytest-xdist). --dist loadgroup keeps the tests of one engine's site on one worker
# (of one module of it, when one engine is tested; `xdist_group` in tests/helpers.py groups them),
# so each worker builds only the sites its tests use, once.
test: $(STAMP) ## Run every test (spec, generator, site; browser tests on both engines), in parallel
	$(BIN)/python -m pytest -n auto --dist loadgroup

lint: $(STAMP) ## Lint and format check
	$(BIN)/ruff check scripts tests benchmarks
	$(BIN)/ruff format --check scripts tests benchmarks

clean: ## Remove the built site and the generator's own folders (keeps .venv)
	rm -rf site
	PYTHONPATH=scripts $(PYTHON) -m handbook.cli clean

bench: $(STAMP) ## Benchmark generation, and both engines' build, page weight, search and Lighthouse
	$(BIN)/python benchmarks/run.py

offline: generate ## Build a copy of the site that works from disk (file://), zipped
	$(BIN)/mkdocs build --strict --config-file mkdocs.offline.yml --site-dir site-offline
	rm -f handbook-offline.zip
	cd site-offline && $(abspath $(BIN))/python -m zipfile -c ../handbook-offline.zip .
	@echo "Wrote handbook-offline.zip"

linkcheck: $(STAMP) ## Check every external link in the spec
	$(BIN)/handbook linkcheck
