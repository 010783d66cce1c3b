from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..const import acts_as_director
from .workflow_guard import workflow


class AccountManagerCommissionAdjustment(models.Model):
    """A manual correction of a manager's commission: never an edited amount, but a line
    of its own kind (``adjustment``), with a reason, its author and a sales director's
    approval, logged in the chatter and shown on the commission statement."""

    _name = "account.manager.commission.adjustment"
    _description = "Commission Adjustment"
    _inherit = ["mail.thread", "account.manager.input.mixin"]
    _order = "date desc, id desc"
    # the approval and its line are the action's (workflow_guard)
    _ams_workflow_fields = ("state", "author_id", "approved_by_id", "line_id")

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        required=True,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The adjustment counts in the commission period of this date.",
    )
    amount = fields.Monetary(
        required=True, tracking=True, help="Added to the commission; negative to deduct."
    )
    reason = fields.Text(required=True, tracking=True)
    author_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    state = fields.Selection(
        [("draft", "To Approve"), ("approved", "Approved"), ("refused", "Refused")],
        string="Status",
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    line_id = fields.Many2one(
        "account.manager.commission.line", string="Commission Line", readonly=True, copy=False
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.depends("user_id", "date")
    def _compute_name(self):
        for adjustment in self:
            adjustment.name = f"{adjustment.user_id.name or ''} {adjustment.date or ''}".strip()

    def write(self, vals):
        if any(adjustment.state != "draft" for adjustment in self) and vals.keys() - {
            "message_main_attachment_id"
        }:
            if not self.env.su:
                raise UserError(
                    self.env._(
                        "An approved or refused adjustment is part of the commission record: "
                        "add a new adjustment instead of changing it."
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        if any(adjustment.state != "draft" for adjustment in self):
            raise UserError(self.env._("Only adjustments waiting for approval can be deleted."))

    def action_approve(self):
        """A sales director approves: the adjustment becomes a commission line of its
        manager's period, settled with the other lines."""
        self._check_approver()
        Line = self.env["account.manager.commission.line"]
        for adjustment in self:
            plan = Line._plans_of(adjustment.user_id, adjustment.date, adjustment.company_id)[
                adjustment.user_id.id
            ]
            start, end = plan._period_of(adjustment.date)
            line = workflow(Line).create(
                {
                    "user_id": adjustment.user_id.id,
                    "plan_id": plan.id,
                    "date_from": start,
                    "date_to": end,
                    "date": adjustment.date,
                    "rule_type": "adjustment",
                    "base_amount": 0.0,
                    "rate": 0.0,
                    "amount": adjustment.currency_id.round(adjustment.amount),
                    "company_id": adjustment.company_id.id,
                }
            )
            workflow(adjustment).write(
                {"state": "approved", "approved_by_id": self.env.uid, "line_id": line.id}
            )
            adjustment.message_post(
                body=self.env._(
                    "Approved by %(user)s: %(amount)s in the commissions of %(start)s - "
                    "%(end)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    amount=format_amount(self.env, line.amount, adjustment.currency_id),
                    start=start,
                    end=end,
                    reason=adjustment.reason,
                )
            )
        return True

    def action_refuse(self):
        self._check_approver()
        workflow(self).write({"state": "refused", "approved_by_id": self.env.uid})
        for adjustment in self:
            adjustment.message_post(
                body=self.env._("Refused by %(user)s.", user=self.env.user.name)
            )
        return True

    def _check_approver(self):
        if not acts_as_director(self.env):
            raise AccessError(self.env._("Only a Sales Director approves commission adjustments."))
        for adjustment in self:
            if adjustment.state != "draft":
                raise UserError(
                    self.env._("%(name)s is decided already.", name=adjustment.display_name)
                )
            if self.env.user in (adjustment.author_id, adjustment.user_id):
                raise AccessError(
                    self.env._(
                        "%(name)s is your own (as its author or its account manager): another "
                        "sales director decides it.",
                        name=adjustment.display_name,
                    )
                )
