from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class AccountManagerQuotaPlanLine(models.Model):
    _name = "account.manager.quota.plan.line"
    _inherit = ["account.manager.input.mixin"]
    _description = "Yearly Quota Plan Target"
    # about the pay or review of a user, who does not change it (workflow_guard)
    _ams_own_path = "user_id"
    _order = "plan_id, user_id"

    plan_id = fields.Many2one(
        "account.manager.quota.plan", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(
        "res.users", string="Account Manager", required=True, domain=[("share", "=", False)]
    )
    annual_target = fields.Monetary(required=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    company_id = fields.Many2one(related="plan_id.company_id", store=True)

    _sql_constraints = [
        (
            "user_plan_uniq",
            "unique(plan_id, user_id)",
            "An account manager appears once per plan: edit the existing line.",
        )
    ]

    @api.constrains("annual_target", "user_id")
    def _check_annual_target(self):
        for line in self:
            if line.currency_id.compare_amounts(line.annual_target, 0) <= 0:
                raise ValidationError(
                    self.env._(
                        "The Annual Target of %(user)s must be positive (got %(amount)s).",
                        user=line.user_id.name,
                        amount=line.annual_target,
                    )
                )
            self.env["res.users"]._ams_check_assignable(line.user_id)
