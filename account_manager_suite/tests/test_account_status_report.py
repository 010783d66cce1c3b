"""Account status report: one account or a portfolio, PDF and XLSX with the same figures."""

import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestAccountStatusReport(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alpha = cls.create_account(
            "Alpha AG", cls.anna, since=date(2025, 1, 1), tier=cls.tier_key
        )
        cls.alpha.account_team_member_ids = [
            (0, 0, {"user_id": cls.budi.id, "role": "project_manager"})
        ]
        cls.beta = cls.create_account("Beta GmbH", cls.anna, since=date(2025, 1, 1))
        cls.gamma = cls.create_account("Gamma KG", cls.clara, since=date(2025, 1, 1))
        cls.env["account.manager.assessment"].create(
            {
                "partner_id": cls.alpha.id,
                "date": date(2026, 6, 1),
                "satisfaction": "4",
                "relationship": "good",
            }
        )
        # receivables due 10, 45 and 100 days before 30 June 2026, one not due yet
        cls.create_invoice(cls.alpha, date(2026, 6, 20), 100.0)
        cls.create_invoice(cls.alpha, date(2026, 5, 16), 200.0)
        cls.create_invoice(cls.alpha, date(2026, 3, 22), 300.0)
        cls.create_invoice(cls.alpha, date(2026, 6, 25), 400.0, due=date(2026, 7, 25))
        cls.create_invoice(cls.alpha, date(2025, 4, 1), 5000.0)
        cls.pay(
            cls.env["account.move"].search(
                [("partner_id", "=", cls.alpha.id), ("amount_total", "=", 5000.0)]
            ),
            5000.0,
            date(2025, 4, 2),
        )
        cls.env["account.manager.account.plan"].create(
            {
                "name": "Alpha plan",
                "partner_id": cls.alpha.id,
                "action_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Workshop",
                            "user_id": cls.anna.id,
                            "date_deadline": date(2026, 7, 15),
                        },
                    )
                ],
            }
        )

    def status_data(self, partners):
        report = self.env["report.account_manager_suite.report_account_status"]
        return report.with_user(self.anna)._get_report_values(partners.ids)["status"]

    @freeze_time("2026-06-30")
    def test_aging_and_figures(self):
        data = self.status_data(self.alpha | self.beta)
        alpha = data["rows"][0]
        self.assertEqual(alpha["account"], "Alpha AG")
        self.assertEqual(
            alpha["aging"],
            {"not_due": 400.0, "1_30": 100.0, "31_60": 200.0, "61_90": 0.0, "over_90": 300.0},
        )
        self.assertEqual((alpha["receivable"], alpha["overdue"]), (1000.0, 600.0))
        self.assertEqual((alpha["revenue_this_year"], alpha["revenue_last_year"]), (1000.0, 5000.0))
        self.assertEqual(alpha["team"], [("Budi Santoso", "Project Manager")])
        self.assertEqual(alpha["actions"], [("Workshop", "Anna Becker", date(2026, 7, 15))])
        self.assertEqual(data["rows"][1]["account"], "Beta GmbH")

    @freeze_time("2026-06-30")
    def test_pdf_and_xlsx_agree_and_others_are_left_out(self):
        report = self.env.ref("account_manager_suite.action_report_account_status")
        portfolio = (self.alpha | self.beta | self.gamma).with_user(self.anna)
        html = (
            report.with_user(self.anna)
            ._render_qweb_html(report.report_name, portfolio.ids)[0]
            .decode()
        )
        for text in (
            "Key / National",
            "Workshop",
            "Project Manager",
            "Satisfied (4/5), relationship Good",
        ):
            self.assertIn(text, html)
        # amounts compared as numbers: 400.00 is not found in 1,400.00
        self.assertAmounts(html, [400.0, 200.0, 300.0, 1000.0])
        self.assertRegex(html, r"Account Status:\s+Alpha AG")
        self.assertRegex(html, r"Account Status:\s+Beta GmbH")
        self.assertNotIn("Gamma KG", html)  # Clara's account: not Anna's to see
        xlsx = self.env.ref("account_manager_suite.action_report_account_status_xlsx")
        content, _kind = xlsx.with_user(self.anna)._render_xlsx(xlsx.report_name, portfolio.ids, {})
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames, ["Summary", "Alpha AG", "Beta GmbH"])
        self.assertEqual(
            (book["Alpha AG"]["A10"].value, book["Alpha AG"]["B10"].value),
            ("Customer Satisfaction", "Satisfied (4/5), relationship Good"),
        )
        self.assertEqual(book["Beta GmbH"]["B10"].value, "-")
        sheet = book["Summary"]
        self.assertEqual(
            [sheet.cell(4, c).value for c in range(7, 12)], [400.0, 100.0, 200.0, 0.0, 300.0]
        )
        self.assertEqual(sheet["L4"].value, "=SUM(G4:K4)")
        self.assertEqual(sheet["E6"].value, "=SUM(E4:E5)")
        self.assertEqual(sheet.freeze_panes, "B4")
        cached = openpyxl.load_workbook(io.BytesIO(content), data_only=True)["Summary"]
        self.assertEqual(cached["L4"].value, 1000.0)
        self.assertEqual((cached["G6"].value, cached["L6"].value), (400.0, 1000.0))

    def test_nobody_elses_status(self):
        with self.assertRefused(UserError, "for their account managers"):
            self.status_data(self.gamma)
