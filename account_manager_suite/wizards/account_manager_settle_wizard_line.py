from odoo import fields
from odoo import models


class AccountManagerSettleWizardLine(models.TransientModel):
    _name = "account.manager.settle.wizard.line"
    _inherit = ["account.manager.input.mixin"]
    _description = "Proposed Commission Settlement"
    _order = "date_from, user_id"

    wizard_id = fields.Many2one("account.manager.settle.wizard", required=True, ondelete="cascade")
    date_from = fields.Date(string="Period From", readonly=True)
    date_to = fields.Date(string="Period To", readonly=True)
    user_id = fields.Many2one("res.users", string="Account Manager", readonly=True)
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    amount = fields.Monetary(string="Commission", readonly=True)
