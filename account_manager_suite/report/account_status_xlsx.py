from odoo import models

from ..const import AGING_BUCKETS
from .account_manager_xlsx import Column
from .xlsx_formats import add_formats
from .xlsx_formats import sheet_name
from .xlsx_formats import write_text


class AccountStatusXlsx(models.AbstractModel):
    """Account status of a portfolio: a summary sheet (one row per account, aging
    buckets, totals as formulas) and one sheet per account. The figures are those of the
    PDF: ``report_account_status._get_report_values``."""

    _name = "report.account_manager_suite.account_status_xlsx"
    _inherit = "report.account_manager_suite.xlsx"
    _description = "Account Status (XLSX)"

    def generate_xlsx_report(self, workbook, data, partners):
        status = self.env["report.account_manager_suite.report_account_status"]._get_report_values(
            partners.ids, data
        )["status"]
        formats = add_formats(self, workbook, status["currency"])
        sheet = workbook.add_worksheet(self.env._("Summary"))
        sheet.write(0, 0, status["title"], formats["title"])
        columns = self._columns()
        top = 2
        _first, last = self._write_table(
            sheet,
            {**formats, "total_label": formats["header"]},
            columns,
            status["rows"],
            top,
            total_label=self.env._("Total"),
        )
        sheet.freeze_panes(top + 1, 1)
        sheet.autofilter(top, 0, last, len(columns) - 1)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        for row in status["rows"]:
            self._write_account_sheet(workbook, formats, row)

    def _columns(self):
        buckets = [
            self.env._("Not Due"),
            self.env._("1-30 Days"),
            self.env._("31-60 Days"),
            self.env._("61-90 Days"),
            self.env._("Over 90 Days"),
        ]
        return [
            Column("account", self.env._("Account"), 28),
            Column("manager", self.env._("Account Manager"), 15),
            Column("tier", self.env._("Customer Tier"), 15),
            Column("health_score", self.env._("Health"), 15, "number"),
            Column("revenue_this_year", self.env._("Revenue This Year"), 15, "money", total="sum"),
            Column("revenue_last_year", self.env._("Revenue Last Year"), 15, "money", total="sum"),
            *(
                Column(
                    bucket,
                    label,
                    15,
                    "money",
                    total="sum",
                    value=lambda row, bucket=bucket: row["aging"][bucket],
                )
                for bucket, label in zip(AGING_BUCKETS, buckets, strict=True)
            ),
            Column(
                "receivable",
                self.env._("Open Receivables"),
                15,
                "money",
                formula=f"=SUM({{{AGING_BUCKETS[0]}}}:{{{AGING_BUCKETS[-1]}}})",
                total="sum",
            ),
            Column("last_contact", self.env._("Last Contact"), 15, "date"),
            Column("next_checkin", self.env._("Next Check-in"), 15, "date"),
        ]

    def _write_account_sheet(self, workbook, formats, row):
        detail = workbook.add_worksheet(sheet_name(workbook, row["account"]))
        detail.set_column(0, 0, 28)
        detail.set_column(1, 1, 40)
        write_text(detail, 0, 0, row["account"], formats["title"])
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
            detail.write(offset, 0, label, formats["header"])
            detail.write(offset, 1, value)
        detail.write(10, 0, self.env._("Open Account-plan Actions"), formats["header"])
        for offset, (name, owner, deadline) in enumerate(row["actions"], start=11):
            write_text(detail, offset, 0, name)
            write_text(detail, offset, 1, owner)
            detail.write_datetime(offset, 2, deadline, formats["date"])
