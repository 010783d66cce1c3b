#!/usr/bin/env bash
# make run [DB=name] [REBUILD=1]: the demo database, then Odoo on http://localhost:$HTTP_PORT.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tools/env.sh"
db=$1; shift
"$VENV/bin/python" "$ROOT/tools/odoo_db.py" demo-db "$db" "$@"
cat <<MSG

  Account Manager Suite is starting
    URL:      http://localhost:$HTTP_PORT/odoo?db=$db
    Database: $db
    Login:    admin / admin   (sales director; demo logins: see README.md)
  Stop with Ctrl+C. Rebuild the database from scratch with: make run REBUILD=1

MSG
exec "$VENV/bin/python" -m odoo -c "$ODOO_RC" -d "$db" --db-filter "^$db\$" --http-port "$HTTP_PORT"
