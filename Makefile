# One entry point for people and CI. `make help` lists the targets.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := python3 -m uv
RUN := $(UV) run --frozen
DATA ?= ../shared/data/nba

.PHONY: help install inspector demo test lint format check bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: ## Create .venv from the lock file (installs uv first if needed)
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen

inspector: ## Install the MCP clients the tests drive the server with (Inspector CLI, mcp-remote; needs npm)
	npm ci --prefix tools/inspector --no-audit --no-fund --loglevel=error
	npm ci --prefix tools/mcp-remote --no-audit --no-fund --loglevel=error

demo: ## Set up SQLite, load the real NBA data, answer a first query
	$(if $(and $(wildcard $(DATA)/bref),$(wildcard $(DATA)/nba_stats)),,$(error No sample data at $(DATA) (make demo DATA=DIR names another); \
	  to load a season live from NBA.com instead: make install && .venv/bin/nba-mcp db upgrade && \
	  .venv/bin/nba-mcp ingest nba-api --season 2023-24))
	@$(MAKE) --no-print-directory install
	$(RUN) nba-mcp db upgrade
	$(RUN) nba-mcp ingest bref $(DATA)/bref
	$(RUN) nba-mcp ingest nba-stats $(DATA)/nba_stats --quiet
	$(RUN) nba-mcp player "Stephen Curry" --season 2015-16
	$(RUN) nba-mcp team GSW --season 2015-16

test: install inspector ## Run the whole test suite (SQLite, the local PostgreSQL, the MCP Inspector)
	$(RUN) pytest

lint: install ## ruff (lint and format check) and mypy
	$(RUN) ruff check src tests benchmarks monitoring
	$(RUN) ruff format --check src tests benchmarks monitoring
	$(RUN) mypy

format: install ## Apply ruff's fixes and formatting
	$(RUN) ruff check --fix src tests benchmarks monitoring
	$(RUN) ruff format src tests benchmarks monitoring

check: lint test ## Everything CI runs

bench: install ## Print the benchmark figures (medians; takes a few minutes)
	$(RUN) python benchmarks/bench_ingest.py
	$(RUN) python benchmarks/bench_analytics.py
	$(RUN) python benchmarks/bench_mcp.py
	$(RUN) python benchmarks/bench_http.py
	$(RUN) python benchmarks/bench_ops.py

clean: ## Remove the virtualenv, caches and the local database
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache data tools/inspector/node_modules \
	  tools/mcp-remote/node_modules
