from odoo import api
from odoo import fields
from odoo import models

from .account_manager_commission_plan import _check_percentage


class AccountManagerCommissionTier(models.Model):
    _name = "account.manager.commission.tier"
    _inherit = ["account.manager.input.mixin"]
    _description = "Commission Tier"
    # about the pay or review of a user, who does not change it (workflow_guard)
    _ams_own_path = "plan_id.assignment_ids.user_id"
    _order = "plan_id, attainment_from"

    plan_id = fields.Many2one(
        "account.manager.commission.plan", required=True, index=True, ondelete="cascade"
    )
    attainment_from = fields.Float(string="From Attainment (%)", required=True)
    attainment_to = fields.Float(string="To Attainment (%)", help="0: no upper bound.")
    rate = fields.Float(string="Rate (%)", digits=(16, 4), required=True)

    @api.constrains("rate")
    def _check_rate(self):
        for tier in self:
            _check_percentage(self.env, self.env._("Tier rate"), tier.rate, tier.plan_id.name)
