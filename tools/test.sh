#!/usr/bin/env bash
# make test: a fresh test database from the cached template, the module installed into it,
# then the module's whole test suite with pytest-odoo (browser tours included).
#
# Several pytest processes run side by side (AMS_TEST_PARALLEL=0 runs one process, the
# whole suite in TEST_DB):
#   - the install/uninstall tests (test_install.py), which install the module into
#     databases of their own with Odoo subprocesses; they start at once, on a copy of the
#     template (pytest-odoo needs a database to load a registry from; never the template
#     itself, which other checkouts copy), while the module is installed into TEST_DB;
#     the install with demo data starts from a cached copy of the dependencies installed
#     with theirs (odoo_db.py demo-template), not from an empty database;
#   - every other test, cut into AMS_TEST_SHARDS shards (default 2, one per core), each
#     in a database of its own: shard 1 in TEST_DB, the others in copies of it made once
#     the module is installed (TEST_DB_shard2, ...; dropped at the end). Each has Odoo's
#     HTTP server for the tours, on a free port pytest-odoo picks. The cut
#     (tools/pytest_plugins/ams_shards.py) keeps each test class whole, the browser tours
#     in one shard, and balances the shards by the measured seconds in
#     tools/pytest_plugins/test_durations.json; a selection worth less than about 90 s
#     (PYTEST_ARGS="-k quota", a file) runs in one shard. While the module installs, a
#     collection of the tests (--collect-only) decides how many shards are worth it.
# Shard 1's output is printed as it runs, then each other shard's and the install tests'
# logs; the exit status fails if any fails, and pytest's "no tests collected" (a -k that
# selects nothing in one of them) is no failure unless nothing ran anywhere.
# To refresh the durations table: AMS_TEST_PARALLEL=0 make test
#   PYTEST_ARGS="--ams-durations-out=tools/pytest_plugins/test_durations.json"
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
export PYTHONPATH=$ROOT/tools/pytest_plugins${PYTHONPATH:+:$PYTHONPATH}
# Odoo logs at WARNING and above (pytest-odoo's default is CRITICAL): pytest shows them
# under a failed test, e.g. the browser's console and the URL a failed request asked for.
pytest_cmd=("$VENV/bin/python" -m pytest -p no:cacheprovider -p ams_shards
    --odoo-config "$ODOO_RC" --odoo-log-level=warn
    --odoo-extra=log-handler=odoo.tests.common:CRITICAL)
pytest() { "${pytest_cmd[@]}" "$@"; }
# the same, as the process itself (a background job whose pid is pytest's, to stop it)
exec_pytest() { exec "${pytest_cmd[@]}" "$@"; }
# pytest's "no tests collected" (a -k that selects nothing in one of them) is no failure
ok() { [ "$1" = 0 ] || [ "$1" = 5 ]; }

if [ "${AMS_TEST_PARALLEL:-1}" = 0 ]; then
    "$VENV/bin/python" "$ROOT/tools/odoo_db.py" test-db "$db"
    exec_pytest --odoo-database "$db" --odoo-http "$tests" "$@"
fi

start=$SECONDS
host=${db}_install_host
install_log=$ODOO_STATE/test-install-$db.log
plan_file=$ODOO_STATE/test-plan-$db.txt
pids=()
copies=()
dropdb --if-exists "$host"
createdb -T "$AMS_TEMPLATE_DB" "$host"
cleanup() {
    local pid copy
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    dropdb --if-exists "$host" 2>/dev/null || true
    for copy in "${copies[@]}"; do
        "$VENV/bin/python" "$ROOT/tools/odoo_db.py" drop-db "$copy" >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT
# the demo-data install starts from a cached copy of the dependencies with their demo data
# (built here the first time, while the main suite runs)
{
    AMS_DEMO_TEMPLATE_DB=$("$VENV/bin/python" "$ROOT/tools/odoo_db.py" demo-template | tail -n 1)
    export AMS_DEMO_TEMPLATE_DB
    exec_pytest --odoo-database "$host" "$tests/test_install.py" "$@"
} >"$install_log" 2>&1 &
install_pid=$!
pids+=("$install_pid")

# how many shards the selected tests are worth, decided while the module installs
main_args=(--odoo-http "$tests" --ignore="$tests/test_install.py" "$@")
rm -f "$plan_file"
pytest --collect-only -q --ams-plan="${AMS_TEST_SHARDS:-2}:$plan_file" \
    --odoo-database "$db" "${main_args[@]}" >/dev/null 2>&1 &
plan_pid=$!
pids+=("$plan_pid")

"$VENV/bin/python" "$ROOT/tools/odoo_db.py" test-db "$db"
wait "$plan_pid" || true
shards=1
estimate=
if [ -s "$plan_file" ]; then
    read -r shards estimate <"$plan_file"
fi
echo "make test: $shards shard(s), estimated seconds each: ${estimate:-?}"
shard_dbs=("$db")
for ((i = 2; i <= shards; i++)); do
    copies+=("${db}_shard$i")
    shard_dbs+=("${db}_shard$i")
    "$VENV/bin/python" "$ROOT/tools/odoo_db.py" copy-db "$db" "${db}_shard$i"
done

shard_pids=()
for ((i = 2; i <= shards; i++)); do
    exec_pytest --odoo-database "${shard_dbs[i - 1]}" --ams-shard="$i/$shards" "${main_args[@]}" \
        >"$ODOO_STATE/test-shard$i-$db.log" 2>&1 &
    shard_pids+=($!)
    pids+=($!)
done
statuses=(0)
# shard 1 as it runs (and into its log, for the summary at the end)
color=()
[ -t 1 ] && color=(--color=yes)
pytest --odoo-database "$db" --ams-shard="1/$shards" "${color[@]}" "${main_args[@]}" 2>&1 \
    | tee "$ODOO_STATE/test-shard1-$db.log" || statuses[0]=$?
for ((i = 2; i <= shards; i++)); do
    status=0
    wait "${shard_pids[i - 2]}" || status=$?
    statuses+=("$status")
    echo
    echo "---- shard $i/$shards (database ${shard_dbs[i - 1]}; log: $ODOO_STATE/test-shard$i-$db.log) ----"
    cat "$ODOO_STATE/test-shard$i-$db.log"
done
install_status=0
wait "$install_pid" || install_status=$?
pids=()
echo
echo "---- test_install.py (in parallel, databases of their own; log: $install_log) ----"
cat "$install_log"
echo
all_ok=1
any_ran=
for ((i = 1; i <= shards; i++)); do
    status=${statuses[i - 1]}
    summary=$(tail -n 1 "$ODOO_STATE/test-shard$i-$db.log" 2>/dev/null || true)
    echo "make test: shard $i/$shards exit $status $summary"
    ok "$status" || all_ok=
    [ "$status" = 5 ] || any_ran=1
done
echo "make test: install tests exit $install_status $(tail -n 1 "$install_log")"
ok "$install_status" || all_ok=
[ "$install_status" = 5 ] || any_ran=1
echo "make test: $((SECONDS - start)) s in all"
[ -n "$all_ok" ] && [ -n "$any_ran" ]
