from odoo import models

from .account_manager_xlsx import Column
from .xlsx_formats import add_formats


class AnnualForecastXlsx(models.AbstractModel):
    """The annual forecast as an Excel workbook, from the same provider as the PDF
    (``report_annual_forecast._get_report_values``)."""

    _name = "report.account_manager_suite.annual_forecast_xlsx"
    _inherit = "report.account_manager_suite.xlsx"
    _description = "Annual Forecast (XLSX)"

    def generate_xlsx_report(self, workbook, data, forecasts):
        values = self.env["report.account_manager_suite.report_annual_forecast"]._get_report_values(
            forecasts.ids, data
        )
        for forecast in values["docs"]:
            self._write_sheet(workbook, values["reports"][forecast.id])

    def _columns(self):
        money = [
            ("quota", self.env._("Annual Quota"), 15),
            ("actual", self.env._("Actual to Date"), 15),
            ("order_book", self.env._("Order Book"), 14),
            ("pipeline_weighted", self.env._("Weighted Pipeline"), 16),
            ("run_rate", self.env._("Run-rate Projection"), 16),
            ("worst", self.env._("Worst Case"), 14),
            ("expected", self.env._("Expected"), 14),
            ("best", self.env._("Best Case"), 14),
        ]
        return [
            Column("user", self.env._("Account Manager"), 22),
            Column("team", self.env._("Sales Team"), 16),
            *(Column(key, label, width, "money", total="sum") for key, label, width in money),
            Column(
                "gap",
                self.env._("Gap to Quota"),
                14,
                "money",
                formula="={quota}-{expected}",
                total="sum",
            ),
        ]

    def _write_sheet(self, workbook, data):
        formats = add_formats(self, workbook, data["currency"])
        sheet = workbook.add_worksheet(self.env._("Forecast"))
        sheet.write(0, 0, data["title"], formats["title"])
        if data["empty"]:
            sheet.write(
                2,
                0,
                self.env._(
                    "No quota, revenue, order or quotation in this year for the chosen managers."
                ),
            )
            return
        columns = self._columns()
        top = 2
        _first, last = self._write_table(
            sheet, formats, columns, data["rows"], top, data["totals"], self.env._("Total")
        )
        sheet.freeze_panes(top + 1, 1)
        sheet.autofilter(top, 0, last, len(columns) - 1)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
