from odoo import models

from .xlsx_formats import add_formats
from .xlsx_formats import write_text

# column, label, data key, width; gap is a formula (quota - expected)
COLUMNS = [
    ("A", "Account Manager", "user", 22),
    ("B", "Sales Team", "team", 16),
    ("C", "Annual Quota", "quota", 15),
    ("D", "Actual to Date", "actual", 15),
    ("E", "Order Book", "order_book", 14),
    ("F", "Weighted Pipeline", "pipeline_weighted", 16),
    ("G", "Run-rate Projection", "run_rate", 16),
    ("H", "Worst Case", "worst", 14),
    ("I", "Expected", "expected", 14),
    ("J", "Best Case", "best", 14),
    ("K", "Gap to Quota", "gap", 14),
]


class AnnualForecastXlsx(models.AbstractModel):
    """The annual forecast as an Excel workbook, from the same provider as the PDF."""

    _name = "report.account_manager_suite.annual_forecast_xlsx"
    _inherit = "report.account_manager_suite.xlsx"
    _description = "Annual Forecast (XLSX)"

    def generate_xlsx_report(self, workbook, data, forecasts):
        for forecast in forecasts:
            self._write_sheet(workbook, forecast._report_data())

    def _labels(self):
        return {
            "user": self.env._("Account Manager"),
            "team": self.env._("Sales Team"),
            "quota": self.env._("Annual Quota"),
            "actual": self.env._("Actual to Date"),
            "order_book": self.env._("Order Book"),
            "pipeline_weighted": self.env._("Weighted Pipeline"),
            "run_rate": self.env._("Run-rate Projection"),
            "worst": self.env._("Worst Case"),
            "expected": self.env._("Expected"),
            "best": self.env._("Best Case"),
            "gap": self.env._("Gap to Quota"),
        }

    def _write_sheet(self, workbook, data):
        formats = add_formats(self, workbook, data["currency"])
        money, money_bold, header = formats["money"], formats["money_bold"], formats["header"]
        sheet = workbook.add_worksheet(self.env._("Forecast"))
        write_text(sheet, 0, 0, data["title"], formats["title"])
        if data["empty"]:
            sheet.write(
                2,
                0,
                self.env._(
                    "No quota, revenue, order or quotation in this year for the chosen managers."
                ),
            )
            return
        labels = self._labels()
        top = 2
        sheet.set_row(top, 30)  # two lines of header text
        for col, (_letter, _label, key, width) in enumerate(COLUMNS):
            sheet.write(top, col, labels[key], header)
            sheet.set_column(col, col, width)
        first = top + 1
        for offset, row in enumerate(data["rows"]):
            r = first + offset
            for col, (_letter, _label, key, _width) in enumerate(COLUMNS):
                if key in ("user", "team"):
                    write_text(sheet, r, col, row[key])
                elif key == "gap":
                    sheet.write_formula(r, col, f"=C{r + 1}-I{r + 1}", money, row["gap"])
                else:
                    sheet.write_number(r, col, row[key], money)
        last = first + len(data["rows"]) - 1
        total = last + 1
        sheet.write(total, 0, self.env._("Total"), money_bold)
        for col, (letter, _label, key, _width) in enumerate(COLUMNS[2:], start=2):
            sheet.write_formula(
                total,
                col,
                f"=SUM({letter}{first + 1}:{letter}{last + 1})",
                money_bold,
                data["totals"][key],
            )
        sheet.freeze_panes(top + 1, 1)
        sheet.autofilter(top, 0, last, len(COLUMNS) - 1)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
