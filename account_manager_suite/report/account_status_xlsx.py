from odoo import models

from .xlsx_formats import add_formats
from .xlsx_formats import sheet_name
from .xlsx_formats import write_text

BUCKETS = ("not_due", "1_30", "31_60", "61_90", "over_90")


class AccountStatusXlsx(models.AbstractModel):
    """Account status of a portfolio: a summary sheet (one row per account, aging
    buckets, totals as formulas) and one sheet per account."""

    _name = "report.account_manager_suite.account_status_xlsx"
    _inherit = "report.account_manager_suite.xlsx"
    _description = "Account Status (XLSX)"

    def generate_xlsx_report(self, workbook, data, partners):
        status = partners._account_status_data()
        formats = add_formats(self, workbook, status["currency"])
        money, money_bold = formats["money"], formats["money_bold"]
        date_format, header, title = formats["date"], formats["header"], formats["title"]
        labels = [
            self.env._("Account"),
            self.env._("Account Manager"),
            self.env._("Customer Tier"),
            self.env._("Health"),
            self.env._("Revenue This Year"),
            self.env._("Revenue Last Year"),
            self.env._("Not Due"),
            self.env._("1-30 Days"),
            self.env._("31-60 Days"),
            self.env._("61-90 Days"),
            self.env._("Over 90 Days"),
            self.env._("Open Receivables"),
            self.env._("Last Contact"),
            self.env._("Next Check-in"),
        ]
        sheet = workbook.add_worksheet(self.env._("Summary"))
        write_text(sheet, 0, 0, status["title"], title)
        top = 2
        sheet.set_row(top, 30)  # two lines of header text
        for col, label in enumerate(labels):
            sheet.write(top, col, label, header)
            sheet.set_column(col, col, 28 if col == 0 else 15)
        first = top + 1
        for offset, row in enumerate(status["rows"]):
            r = first + offset
            write_text(sheet, r, 0, row["account"])
            write_text(sheet, r, 1, row["manager"])
            write_text(sheet, r, 2, row["tier"])
            sheet.write_number(r, 3, row["health_score"])
            sheet.write_number(r, 4, row["revenue_this_year"], money)
            sheet.write_number(r, 5, row["revenue_last_year"], money)
            for col, bucket in enumerate(BUCKETS, start=6):
                sheet.write_number(r, col, row["aging"][bucket], money)
            sheet.write_formula(r, 11, f"=SUM(G{r + 1}:K{r + 1})", money, row["receivable"])
            for col, key in ((12, "last_contact"), (13, "next_checkin")):
                if row[key]:
                    sheet.write_datetime(r, col, row[key], date_format)
        last = first + len(status["rows"]) - 1
        total = last + 1
        sheet.write(total, 0, self.env._("Total"), header)
        # cached results too: viewers that do not recalculate on load show the right totals
        keys = ["revenue_this_year", "revenue_last_year", *BUCKETS, "receivable"]
        for col, key in enumerate(keys, start=4):
            letter = chr(ord("A") + col)
            if key in BUCKETS:
                cached = sum(row["aging"][key] for row in status["rows"])
            else:
                cached = sum(row[key] for row in status["rows"])
            sheet.write_formula(
                total, col, f"=SUM({letter}{first + 1}:{letter}{last + 1})", money_bold, cached
            )
        sheet.freeze_panes(top + 1, 1)
        sheet.autofilter(top, 0, last, len(labels) - 1)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        for row in status["rows"]:
            detail = workbook.add_worksheet(sheet_name(workbook, row["account"]))
            detail.set_column(0, 0, 28)
            detail.set_column(1, 1, 40)
            write_text(detail, 0, 0, row["account"], title)
            lines = [
                (self.env._("Account Manager"), row["manager"]),
                (self.env._("Account Team"), ", ".join(f"{n} ({r})" for n, r in row["team"])),
                (self.env._("Customer Tier"), row["tier"]),
                (self.env._("Health"), f"{row['health_score']} - {row['health_state']}"),
                (self.env._("At Risk"), row["at_risk"] or "-"),
                (self.env._("Why this score"), "; ".join(row["health_reasons"])),
                (self.env._("Open Quotations"), row["quotation_count"]),
                (self.env._("Customer Satisfaction"), row["satisfaction"] or "-"),
            ]
            for offset, (label, value) in enumerate(lines, start=2):
                detail.write(offset, 0, label, header)
                write_text(detail, offset, 1, value)
            detail.write(10, 0, self.env._("Open Account-plan Actions"), header)
            for offset, (name, owner, deadline) in enumerate(row["actions"], start=11):
                write_text(detail, offset, 0, name)
                write_text(detail, offset, 1, owner)
                detail.write_datetime(offset, 2, deadline, date_format)
