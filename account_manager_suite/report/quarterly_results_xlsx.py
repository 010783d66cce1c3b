from odoo import models

from .xlsx_formats import add_formats
from .xlsx_formats import sheet_name
from .xlsx_formats import write_text


class QuarterlyResultsXlsx(models.AbstractModel):
    """The quarterly results as an Excel workbook: a summary sheet with real formulas and a
    chart of attainment, and one sheet per manager with their top accounts."""

    _name = "report.account_manager_suite.quarterly_results_xlsx"
    _inherit = "report.account_manager_suite.xlsx"
    _description = "Quarterly Sales Results (XLSX)"

    def generate_xlsx_report(self, workbook, data, wizards):
        for wizard in wizards:
            self._write_workbook(workbook, wizard._report_data())

    def _write_workbook(self, workbook, data):
        formats = add_formats(self, workbook, data["currency"])
        money, money_bold = formats["money"], formats["money_bold"]
        percent, percent_bold = formats["percent"], formats["percent_bold"]
        bold, header, title = formats["bold"], formats["header"], formats["title"]
        sheet = workbook.add_worksheet(self.env._("Summary"))
        write_text(sheet, 0, 0, data["title"], title)
        sheet.write(1, 0, f"{data['date_from']} - {data['date_to']}")
        if data["empty"]:
            sheet.write(
                3, 0, self.env._("No quota and no revenue in this quarter for the chosen managers.")
            )
            return
        columns = [
            (self.env._("Account Manager"), 22),
            (self.env._("Sales Team"), 18),
            (self.env._("Quota"), 14),
            (self.env._("Actual"), 14),
            (self.env._("Attainment"), 12),
            (self.env._("Previous Quarter"), 16),
            (self.env._("vs Previous Quarter"), 14),
            (self.env._("Same Quarter Last Year"), 18),
            (self.env._("vs Last Year"), 12),
            (self.env._("New Business"), 14),
            (self.env._("Existing Customers"), 16),
            (self.env._("Commission"), 14),
            (self.env._("Accounts"), 10),
            (self.env._("Satisfaction"), 12),
            (self.env._("Status"), 14),
        ]
        top = 3
        sheet.set_row(top, 30)  # two lines of header text
        for col, (label, width) in enumerate(columns):
            sheet.write(top, col, label, header)
            sheet.set_column(col, col, width)
        first = top + 1
        for offset, row in enumerate(data["rows"]):
            r = first + offset
            excel_row = r + 1
            write_text(sheet, r, 0, row["user"])
            write_text(sheet, r, 1, row["team"])
            sheet.write_number(r, 2, row["quota"], money)
            sheet.write_number(r, 3, row["actual"], money)
            sheet.write_formula(
                r,
                4,
                f"=IF(C{excel_row}=0,0,D{excel_row}/C{excel_row})",
                percent,
                row["attainment"],
            )
            sheet.write_number(r, 5, row["previous"], money)
            sheet.write_formula(
                r,
                6,
                f"=IF(F{excel_row}=0,0,(D{excel_row}-F{excel_row})/F{excel_row})",
                percent,
                row["change_previous"],
            )
            sheet.write_number(r, 7, row["last_year"], money)
            sheet.write_formula(
                r,
                8,
                f"=IF(H{excel_row}=0,0,(D{excel_row}-H{excel_row})/H{excel_row})",
                percent,
                row["change_last_year"],
            )
            sheet.write_number(r, 9, row["new_business"], money)
            sheet.write_number(r, 10, row["existing"], money)
            sheet.write_number(r, 11, row["commission"], money)
            sheet.write_number(r, 12, row["accounts"], formats["count"])
            if row["satisfaction"] is not None:
                sheet.write_number(r, 13, row["satisfaction"], formats["rating"])
            write_text(sheet, r, 14, row["status"])
        last = first + len(data["rows"]) - 1
        total = last + 1
        sheet.write(total, 0, self.env._("Total"), bold)
        # cached results too: viewers that do not recalculate on load show the right totals
        sums = {
            key: sum(row[key] for row in data["rows"])
            for key in (
                "quota",
                "actual",
                "previous",
                "last_year",
                "new_business",
                "existing",
                "commission",
            )
        }
        for col, letter, key in (
            (2, "C", "quota"),
            (3, "D", "actual"),
            (5, "F", "previous"),
            (7, "H", "last_year"),
            (9, "J", "new_business"),
            (10, "K", "existing"),
            (11, "L", "commission"),
        ):
            sheet.write_formula(
                total, col, f"=SUM({letter}{first + 1}:{letter}{last + 1})", money_bold, sums[key]
            )
        sheet.write_formula(
            total,
            4,
            f"=IF(C{total + 1}=0,0,D{total + 1}/C{total + 1})",
            percent_bold,
            data["total_attainment"],
        )
        sheet.write_formula(
            total,
            12,
            f"=SUM(M{first + 1}:M{last + 1})",
            formats["count_bold"],
            data["total_accounts"],
        )
        # the average of every assessment, not of the managers' averages: a value
        if data["total_satisfaction"] is not None:
            sheet.write_number(total, 13, data["total_satisfaction"], formats["rating_bold"])
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
        sheet.insert_chart(total + 3, 0, chart)
        for row in data["rows"]:
            self._write_manager_sheet(workbook, row, money, money_bold, header, title)

    def _write_manager_sheet(self, workbook, row, money, money_bold, header, title):
        sheet = workbook.add_worksheet(sheet_name(workbook, row["user"]))
        write_text(sheet, 0, 0, row["user"], title)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 1, 16)
        sheet.write(2, 0, self.env._("Top Accounts"), header)
        sheet.write(2, 1, self.env._("Revenue"), header)
        for offset, (account, amount) in enumerate(row["top"], start=3):
            write_text(sheet, offset, 0, account)
            sheet.write_number(offset, 1, amount, money)
        end = 3 + len(row["top"])
        sheet.write(end, 0, self.env._("Total"), header)
        sheet.write_formula(end, 1, f"=SUM(B4:B{end})", money_bold, sum(a for _n, a in row["top"]))
        sheet.freeze_panes(3, 0)
