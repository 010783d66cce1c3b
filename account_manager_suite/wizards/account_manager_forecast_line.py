from odoo import fields
from odoo import models


class AccountManagerForecastLine(models.TransientModel):
    _name = "account.manager.forecast.line"
    _inherit = ["account.manager.input.mixin"]
    _description = "Annual Forecast Line"
    _order = "team_id, user_id"

    forecast_id = fields.Many2one("account.manager.forecast", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="forecast_id.currency_id")
    user_id = fields.Many2one("res.users", string="Account Manager")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    quota = fields.Monetary(string="Annual Quota")
    actual = fields.Monetary(string="Actual to Date")
    order_book = fields.Monetary()
    pipeline = fields.Monetary(string="Open Pipeline")
    pipeline_weighted = fields.Monetary(string="Weighted Pipeline")
    run_rate = fields.Monetary(string="Run-rate Projection")
    worst = fields.Monetary(string="Worst Case")
    expected = fields.Monetary()
    best = fields.Monetary(string="Best Case")
    gap = fields.Monetary(string="Gap to Quota")
