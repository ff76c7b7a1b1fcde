# Two commands do everything on a fresh machine:
#   make run    install what is missing, start the local Neo4j, load the sample data, serve
#   make test   install what is missing, then ruff and the whole pytest suite
# Every step skips what is already in place, so a second run downloads nothing.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup system-deps neo4j lint format

run: setup
	$(BIN)/partnergraph demo

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

setup: system-deps $(STAMP) neo4j

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

# Neo4j's jars from Maven's cache and the compiled launcher; skipped when current.
neo4j: $(STAMP)
	@$(BIN)/partnergraph neo4j install

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
