from odoo import fields
from odoo import models


class AccountManagerAccountPlanContact(models.Model):
    _name = "account.manager.account.plan.contact"
    _inherit = ["account.manager.input.mixin"]
    _description = "Account Plan Decision Maker"
    _order = "plan_id, sequence, id"

    sequence = fields.Integer(default=10)
    plan_id = fields.Many2one(
        "account.manager.account.plan", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", string="Contact", required=True)
    role = fields.Char(help="E.g. decision maker, buyer, user, technical evaluator.")
    influence = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")], default="medium", required=True
    )
    attitude = fields.Selection(
        [("supporter", "Supporter"), ("neutral", "Neutral"), ("opponent", "Opponent")],
        default="neutral",
        required=True,
    )
    note = fields.Char()
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
