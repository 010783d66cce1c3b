#!/usr/bin/env bash
# make wheel-check (and CI): the addon as OCA publishes it, installed the way an integrator
# would install it.
#   1. build the wheel with whool (odoo-addon-account_manager_suite-<version>-py3-none-any);
#   2. a fresh virtual environment beside Odoo: a new venv whose only link to the project's
#      venv is a .pth adding its site-packages (Odoo, its Python requirements, report_xlsx)
#      behind its own; the wheel installed into it by pip *with* its dependencies, which
#      pip must find satisfied (odoo 18.0, odoo-addon-report_xlsx), then `pip check`;
#   3. the module installed with `-i` into a new database (a copy of the test template:
#      Odoo and the dependencies), Odoo's addons path holding Odoo's addons only, never
#      this repository; the log must name the wheel's copy and hold no warning or error.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tools/env.sh"
MODULE=account_manager_suite
DIST=odoo-addon-$MODULE
work=$(mktemp -d "${TMPDIR:-/tmp}/ams-wheel.XXXXXX")
db=ams_wheel_check_$$
say() { printf '\033[1m[wheel]\033[0m %s\n' "$*"; }
fail() { printf '\033[31m[wheel] %s\033[0m\n' "$*" >&2; exit 1; }
cleanup() {
    dropdb --if-exists "$db" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

say "Building the wheel with whool"
(cd "$ROOT/$MODULE" && "$VENV/bin/pip" wheel --quiet --no-deps --no-build-isolation \
    --wheel-dir "$work/dist" .) || fail "whool could not build the wheel"
wheel=$(ls "$work"/dist/odoo_addon_${MODULE}-18.0.*-py3-none-any.whl 2>/dev/null) \
    || fail "no wheel odoo_addon_${MODULE}-18.0.*-py3-none-any.whl in $work/dist"
name=$("$VENV/bin/python" - "$wheel" <<'PY'
import sys
import zipfile

with zipfile.ZipFile(sys.argv[1]) as wheel:
    metadata = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    print(next(line[6:] for line in wheel.read(metadata).decode().splitlines()
               if line.startswith("Name: ")))
PY
)
[ "$name" = "$DIST" ] || fail "the wheel's distribution is '$name', not '$DIST'"
say "Built $(basename "$wheel")"

say "A fresh virtual environment beside Odoo"
base_python=$("$VENV/bin/python" -c 'import sys; print(sys._base_executable)')
"$base_python" -m venv --without-pip "$work/venv"
site_packages=$("$work/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
shared=$(cd "$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" && pwd -P)
echo "import site; site.addsitedir('$shared')" > "$site_packages/zz_odoo_requirements.pth"
pip=("$VENV/bin/pip" --python "$work/venv/bin/python" --disable-pip-version-check)
# with dependencies: pip must find Odoo and report_xlsx installed, and fetch nothing
"${pip[@]}" install --quiet --no-index "$wheel" || fail "pip could not install the wheel"
"${pip[@]}" check >/dev/null || { "${pip[@]}" check; fail "pip check found broken dependencies"; }
installed=$("$work/venv/bin/python" - "$MODULE" <<'PY'
import sys
from pathlib import Path

import odoo.addons

module = sys.argv[1]
print(next(str(Path(p) / module) for p in odoo.addons.__path__ if (Path(p) / module).is_dir()))
PY
)
case $installed in
    "$site_packages"/*) say "The wheel installed the module at $installed" ;;
    *) fail "odoo.addons.$MODULE resolves to $installed, not to the fresh venv" ;;
esac

say "Installing $MODULE from the wheel into a new database"
template=$("$VENV/bin/python" "$ROOT/tools/odoo_db.py" template | tail -n 1)
createdb -T "$template" "$db"
mkdir -p "$work/data/filestore"
if [ -d "$ODOO_DATA_DIR/filestore/$template" ]; then
    cp -r "$ODOO_DATA_DIR/filestore/$template" "$work/data/filestore/$db"
fi
printf '[options]\n' > "$work/odoo.conf"  # no project configuration, no addons path of ours
log=$work/install.log
"$work/venv/bin/python" -m odoo -c "$work/odoo.conf" -d "$db" -r "$(id -un)" \
    --addons-path "$ODOO_ADDONS" --data-dir "$work/data" -i "$MODULE" --without-demo=all \
    --no-http --stop-after-init --log-level info --logfile "$log" \
    || { tail -n 40 "$log"; fail "Odoo could not install $MODULE from the wheel"; }
paths=$(grep -m1 'addons paths:' "$log" || true)
[[ $paths == *"$site_packages/odoo/addons"* ]] || fail "the addons paths miss the wheel's: $paths"
# the project's virtual environment may sit inside the checkout (a fresh clone): its
# site-packages hold the OCA dependencies' wheels, not this repository's addon
ours=${paths//"'$ROOT/.venv/"/"'<venv>/"}
[[ $ours != *"'$ROOT'"* && $ours != *"'$ROOT/"* ]] || fail "the repository is on the addons path: $paths"
state=$(psql -d "$db" -Atqc "SELECT state FROM ir_module_module WHERE name = '$MODULE'")
[ "$state" = installed ] || fail "$MODULE is '$state' after the install"
problems=$(grep -E '^\S+ \S+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$log" \
    | grep -v "Running as user 'root' is a security risk" || true)
[ -z "$problems" ] || { echo "$problems"; fail "the install from the wheel logged warnings or errors"; }
say "OK: $(basename "$wheel") installs in a fresh venv and $MODULE installs from it"
