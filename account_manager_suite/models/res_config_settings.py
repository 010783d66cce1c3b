from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ams_default_cadence_days = fields.Integer(
        related="company_id.ams_default_cadence_days", readonly=False
    )
    ams_kickoff_delay_days = fields.Integer(
        related="company_id.ams_kickoff_delay_days", readonly=False
    )
    ams_quota_basis = fields.Selection(related="company_id.ams_quota_basis", readonly=False)
    ams_probation_period_type = fields.Selection(
        related="company_id.ams_probation_period_type", readonly=False
    )
    ams_probation_periods = fields.Integer(
        related="company_id.ams_probation_periods", readonly=False
    )
    ams_probation_threshold = fields.Float(
        related="company_id.ams_probation_threshold", readonly=False
    )
    ams_final_review_misses = fields.Integer(
        related="company_id.ams_final_review_misses", readonly=False
    )
    ams_probability_draft = fields.Float(related="company_id.ams_probability_draft", readonly=False)
    ams_probability_sent = fields.Float(related="company_id.ams_probability_sent", readonly=False)
    ams_commission_expense_account_id = fields.Many2one(
        related="company_id.ams_commission_expense_account_id", readonly=False
    )
    ams_commission_accrual_account_id = fields.Many2one(
        related="company_id.ams_commission_accrual_account_id", readonly=False
    )
    ams_commission_journal_id = fields.Many2one(
        related="company_id.ams_commission_journal_id", readonly=False
    )
    ams_health_weight_overdue = fields.Integer(
        related="company_id.ams_health_weight_overdue", readonly=False
    )
    ams_health_weight_dso = fields.Integer(
        related="company_id.ams_health_weight_dso", readonly=False
    )
    ams_health_weight_credit_notes = fields.Integer(
        related="company_id.ams_health_weight_credit_notes", readonly=False
    )
    ams_health_weight_trend = fields.Integer(
        related="company_id.ams_health_weight_trend", readonly=False
    )
    ams_health_weight_checkin = fields.Integer(
        related="company_id.ams_health_weight_checkin", readonly=False
    )
    ams_health_weight_risk = fields.Integer(
        related="company_id.ams_health_weight_risk", readonly=False
    )
    ams_health_weight_satisfaction = fields.Integer(
        related="company_id.ams_health_weight_satisfaction", readonly=False
    )
