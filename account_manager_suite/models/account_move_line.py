from odoo import fields
from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Not stored: receivables and revenue lines are filtered by their invoice's manager.
    account_manager_id = fields.Many2one(
        related="move_id.account_manager_id", string="Account Manager"
    )
