from odoo import fields
from odoo import models


class AccountManagerAccountPlanAction(models.Model):
    _name = "account.manager.account.plan.action"
    _inherit = ["account.manager.input.mixin"]
    _description = "Account Plan Action"
    _order = "plan_id, date_deadline, id"

    plan_id = fields.Many2one(
        "account.manager.account.plan", required=True, index=True, ondelete="cascade"
    )
    name = fields.Char(string="Action", required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    date_deadline = fields.Date(string="Deadline", required=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)

    def action_done(self):
        self.write({"state": "done"})
