# The project's commands. `make run` and `make test` prepare whatever is missing first.
SHELL := /bin/bash
DB ?= ams_demo
TEST_DB ?= ams_test
PYTEST_ARGS ?=

.PHONY: setup run test lint i18n

setup:
	@bash tools/setup.sh

run: setup
	@bash tools/run.sh $(DB) $(if $(REBUILD),--rebuild)

test: setup
	@bash tools/test.sh $(TEST_DB) $(PYTEST_ARGS)

lint: setup
	@bash tools/lint.sh

i18n: setup
	@bash tools/i18n.sh $(TEST_DB)
