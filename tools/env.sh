# Shared settings of the project's scripts (sourced, not executed).
# shellcheck shell=bash
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
if [ -n "${ODOO_SRC:-}" ]; then
    ODOO_SRC_FROM_ENV=1
else
    ODOO_SRC=/opt/odoo/18.0
    # shellcheck disable=SC2034
    ODOO_SRC_FROM_ENV=
fi
# Without a tree at /opt/odoo/18.0 the setup clones Odoo next to the venv.
if [ -z "$ODOO_SRC_FROM_ENV" ] && [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
    ODOO_SRC=${XDG_CACHE_HOME:-$HOME/.cache}/account_manager_suite/odoo-18.0
fi
VENV=${VENV:-$ROOT/.venv}
ODOO_STATE=$ROOT/.odoo
ODOO_DATA_DIR=$ODOO_STATE/data
ODOO_RC=$ODOO_STATE/odoo.conf
HTTP_PORT=${HTTP_PORT:-8069}
# A packaged Odoo tree keeps every addon in odoo/addons; a git checkout keeps them in addons/.
if [ -f "$ODOO_SRC/odoo/addons/sale/__manifest__.py" ]; then
    ODOO_ADDONS=$ODOO_SRC/odoo/addons
else
    ODOO_ADDONS=$ODOO_SRC/addons,$ODOO_SRC/odoo/addons
fi
ADDONS_PATH=$ROOT,$ODOO_ADDONS
export ODOO_SRC VENV ODOO_STATE ODOO_DATA_DIR ODOO_RC HTTP_PORT ADDONS_PATH ROOT
