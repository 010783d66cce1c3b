from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class AccountManagerAccountPlan(models.Model):
    """An account plan for a key account, built on the four pillars: the co-creation
    conversation with the customer, a win-win relationship, the cornerstones of the plan
    (objectives, decision makers, actions) and its regular review."""

    _name = "account.manager.account.plan"
    _description = "Account Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "account.manager.input.mixin"]
    _order = "review_date, id desc"

    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        domain=[("is_company", "=", True)],
    )
    user_id = fields.Many2one(
        related="partner_id.account_manager_id", string="Account Manager", store=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
    )
    date_start = fields.Date(string="Start", default=fields.Date.context_today, required=True)
    review_date = fields.Date(tracking=True)
    customer_goals = fields.Html(
        help="Co-creation: what the customer wants to achieve, in their own words."
    )
    value_proposition = fields.Html(
        string="Win-win", help="What both sides gain from the relationship."
    )
    objectives = fields.Html()
    contact_ids = fields.One2many(
        "account.manager.account.plan.contact", "plan_id", string="Decision Makers"
    )
    action_ids = fields.One2many("account.manager.account.plan.action", "plan_id", string="Actions")
    open_action_count = fields.Integer(compute="_compute_open_action_count")

    @api.depends("action_ids.state")
    def _compute_open_action_count(self):
        for plan in self:
            plan.open_action_count = len(plan.action_ids.filtered(lambda a: a.state == "open"))

    @api.constrains("date_start", "review_date")
    def _check_review_date(self):
        for plan in self:
            if plan.review_date and plan.review_date < plan.date_start:
                raise ValidationError(
                    self.env._(
                        "The Review Date of %(plan)s (%(review)s) is before its Start "
                        "(%(start)s): choose a later review date.",
                        plan=plan.name,
                        review=plan.review_date,
                        start=plan.date_start,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner(self):
        for plan in self:
            if plan.partner_id.commercial_partner_id != plan.partner_id:
                raise ValidationError(
                    self.env._(
                        "An account plan belongs to the account %(account)s, not to its "
                        "contact: choose the company as Account.",
                        account=plan.partner_id.commercial_partner_id.display_name,
                    )
                )

    def action_activate(self):
        self.write({"state": "active"})

    def action_close(self):
        self.write({"state": "closed"})
