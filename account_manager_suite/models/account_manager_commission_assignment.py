from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class AccountManagerCommissionAssignment(models.Model):
    """Which plan an account manager earns under, and when: one plan at a time."""

    _name = "account.manager.commission.assignment"
    _inherit = ["account.manager.input.mixin", "account.manager.period.guard"]
    _description = "Commission Plan Assignment"
    # about the pay or review of a user, who does not change it (workflow_guard)
    _ams_own_path = "user_id"
    _order = "user_id, date_from desc"
    # one plan per manager and company at a time (guarded by the database); a manager
    # working for two companies earns under a plan in each
    _ams_overlap_columns = ("user_id", "company_id")
    # written by the scheduled computation of the running period only
    _ams_workflow_fields = ("commissions_computed_on",)

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
    # the day the scheduled action last computed the manager's running period under this
    # assignment (account.manager.commission.line._cron_recompute_running_period)
    commissions_computed_on = fields.Date(
        string="Commissions Computed on Date", readonly=True, copy=False
    )

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

    @api.model
    def _ams_overlap_message(self, mine, other):
        user = self.env["res.users"].browse(mine["user_id"]).name
        if other:
            return ValidationError(
                self.env._(
                    "%(user)s already has a commission plan on some of these dates (%(plan)s "
                    "from %(from)s): a manager earns under one plan at a time in a company. "
                    "End the other assignment first.",
                    user=user,
                    plan=other.plan_id.name,
                    **{"from": other.date_from},
                )
            )
        return ValidationError(
            self.env._(
                "%(user)s already has a commission plan on some of these dates: someone else "
                "assigned it at the same moment. Reload; a manager earns under one plan at a "
                "time in a company.",
                user=user,
            )
        )
