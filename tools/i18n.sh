#!/usr/bin/env bash
# make i18n: export the module's terms to i18n/account_manager_suite.pot from a database
# where the module is installed (default: the test database), then merge them into
# i18n/de.po and i18n/id.po (new terms come in untranslated; the test suite fails until
# they are translated).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tools/env.sh"
db=${1:-ams_test}
i18n=$ROOT/account_manager_suite/i18n
"$VENV/bin/python" -m odoo -c "$ODOO_RC" -d "$db" --stop-after-init --log-level=warn \
    --i18n-export="$i18n/account_manager_suite.pot" --modules=account_manager_suite
for lang in de id; do
    if [ ! -f "$i18n/$lang.po" ]; then
        sed -e "s/^\"Language: \\\\n\"/\"Language: $lang\\\\n\"/" \
            "$i18n/account_manager_suite.pot" > "$i18n/$lang.po"
    fi
    msgmerge --quiet --update --backup=none --no-fuzzy-matching --no-wrap --sort-output \
        "$i18n/$lang.po" "$i18n/account_manager_suite.pot"
    untranslated=$(msgattrib --untranslated --no-obsolete "$i18n/$lang.po" | grep -c '^msgid ' || true)
    echo "$lang.po: $((untranslated > 0 ? untranslated - 1 : 0)) untranslated terms"
done
