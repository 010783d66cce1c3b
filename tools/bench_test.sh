#!/usr/bin/env bash
# make bench-test: the benchmark's own test (tools/benchmark/test_benchmark.py), against
# real Odoo as the addon's suite runs: a fresh database from the cached template with the
# module installed (tools/odoo_db.py test-db, as tools/test.sh), then pytest-odoo on the
# benchmark's folder (the data set at size S, built and rolled back: about 4 minutes).
#
#     bash tools/bench_test.sh DB [PYTEST_ARGS...]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tools/env.sh"
db=$1; shift
# pytest-odoo reads the connection from the Odoo configuration file (ODOO_RC), never from
# PYTEST_DB_* variables, which make it crash.
unset PYTEST_DB_USE_ENV_VARS
cd "$ROOT"
"$VENV/bin/python" "$ROOT/tools/odoo_db.py" test-db "$db"
exec "$VENV/bin/python" -m pytest -p no:cacheprovider \
    --odoo-config "$ODOO_RC" --odoo-database "$db" --odoo-log-level=warn \
    --odoo-extra=log-handler=odoo.tests.common:CRITICAL \
    "$ROOT/tools/benchmark" "$@"
