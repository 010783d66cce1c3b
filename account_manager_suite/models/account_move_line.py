from odoo import fields
from odoo import models
from odoo.tools.sql import create_index

COGS_INDEX = "account_move_line__ams_cogs_index"


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Not stored: receivables and revenue lines are filtered by their invoice's manager.
    account_manager_id = fields.Many2one(
        related="move_id.account_manager_id", string="Account Manager"
    )

    def init(self):
        result = super().init()
        # The commission base reads the cost of goods sold of the invoices it pays on
        # (the engine's _commission_base): without an index on those lines PostgreSQL
        # scans the whole ledger for them at every incremental recompute (0.23 s of the
        # queue job's 0.5 s for one invoice at size M). Partial: cogs lines only.
        create_index(
            self.env.cr, COGS_INDEX, self._table, ["move_id"], where="display_type = 'cogs'"
        )
        return result
