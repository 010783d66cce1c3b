# The project's commands. `make run` and `make test` prepare whatever is missing first.
SHELL := /bin/bash
DB ?= ams_demo
TEST_DB ?= ams_test
BENCH_TEST_DB ?= ams_bench_test
PYTEST_ARGS ?=
SIZE ?= S

.PHONY: setup run test lint readme wheel-check i18n bench-data bench bench-test bench-load bench-replica bench-replica-stop mutate

setup:
	@bash tools/setup.sh

run: setup
	@bash tools/run.sh $(DB) $(if $(REBUILD),--rebuild)

test: setup
	@bash tools/test.sh $(TEST_DB) $(PYTEST_ARGS)

lint: setup
	@bash tools/lint.sh

# Mutation testing (README, "How the tests are tested"): one-line bugs planted in the
# database-bound code one at a time, each must fail the tests of its files; then mutmut over
# the pure modules. MUTATE_ARGS="--only M01,M05" or "--list".
mutate: setup
	@source tools/env.sh && "$$VENV/bin/python" tools/mutate.py $(MUTATE_ARGS)

# README.rst and static/description/index.html from the addon's readme/ fragments
readme: setup
	@source tools/env.sh && "$$VENV/bin/python" tools/gen_readme.py

# the OCA wheel, installed in a fresh virtual environment, the module installed from it
wheel-check: setup
	@bash tools/wheel_check.sh

i18n: setup
	@bash tools/i18n.sh $(TEST_DB)

# The benchmark (BENCHMARKS.md): data set ams_bench_<size>, measurements, load test.
bench-data: setup
	@source tools/env.sh && "$$VENV/bin/python" tools/benchmark data $(SIZE) $(if $(REBUILD),--rebuild)

# OCA's settlement runs up to M; OCA=1 runs it at L too (about 45 minutes), OCA=0 skips it
bench: setup
	@source tools/env.sh && "$$VENV/bin/python" tools/benchmark run $(SIZE) \
	    $(if $(filter 1,$(OCA)),--oca) $(if $(filter 0,$(OCA)),--no-oca)

# The benchmark's own test (tools/benchmark/test_benchmark.py): the data set at size S built
# in a fresh database with the module (BENCH_TEST_DB), checked against what the ORM writes
# and the SQL floor, with pytest-odoo as `make test`; CI runs it after `make test`.
bench-test: setup
	@bash tools/bench_test.sh $(BENCH_TEST_DB) $(PYTEST_ARGS)

bench-load: setup
	@source tools/env.sh && "$$VENV/bin/python" tools/benchmark load $(SIZE) $(LOAD_ARGS)

# A streaming replica of the bench database (port 5433), Odoo reading from it, the load
# test, and both servers' statistics; the replica is removed afterwards.
bench-replica: setup
	@source tools/env.sh && "$$VENV/bin/python" tools/benchmark replica $(SIZE) $(LOAD_ARGS)

bench-replica-stop: setup
	@source tools/env.sh && "$$VENV/bin/python" tools/benchmark replica-stop
