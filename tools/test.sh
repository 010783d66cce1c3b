#!/usr/bin/env bash
# make test: a fresh test database from the cached template, the module installed into it,
# then the module's whole test suite with pytest-odoo (browser tours included).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tools/env.sh"
db=$1; shift
AMS_TEMPLATE_DB=$("$VENV/bin/python" "$ROOT/tools/odoo_db.py" template | tail -n 1)
export AMS_TEMPLATE_DB
"$VENV/bin/python" "$ROOT/tools/odoo_db.py" test-db "$db"
# pytest-odoo reads the connection from the Odoo configuration file (ODOO_RC), never from
# PYTEST_DB_* variables, which make it crash.
unset PYTEST_DB_USE_ENV_VARS
cd "$ROOT"
exec "$VENV/bin/python" -m pytest -p no:cacheprovider \
    --odoo-config "$ODOO_RC" --odoo-database "$db" --odoo-http \
    "$ROOT/account_manager_suite/tests" "$@"
