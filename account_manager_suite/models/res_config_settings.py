from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ams_default_cadence_days = fields.Integer(
        related="company_id.ams_default_cadence_days", readonly=False
    )
    ams_kickoff_delay_days = fields.Integer(
        related="company_id.ams_kickoff_delay_days", readonly=False
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
