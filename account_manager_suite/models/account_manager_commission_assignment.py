from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from .overlap import find_overlap


class AccountManagerCommissionAssignment(models.Model):
    """Which plan an account manager earns under, and when: one plan at a time."""

    _name = "account.manager.commission.assignment"
    _inherit = ["account.manager.input.mixin"]
    _description = "Commission Plan Assignment"
    # about the pay or review of a user, who does not change it (workflow_guard)
    _ams_own_path = "user_id"
    _order = "user_id, date_from desc"

    plan_id = fields.Many2one(
        "account.manager.commission.plan", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        required=True,
        index=True,
        domain=[("share", "=", False)],
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)

    @api.constrains("user_id", "date_from", "date_to")
    def _check_dates(self):
        for assignment in self:
            if assignment.date_to and assignment.date_to < assignment.date_from:
                raise ValidationError(
                    self.env._(
                        "The plan assignment of %(user)s ends (To) before it starts (From).",
                        user=assignment.user_id.name,
                    )
                )
            self.env["res.users"]._ams_check_assignable(assignment.user_id)
        row = find_overlap(self, ["user_id"])
        if row:
            raise ValidationError(
                self.env._(
                    "%(user)s already has a commission plan on some of these dates: a manager "
                    "earns under one plan at a time. End the other assignment first.",
                    user=self.browse(row[0]).user_id.name,
                )
            )
