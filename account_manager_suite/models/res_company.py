from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from ..const import PERIOD_TYPES

# Health signals and their default weights (points out of 100).
HEALTH_WEIGHT_FIELDS = {
    "ams_health_weight_overdue": 20,
    "ams_health_weight_dso": 15,
    "ams_health_weight_credit_notes": 10,
    "ams_health_weight_trend": 15,
    "ams_health_weight_checkin": 10,
    "ams_health_weight_risk": 15,
    "ams_health_weight_satisfaction": 15,
}


class ResCompany(models.Model):
    _inherit = "res.company"

    ams_default_cadence_days = fields.Integer(
        string="Default Check-in Cadence (days)",
        default=30,
        help="Cadence of accounts without a customer tier.",
    )
    ams_kickoff_delay_days = fields.Integer(
        string="Kick-off Activity Delay (days)",
        default=3,
        help="Days after a hand-over by which the new account manager should hold the "
        "kick-off with the customer.",
    )
    ams_quota_basis = fields.Selection(
        [("invoiced", "Invoiced Revenue"), ("booked", "Booked Revenue")],
        string="Quota Basis",
        default="invoiced",
        required=True,
    )
    ams_probation_period_type = fields.Selection(
        PERIOD_TYPES,
        string="Review Periods",
        default="quarter",
        required=True,
    )
    ams_probation_periods = fields.Integer(
        string="Misses Before Probation",
        default=2,
        help="Consecutive closed periods below the threshold that put a manager on probation.",
    )
    ams_probation_threshold = fields.Float(string="Attainment Threshold (%)", default=100.0)
    ams_final_review_misses = fields.Integer(
        string="Misses on Probation Before Final Review", default=1
    )
    ams_probability_draft = fields.Float(string="Pipeline Probability: Quotation (%)", default=20.0)
    ams_probability_sent = fields.Float(
        string="Pipeline Probability: Quotation Sent (%)", default=50.0
    )
    ams_commission_expense_account_id = fields.Many2one(
        "account.account",
        string="Commission Expense Account",
        domain=[("account_type", "=", "expense")],
    )
    ams_commission_accrual_account_id = fields.Many2one(
        "account.account",
        string="Accrued Commissions Account",
        domain=[("account_type", "in", ("liability_current", "liability_payable"))],
        help="Liability credited by the accrual at the end of each period.",
    )
    ams_commission_journal_id = fields.Many2one(
        "account.journal",
        string="Commission Accrual Journal",
        domain=[("type", "=", "general")],
    )
    ams_health_weight_overdue = fields.Integer(
        string="Weight: Overdue Receivables",
        default=HEALTH_WEIGHT_FIELDS["ams_health_weight_overdue"],
    )
    ams_health_weight_dso = fields.Integer(
        string="Weight: Days Sales Outstanding",
        default=HEALTH_WEIGHT_FIELDS["ams_health_weight_dso"],
    )
    ams_health_weight_credit_notes = fields.Integer(
        string="Weight: Credit-note Ratio",
        default=HEALTH_WEIGHT_FIELDS["ams_health_weight_credit_notes"],
    )
    ams_health_weight_trend = fields.Integer(
        string="Weight: Revenue Trend", default=HEALTH_WEIGHT_FIELDS["ams_health_weight_trend"]
    )
    ams_health_weight_checkin = fields.Integer(
        string="Weight: Overdue Check-in", default=HEALTH_WEIGHT_FIELDS["ams_health_weight_checkin"]
    )
    ams_health_weight_risk = fields.Integer(
        string="Weight: Open At-risk Flag", default=HEALTH_WEIGHT_FIELDS["ams_health_weight_risk"]
    )
    ams_health_weight_satisfaction = fields.Integer(
        string="Weight: Customer Satisfaction",
        default=HEALTH_WEIGHT_FIELDS["ams_health_weight_satisfaction"],
        help="The latest customer assessment of the last 12 months: satisfaction and "
        "relationship quality.",
    )

    @api.constrains(
        "ams_probation_periods",
        "ams_probation_threshold",
        "ams_final_review_misses",
        "ams_probability_draft",
        "ams_probability_sent",
    )
    def _check_quota_settings(self):
        for company in self:
            if company.ams_probation_periods < 1 or company.ams_final_review_misses < 1:
                raise ValidationError(
                    self.env._(
                        "Misses Before Probation and Misses on Probation Before Final Review "
                        "must be at least 1."
                    )
                )
            if not 0 < company.ams_probation_threshold <= 1000:
                raise ValidationError(
                    self.env._("The Attainment Threshold must be a percentage above 0, e.g. 100.")
                )
            for probability in (company.ams_probability_draft, company.ams_probability_sent):
                if not 0 <= probability <= 100:
                    raise ValidationError(
                        self.env._("Pipeline probabilities are percentages between 0 and 100.")
                    )

    @api.constrains("ams_default_cadence_days", "ams_kickoff_delay_days", *HEALTH_WEIGHT_FIELDS)
    def _check_account_management_settings(self):
        for company in self:
            if company.ams_default_cadence_days <= 0:
                raise ValidationError(
                    self.env._(
                        "Default Check-in Cadence must be at least 1 day (got %(days)s).",
                        days=company.ams_default_cadence_days,
                    )
                )
            if company.ams_kickoff_delay_days < 0:
                raise ValidationError(
                    self.env._("Kick-off Activity Delay cannot be negative: enter 0 or more days.")
                )
            weights = [company[name] for name in HEALTH_WEIGHT_FIELDS]
            if any(weight < 0 for weight in weights) or not sum(weights):
                raise ValidationError(
                    self.env._(
                        "Health score weights must be zero or positive, and at least one "
                        "must be positive."
                    )
                )

    def _ams_commission_accounts(self):
        """The accounts and journal commissions are booked with; refuses clearly when the
        configuration is missing."""
        self.ensure_one()
        missing = [
            label
            for label, value in (
                (self.env._("Commission Expense Account"), self.ams_commission_expense_account_id),
                (self.env._("Accrued Commissions Account"), self.ams_commission_accrual_account_id),
                (self.env._("Commission Accrual Journal"), self.ams_commission_journal_id),
            )
            if not value
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Configure %(fields)s for %(company)s in Account Management > "
                    "Configuration > Settings before accruing or settling commissions.",
                    fields=", ".join(missing),
                    company=self.name,
                )
            )
        return (
            self.ams_commission_expense_account_id,
            self.ams_commission_accrual_account_id,
            self.ams_commission_journal_id,
        )

    def _ams_health_weights(self):
        self.ensure_one()
        return {name: self[name] for name in HEALTH_WEIGHT_FIELDS}
