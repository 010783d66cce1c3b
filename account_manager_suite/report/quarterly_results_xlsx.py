from odoo import models

from .account_manager_xlsx import Column
from .xlsx_formats import add_formats
from .xlsx_formats import sheet_name
from .xlsx_formats import write_text

# what a change against a period without revenue reads (the PDF prints the same)
NO_CHANGE = "—"


class QuarterlyResultsXlsx(models.AbstractModel):
    """The quarterly results as an Excel workbook: a summary sheet with real formulas and a
    chart of attainment, and one sheet per manager with their top accounts. The figures
    are those of the PDF: ``report_quarterly_results._get_report_values``."""

    _name = "report.account_manager_suite.quarterly_results_xlsx"
    _inherit = "report.account_manager_suite.xlsx"
    _description = "Quarterly Sales Results (XLSX)"

    def generate_xlsx_report(self, workbook, data, wizards):
        values = self.env[
            "report.account_manager_suite.report_quarterly_results"
        ]._get_report_values(wizards.ids, data)
        for wizard in values["docs"]:
            self._write_workbook(workbook, values["reports"][wizard.id])

    def _columns(self):
        change = f'=IF({{before}}=0,"{NO_CHANGE}",({{actual}}-{{before}})/{{before}})'
        return [
            Column("user", self.env._("Account Manager"), 22),
            Column("team", self.env._("Sales Team"), 18),
            Column("quota", self.env._("Quota"), 14, "money", total="sum"),
            Column("actual", self.env._("Actual"), 14, "money", total="sum"),
            Column(
                "attainment",
                self.env._("Attainment"),
                12,
                "percent",
                formula="=IF({quota}=0,0,{actual}/{quota})",
                total="=IF({quota}=0,0,{actual}/{quota})",
            ),
            Column("previous", self.env._("Previous Quarter"), 16, "money", total="sum"),
            Column(
                "change_previous",
                self.env._("vs Previous Quarter"),
                14,
                "percent",
                formula=change.replace("{before}", "{previous}"),
                value=lambda row: _or_dash(row["change_previous"]),
            ),
            Column("last_year", self.env._("Same Quarter Last Year"), 18, "money", total="sum"),
            Column(
                "change_last_year",
                self.env._("vs Last Year"),
                12,
                "percent",
                formula=change.replace("{before}", "{last_year}"),
                value=lambda row: _or_dash(row["change_last_year"]),
            ),
            Column("new_business", self.env._("New Business"), 14, "money", total="sum"),
            Column("existing", self.env._("Existing Customers"), 16, "money", total="sum"),
            Column("commission", self.env._("Commission"), 14, "money", total="sum"),
            Column("accounts", self.env._("Accounts"), 10, "count", total="sum"),
            # the average of every assessment, not of the managers' averages: a value
            Column("satisfaction", self.env._("Satisfaction"), 12, "rating", total="value"),
            Column("status", self.env._("Status"), 14),
        ]

    def _write_workbook(self, workbook, data):
        formats = add_formats(self, workbook, data["currency"])
        sheet = workbook.add_worksheet(self.env._("Summary"))
        sheet.write(0, 0, data["title"], formats["title"])
        sheet.write(1, 0, f"{data['date_from']} - {data['date_to']}")
        if data["empty"]:
            sheet.write(
                3, 0, self.env._("No quota and no revenue in this quarter for the chosen managers.")
            )
            return
        columns = self._columns()
        top = 3
        totals = {
            "attainment": data["total_attainment"],
            "accounts": data["total_accounts"],
            "satisfaction": data["total_satisfaction"],
        }
        first, last = self._write_table(
            sheet, formats, columns, data["rows"], top, totals, self.env._("Total")
        )
        sheet.freeze_panes(top + 1, 1)
        sheet.autofilter(top, 0, last, len(columns) - 1)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        chart = workbook.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": self.env._("Attainment"),
                "categories": [sheet.name, first, 0, last, 0],
                "values": [sheet.name, first, 4, last, 4],
            }
        )
        chart.set_title({"name": self.env._("Attainment by Account Manager")})
        chart.set_y_axis({"num_format": "0%"})
        chart.set_legend({"none": True})
        sheet.insert_chart(last + 4, 0, chart)
        for row in data["rows"]:
            self._write_manager_sheet(workbook, formats, row)

    def _write_manager_sheet(self, workbook, formats, row):
        sheet = workbook.add_worksheet(sheet_name(workbook, row["user"]))
        write_text(sheet, 0, 0, row["user"], formats["title"])
        columns = [
            Column("account", self.env._("Top Accounts"), 40),
            Column("amount", self.env._("Revenue"), 16, "money", total="sum"),
        ]
        top = [{"account": account, "amount": amount} for account, amount in row["top"]]
        formats = {**formats, "total_label": formats["header"]}
        self._write_table(
            sheet, formats, columns, top, 2, total_label=self.env._("Total"), header_height=None
        )
        sheet.freeze_panes(3, 0)


def _or_dash(change):
    return NO_CHANGE if change is None else change
