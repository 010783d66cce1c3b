# The project's commands. `make run` and `make test` prepare whatever is missing first.
SHELL := /bin/bash
DB ?= ams_demo
TEST_DB ?= ams_test
PYTEST_ARGS ?=
SIZE ?= S

.PHONY: setup run test lint i18n bench-data bench bench-load bench-replica bench-replica-stop

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

# The benchmark (BENCHMARKS.md): data set ams_bench_<size>, measurements, load test.
bench-data: setup
	@source tools/env.sh && "$$VENV/bin/python" tools/benchmark data $(SIZE) $(if $(REBUILD),--rebuild)

# OCA's settlement runs up to M; OCA=1 runs it at L too (about 45 minutes), OCA=0 skips it
bench: setup
	@source tools/env.sh && "$$VENV/bin/python" tools/benchmark run $(SIZE) \
	    $(if $(filter 1,$(OCA)),--oca) $(if $(filter 0,$(OCA)),--no-oca)

bench-load: setup
	@source tools/env.sh && "$$VENV/bin/python" tools/benchmark load $(SIZE) $(LOAD_ARGS)

# A streaming replica of the bench database (port 5433), Odoo reading from it, the load
# test, and both servers' statistics; the replica is removed afterwards.
bench-replica: setup
	@source tools/env.sh && "$$VENV/bin/python" tools/benchmark replica $(SIZE) $(LOAD_ARGS)

bench-replica-stop: setup
	@source tools/env.sh && "$$VENV/bin/python" tools/benchmark replica-stop
