#!/usr/bin/env bash
# make test: a fresh test database from the cached template, the module installed into it,
# then the module's whole test suite with pytest-odoo (browser tours included).
#
# Two pytest processes run side by side (AMS_TEST_PARALLEL=0 runs one after the other):
#   - the install/uninstall tests (test_install.py), which install the module into
#     databases of their own with Odoo subprocesses; they start at once, on a copy of the
#     template (pytest-odoo needs a database to load a registry from; never the template
#     itself, which other checkouts copy), while the module is installed into TEST_DB;
#     the install with demo data starts from a cached copy of the dependencies installed
#     with theirs (odoo_db.py demo-template), not from an empty database;
#   - every other test, in TEST_DB, with Odoo's HTTP server for the tours.
# The output of the first is printed after the second's; the exit status fails if either
# fails.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tools/env.sh"
db=$1; shift
AMS_TEMPLATE_DB=$("$VENV/bin/python" "$ROOT/tools/odoo_db.py" template | tail -n 1)
export AMS_TEMPLATE_DB
# pytest-odoo reads the connection from the Odoo configuration file (ODOO_RC), never from
# PYTEST_DB_* variables, which make it crash.
unset PYTEST_DB_USE_ENV_VARS
cd "$ROOT"
tests=$ROOT/account_manager_suite/tests
pytest() { "$VENV/bin/python" -m pytest -p no:cacheprovider --odoo-config "$ODOO_RC" "$@"; }
# pytest's "no tests collected" (a -k that selects nothing in one of the two) is no failure
ok() { [ "$1" = 0 ] || [ "$1" = 5 ]; }

if [ "${AMS_TEST_PARALLEL:-1}" = 0 ]; then
    "$VENV/bin/python" "$ROOT/tools/odoo_db.py" test-db "$db"
    exec "$VENV/bin/python" -m pytest -p no:cacheprovider \
        --odoo-config "$ODOO_RC" --odoo-database "$db" --odoo-http "$tests" "$@"
fi

start=$SECONDS
host=${db}_install_host
install_log=$ODOO_STATE/test-install-$db.log
dropdb --if-exists "$host"
createdb -T "$AMS_TEMPLATE_DB" "$host"
cleanup() {
    [ -n "${install_pid:-}" ] && kill "$install_pid" 2>/dev/null || true
    dropdb --if-exists "$host" 2>/dev/null || true
}
trap cleanup EXIT
# the demo-data install starts from a cached copy of the dependencies with their demo data
# (built here the first time, while the main suite runs)
{
    AMS_DEMO_TEMPLATE_DB=$("$VENV/bin/python" "$ROOT/tools/odoo_db.py" demo-template | tail -n 1)
    export AMS_DEMO_TEMPLATE_DB
    pytest --odoo-database "$host" "$tests/test_install.py" "$@"
} >"$install_log" 2>&1 &
install_pid=$!

"$VENV/bin/python" "$ROOT/tools/odoo_db.py" test-db "$db"
main_status=0
pytest --odoo-database "$db" --odoo-http "$tests" --ignore="$tests/test_install.py" "$@" \
    || main_status=$?
install_status=0
wait "$install_pid" || install_status=$?
install_pid=
echo
echo "---- test_install.py (in parallel, databases of their own; log: $install_log) ----"
cat "$install_log"
echo "make test: main suite exit $main_status, install tests exit $install_status," \
    "$((SECONDS - start)) s in all"
ok "$main_status" && ok "$install_status" && ! { [ "$main_status" = 5 ] && [ "$install_status" = 5 ]; }
