#!/usr/bin/env bash
# Odoo's own test suites (sale, sale_management, account, sales_team) in a new database,
# with the module installed (default) or without it (--without), to compare the two:
#
#   bash tools/odoo_tests.sh            # with account_manager_suite
#   bash tools/odoo_tests.sh --without  # the same suites without it
#   bash tools/odoo_tests.sh --compare  # tests failing with the module but not without
#
# Each run writes .odoo/odoo-tests-<with|without>.log and the failing tests, one per line,
# to .odoo/odoo-tests-<with|without>.failed. It takes long (the account suite is large):
# it is not part of `make test`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tools/env.sh"
TAGS=/sale,/sale_management,/account,/sales_team
mode=with
[ "${1:-}" = "--without" ] && mode=without
if [ "${1:-}" = "--compare" ]; then
    for m in with without; do
        [ -f "$ODOO_STATE/odoo-tests-$m.failed" ] || { echo "Run the '$m' suite first."; exit 2; }
    done
    echo "Failing with the module only:"
    comm -23 <(sort "$ODOO_STATE/odoo-tests-with.failed") <(sort "$ODOO_STATE/odoo-tests-without.failed")
    echo "Failing without the module too (left out of the count):"
    comm -12 <(sort "$ODOO_STATE/odoo-tests-with.failed") <(sort "$ODOO_STATE/odoo-tests-without.failed")
    exit 0
fi
modules=sale_management,account,sales_team
[ "$mode" = with ] && modules=account_manager_suite,$modules
db=ams_odoo_tests_$mode
log=$ODOO_STATE/odoo-tests-$mode.log
"$VENV/bin/python" - "$db" <<'PY'
import sys
sys.path.insert(0, "tools")
import odoo_db
odoo_db.drop_db(sys.argv[1])
PY
createdb "$db"
echo "Odoo's tests for $TAGS, $mode account_manager_suite, in $db (log: $log)"
set +e
"$VENV/bin/python" -m odoo -c "$ODOO_RC" -d "$db" -i "$modules" --test-enable \
    --test-tags "$TAGS" --http-port "${ODOO_TESTS_HTTP_PORT:-8075}" --stop-after-init \
    --log-level=test --logfile "$log"
status=$?
set -e
grep -oE '(FAIL|ERROR): [A-Za-z0-9_.]+' "$log" | sort -u > "$ODOO_STATE/odoo-tests-$mode.failed" || true
grep -E "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$log" | tail -n 1 || true
echo "$(wc -l < "$ODOO_STATE/odoo-tests-$mode.failed") failing tests listed in $ODOO_STATE/odoo-tests-$mode.failed (exit $status)"
