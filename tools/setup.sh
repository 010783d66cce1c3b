#!/usr/bin/env bash
# Prepare everything `make run` / `make test` / `make lint` need, and only what is missing:
#   - the Odoo 18.0 source tree (ODOO_SRC, else /opt/odoo/18.0, else a shallow clone),
#   - a Python 3.11 virtual environment with Odoo's requirements and our pins,
#   - prettier (XML lint) from the npm registry,
#   - Debian's wkhtmltopdf (PDF reports) and chromium (browser tours),
#   - a running PostgreSQL with a role for the current OS user,
#   - the Odoo configuration file .odoo/odoo.conf.
# Safe to run again: a stamp file records what was installed from which pins.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/env.sh
source "$ROOT/tools/env.sh"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

# --- Odoo source tree -------------------------------------------------------------------
if [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
    if [ -n "${ODOO_SRC_FROM_ENV:-}" ]; then
        die "ODOO_SRC=$ODOO_SRC is not an Odoo source tree (no odoo/release.py)."
    fi
    say "No Odoo tree found: cloning Odoo 18.0 (depth 1) into $ODOO_SRC"
    mkdir -p "$(dirname "$ODOO_SRC")"
    git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git "$ODOO_SRC" \
        || die "Could not clone Odoo 18.0. Put an Odoo 18.0 tree at /opt/odoo/18.0 or set ODOO_SRC."
fi
grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
    || die "$ODOO_SRC is not Odoo 18.0 (see odoo/release.py)."

# --- Python virtual environment ---------------------------------------------------------
PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            PYTHON=$candidate
            break
        fi
    done
fi
[ -n "$PYTHON" ] || die "Python 3.11 is required (Debian: apt-get install python3.11 python3.11-venv)."

stamp_value=$(cat "$ROOT/requirements.txt" "$ROOT/tools/build-constraints.txt" \
    "$ODOO_SRC/requirements.txt" | sha256sum | cut -c1-16)-$ODOO_SRC
pip_log=$ROOT/.odoo/pip.log
pip_install() {
    # pip and the packages' build backends are chatty: keep their output in a log file
    "$VENV/bin/pip" install --quiet "$@" >>"$pip_log" 2>&1 \
        || { tail -n 40 "$pip_log" >&2; die "pip install $* failed (full log: $pip_log)"; }
}
if [ "$(cat "$VENV/.ams-stamp" 2>/dev/null)" != "$stamp_value" ]; then
    say "Building the virtual environment in $VENV (log: $pip_log)"
    mkdir -p "$ROOT/.odoo" && : > "$pip_log"
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    pip_install --upgrade pip wheel "setuptools<81"
    # python-ldap needs libldap headers and is only used by auth_ldap: leave it out.
    grep -v -i '^python-ldap' "$ODOO_SRC/requirements.txt" > "$VENV/odoo-requirements.txt"
    pip_install --build-constraint "$ROOT/tools/build-constraints.txt" \
        -r "$VENV/odoo-requirements.txt"
    # Odoo itself, as a .pth pointing at the tree, without its unpinned install_requires.
    pip_install --no-deps --config-settings editable_mode=compat -e "$ODOO_SRC"
    pip_install --build-constraint "$ROOT/tools/build-constraints.txt" \
        -r "$ROOT/requirements.txt"
    echo "$stamp_value" > "$VENV/.ams-stamp"
fi

# --- prettier (npm) ---------------------------------------------------------------------
npm_pins=$(sed -n 's/^# npm: *//p' "$ROOT/requirements.txt" | tr '\n' ' ')
if [ "$(cat "$VENV/node/.ams-stamp" 2>/dev/null)" != "$npm_pins" ]; then
    if command -v npm >/dev/null 2>&1; then
        say "Installing $npm_pins"
        mkdir -p "$VENV/node"
        # shellcheck disable=SC2086
        npm install --silent --no-audit --no-fund --prefix "$VENV/node" $npm_pins
        echo "$npm_pins" > "$VENV/node/.ams-stamp"
    else
        say "npm is missing: 'make lint' cannot run prettier (Debian: apt-get install npm)."
    fi
fi

# --- Debian packages: wkhtmltopdf (PDF), chromium (tours), poppler (PDF checks) --------
missing=()
command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing ${missing[*]} with apt-get"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
            || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; } \
            || say "Could not install ${missing[*]}: the PDF and browser tests will fail until it is installed."
    else
        say "Missing: ${missing[*]}. Install them (Debian: sudo apt-get install ${missing[*]}); the PDF and browser tests fail without them."
    fi
fi

# --- PostgreSQL -------------------------------------------------------------------------
command -v psql >/dev/null 2>&1 && command -v pg_isready >/dev/null 2>&1 \
    || die "PostgreSQL is not installed. Install it (Debian: apt-get install postgresql postgresql-client) and run again."
if ! pg_isready -q; then
    say "PostgreSQL is not running: starting it"
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
        for version in $(ls /etc/postgresql); do
            pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
                || sudo -n pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
        done
    fi
    for _ in $(seq 1 20); do pg_isready -q && break; sleep 0.5; done
    pg_isready -q || die "PostgreSQL does not start. Start it (Debian: pg_ctlcluster 15 main start) and run again."
fi
if ! psql -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    say "Creating a PostgreSQL role for $(id -un)"
    if [ "$(id -u)" = 0 ]; then
        su postgres -c "createuser --superuser $(id -un)"
    else
        sudo -n -u postgres createuser --createdb "$(id -un)" \
            || die "No PostgreSQL role for $(id -un). Run: sudo -u postgres createuser --createdb $(id -un)"
    fi
fi

# --- Odoo configuration -----------------------------------------------------------------
mkdir -p "$ODOO_STATE" "$ODOO_DATA_DIR"
cat > "$ODOO_RC" <<EOF
[options]
addons_path = $ADDONS_PATH
data_dir = $ODOO_DATA_DIR
db_host = False
db_port = False
db_user = $(id -un)
db_password = False
admin_passwd = admin
list_db = False
without_demo = False
http_port = ${HTTP_PORT}
log_level = info
EOF
say "Ready: Odoo $(sed -n 's/^version_info = (\([0-9]*\), \([0-9]*\).*/\1.\2/p' "$ODOO_SRC/odoo/release.py") from $ODOO_SRC, venv $VENV"
