from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class AccountManagerCommissionBonus(models.Model):
    """A fixed amount paid once per period when quota attainment reaches a threshold."""

    _name = "account.manager.commission.bonus"
    _inherit = ["account.manager.input.mixin"]
    _description = "Quota Bonus"
    # about the pay or review of a user, who does not change it (workflow_guard)
    _ams_own_path = "plan_id.assignment_ids.user_id"
    _order = "plan_id, threshold"

    plan_id = fields.Many2one(
        "account.manager.commission.plan", required=True, index=True, ondelete="cascade"
    )
    threshold = fields.Float(string="Attainment Threshold (%)", required=True)
    amount = fields.Monetary(required=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")

    @api.constrains("threshold", "amount")
    def _check_bonus(self):
        for bonus in self:
            if bonus.threshold <= 0 or bonus.amount <= 0:
                raise ValidationError(
                    self.env._(
                        "Bonuses of plan %(plan)s need a positive Attainment Threshold and a "
                        "positive Amount.",
                        plan=bonus.plan_id.name,
                    )
                )
