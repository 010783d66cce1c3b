from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import date_utils

QUARTERS = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]


class AccountManagerQuarterlyReportWizard(models.TransientModel):
    """Quarterly sales results for senior management, as PDF or XLSX: the choice of the
    quarter and the managers. The figures are the report model's
    (``report.account_manager_suite.report_quarterly_results``), the one provider of both
    formats."""

    _name = "account.manager.quarterly.report.wizard"
    _inherit = ["account.manager.input.mixin"]
    _description = "Quarterly Sales Results"

    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    quarter = fields.Selection(
        QUARTERS,
        required=True,
        default=lambda self: str(date_utils.get_quarter_number(fields.Date.context_today(self))),
    )
    team_id = fields.Many2one("crm.team", string="Sales Team")
    user_ids = fields.Many2many(
        "res.users",
        string="Account Managers",
        help="Empty: every manager with a quota or revenue in the quarter.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    @api.model
    def default_get(self, fields_list):
        """Opened from selected quotas: their quarter and managers."""
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "account.manager.quota":
            quotas = self.env["account.manager.quota"].browse(
                self.env.context.get("active_ids", [])
            )
            if quotas:
                start = min(quotas.mapped("date_from"))
                values.update(
                    {
                        "year": start.year,
                        "quarter": str(date_utils.get_quarter_number(start)),
                        "user_ids": [(6, 0, quotas.user_id.ids)],
                    }
                )
        return values

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not 2000 <= wizard.year <= 2100:
                raise ValidationError(
                    self.env._(
                        "Year %(year)s is not a valid report year: enter a year such as %(now)s.",
                        year=wizard.year,
                        now=fields.Date.context_today(self).year,
                    )
                )

    def action_print_pdf(self):
        return self._report_action("account_manager_suite.action_report_quarterly_results")

    def action_export_xlsx(self):
        return self._report_action("account_manager_suite.action_report_quarterly_results_xlsx")

    def _report_action(self, xmlid):
        # the wizard's dialog closes once the file is downloaded
        return {**self.env.ref(xmlid).report_action(self), "close_on_report_download": True}
