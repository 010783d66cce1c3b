#!/usr/bin/env bash
# make lint: ruff (lint + format check), pylint-odoo with OCA's settings, prettier on XML,
# and the generated README.rst / index.html up to date with readme/ (tools/gen_readme.py).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tools/env.sh"
cd "$ROOT"
status=0
echo "ruff check";   "$VENV/bin/ruff" check . || status=1
echo "ruff format";  "$VENV/bin/ruff" format --check . || status=1
echo "pylint-odoo";  "$VENV/bin/pylint" --rcfile=.pylintrc account_manager_suite || status=1
echo "structure (function and file length, a reason on every sudo())"
"$VENV/bin/python" tools/check_structure.py || status=1
echo "README test table (counts from the code)"
"$VENV/bin/python" tools/check_test_table.py || status=1
echo "prettier (xml)"
mapfile -t xml < <(git ls-files '*.xml')
if [ ${#xml[@]} -gt 0 ]; then
    "$VENV/node/node_modules/.bin/prettier" --check "${xml[@]}" || status=1
fi
echo "readme (README.rst, index.html from readme/)"
"$VENV/bin/python" tools/gen_readme.py --check || status=1
[ $status = 0 ] && echo "lint: all clean"
exit $status
