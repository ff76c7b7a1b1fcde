# Two commands do everything on a fresh machine:
#   make run    install what is missing, start the local Neo4j, load the sample data, serve
#   make test   install what is missing, then ruff, mypy and the whole pytest suite
# Every step skips what is already in place, so a second run downloads nothing.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ST_STAMP := $(VENV)/.installed-st
WEB_STAMP := web/node_modules/.installed

.PHONY: run test setup st st-if-needed system-deps neo4j lint format web npm-dep browser-deps

run: setup st-if-needed
	$(BIN)/partnergraph demo

test: setup st browser-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

setup: system-deps $(STAMP) neo4j web

# $(call apt-install,packages,why): Debian packages when we are root, else say what is missing.
apt-install = if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(1); \
	else echo "$(2): install $(1)"; exit 1; fi

# Java 17 and Maven run the local Neo4j; installed from Debian's packages only when missing.
system-deps:
	@if ! command -v java >/dev/null || ! command -v javac >/dev/null || ! command -v mvn >/dev/null; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jdk-headless maven; \
	  else \
	    echo "Java 17 (JDK) and Maven are needed for the local Neo4j: install them, or set NEO4J_URI."; exit 1; \
	  fi; \
	fi

# The virtual environment, reinstalled only when pyproject.toml changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

# The optional extra `st` (torch, sentence-transformers): most of a full install's size. `make test`
# installs it so that code path stays tested; `make run` only when PARTNERGRAPH_MODEL (the
# environment or .env) names a sentence-transformers model.
st: $(ST_STAMP)

$(ST_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev,st]'
	@touch $@

st-if-needed: $(STAMP)
	@if $(BIN)/python -c 'import sys; from partnergraph.settings import Settings; \
	  from matching.encoder import needs_st_extra; sys.exit(0 if needs_st_extra(Settings().model) else 1)'; \
	then $(MAKE) st; fi

# The pages' graph library (cytoscape, fcose layout) from npm, pinned by web/package-lock.json;
# reinstalled only when the lock changes. The pages serve the bundles from web/node_modules.
web: $(WEB_STAMP)

$(WEB_STAMP): web/package.json web/package-lock.json | npm-dep
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

npm-dep:
	@command -v npm >/dev/null || { $(call apt-install,npm,npm installs the graph library of the pages); }

# Chromium and its driver, of one version from Debian, run the pages' browser tests.
browser-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { $(call apt-install,chromium chromium-driver,The browser tests need Chromium and its driver); }

# Neo4j's jars from Maven's cache and the compiled launcher; skipped when current.
neo4j: $(STAMP)
	@$(BIN)/partnergraph neo4j install

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
