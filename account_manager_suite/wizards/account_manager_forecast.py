from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class AccountManagerForecast(models.TransientModel):
    """Annual forecast per account manager and team for a year: the choice of the year
    and the managers, and the forecast's lines. The figures are the report model's
    (``report.account_manager_suite.report_annual_forecast``), which the PDF and the XLSX
    show too."""

    _name = "account.manager.forecast"
    _inherit = ["account.manager.input.mixin"]
    _description = "Annual Forecast"

    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    team_id = fields.Many2one("crm.team", string="Sales Team")
    user_ids = fields.Many2many(
        "res.users", string="Account Managers", help="Empty: every manager with a quota or revenue."
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("account.manager.forecast.line", "forecast_id", readonly=True)

    @api.constrains("year")
    def _check_year(self):
        for forecast in self:
            if not 2000 <= forecast.year <= 2100:
                raise ValidationError(
                    self.env._(
                        "Year %(year)s is not a valid year for a forecast.", year=forecast.year
                    )
                )

    @api.readonly
    def onchange(self, values, field_names, fields_spec):
        # The forecast's computation (see _onchange_compute_lines) reads the books and
        # writes nothing: let Odoo serve it from a replica (db_replica_host).
        return super().onchange(values, field_names, fields_spec)

    @api.onchange("year", "team_id", "user_ids", "company_id")
    def _onchange_compute_lines(self):
        """The forecast shows as soon as it opens, and follows the year, team and
        managers chosen (the PDF and XLSX compute the same rows again)."""
        self.line_ids = self._line_commands()

    def _line_commands(self):
        """The forecast lines of the year, team and managers chosen, as commands that
        replace the lines there are (none for a year out of range)."""
        if not 2000 <= (self.year or 0) <= 2100:
            return [Command.clear()]
        rows = self.env["report.account_manager_suite.report_annual_forecast"]._forecast_rows(
            self.year, self._selected_users(), self.company_id or self.env.company
        )
        return [Command.clear()] + [Command.create(row) for row in rows]

    def action_compute(self):
        self.ensure_one()
        self.line_ids = self._line_commands()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_print_pdf(self):
        return self.env.ref("account_manager_suite.action_report_annual_forecast").report_action(
            self
        )

    def action_export_xlsx(self):
        return self.env.ref(
            "account_manager_suite.action_report_annual_forecast_xlsx"
        ).report_action(self)

    def _selected_users(self):
        users = self.user_ids
        if self.team_id:
            users |= self.team_id.member_ids
        return users or None
