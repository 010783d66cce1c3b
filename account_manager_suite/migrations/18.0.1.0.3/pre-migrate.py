"""18.0.1.0.3: an account's health reasons shown only to whoever may see its figures.

The reasons quote the latest assessment and the receivables: until 18.0.1.0.2 they were a
stored field of the partner that every internal user could read. They are kept now in
``health_reasons_text`` (system only) and shown through the computed ``health_reasons``
(the account's manager, its team, sales directors). The column is renamed before the
update so that the reasons the health job wrote stay until it runs again.
"""

from odoo.tools import sql


def keep_health_reasons(cr):
    if sql.column_exists(cr, "res_partner", "health_reasons") and not sql.column_exists(
        cr, "res_partner", "health_reasons_text"
    ):
        sql.rename_column(cr, "res_partner", "health_reasons", "health_reasons_text")


def migrate(cr, version):
    if version:
        keep_health_reasons(cr)
