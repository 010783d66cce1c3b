from odoo import fields
from odoo import models

PERFORMANCE_STATES = [
    ("on_track", "On Track"),
    ("probation", "Probation"),
    ("final_review", "Final Review"),
]


class AccountManagerPerformanceEvent(models.Model):
    """A change of an account manager's performance status, with the figures behind it."""

    _name = "account.manager.performance.event"
    _inherit = ["account.manager.input.mixin"]
    _description = "Performance Status Change"
    # about the pay or review of a user, who does not change it (workflow_guard)
    _ams_own_path = "user_id"
    _order = "date desc, id desc"

    user_id = fields.Many2one(
        "res.users", string="Account Manager", required=True, index=True, ondelete="cascade"
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    old_state = fields.Selection(PERFORMANCE_STATES, string="From Status", required=True)
    new_state = fields.Selection(PERFORMANCE_STATES, string="To Status", required=True)
    quota_id = fields.Many2one("account.manager.quota", string="Closed Period", ondelete="set null")
    attainment = fields.Float(string="Attainment (%)", digits=(16, 1))
    reason = fields.Text(required=True)
    reviewer_id = fields.Many2one("res.users")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
