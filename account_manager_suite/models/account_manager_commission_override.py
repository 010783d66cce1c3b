from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from .account_manager_commission_plan import _check_percentage


class AccountManagerCommissionOverride(models.Model):
    """A rate that replaces the base or tier rate for a product category or customer tier."""

    _name = "account.manager.commission.override"
    _inherit = ["account.manager.input.mixin"]
    _description = "Commission Rate Override"
    # about the pay or review of a user, who does not change it (workflow_guard)
    _ams_own_path = "plan_id.assignment_ids.user_id"
    _order = "plan_id, id"

    plan_id = fields.Many2one(
        "account.manager.commission.plan", required=True, index=True, ondelete="cascade"
    )
    categ_id = fields.Many2one("product.category", string="Product Category")
    tier_id = fields.Many2one("account.manager.tier", string="Customer Tier")
    rate = fields.Float(string="Rate (%)", digits=(16, 4), required=True)

    @api.constrains("categ_id", "tier_id", "rate")
    def _check_override(self):
        for override in self:
            if bool(override.categ_id) == bool(override.tier_id):
                raise ValidationError(
                    self.env._(
                        "A rate override of plan %(plan)s applies to a Product Category or "
                        "to a Customer Tier: fill in exactly one of them.",
                        plan=override.plan_id.name,
                    )
                )
            _check_percentage(
                self.env, self.env._("Override rate"), override.rate, override.plan_id.name
            )
