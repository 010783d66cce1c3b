# The project's commands. `make run` and `make test` prepare whatever is missing first.
SHELL := /bin/bash
DB ?= ams_demo
TEST_DB ?= ams_test
PYTEST_ARGS ?=

.PHONY: setup run run-rebuild test lint

setup:
	@bash tools/setup.sh

run: setup
	@bash tools/run.sh $(DB) $(if $(REBUILD),--rebuild)

test: setup
	@bash tools/test.sh $(TEST_DB) $(PYTEST_ARGS)

lint: setup
	@bash tools/lint.sh
