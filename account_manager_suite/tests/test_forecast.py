"""Annual forecast: ledger to date, order book, weighted pipeline, run-rate, cases."""

import io
from datetime import date
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time

from odoo.tests import Form
from odoo.tests import tagged

from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestForecast(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.create_account("Forecast AG", cls.anna, since=date(2025, 1, 1))
        cls.other = cls.create_account("Other GmbH", cls.budi, since=date(2025, 1, 1))
        cls.create_invoice(cls.account, date(2026, 3, 1), 10000.0)
        cls.create_invoice(cls.account, date(2025, 12, 31), 777.0)  # last year: not in
        cls.create_invoice(cls.other, date(2026, 2, 1), 3650.0)
        for month in (1, 4, 7, 10):
            cls.env["account.manager.quota"].create(
                {
                    "user_id": cls.anna.id,
                    "target": 5000.0,
                    "period_type": "quarter",
                    "date_from": date(2026, month, 1),
                    "date_to": date(2026, month + 2, 31 if month in (1, 10) else 30),
                }
            )
        with freeze_time("2026-06-30 10:00:00"):
            cls.create_order(cls.account, 4000.0, cls.anna, confirm=True)
            cls.create_order(cls.account, 1000.0, cls.anna)
            sent = cls.create_order(cls.account, 2000.0, cls.anna)
            sent.action_quotation_sent()

    @freeze_time("2026-06-30")
    def test_forecast_rows(self):
        rows = self.env["report.account_manager_suite.report_annual_forecast"]._forecast_rows(2026)
        anna = next(r for r in rows if r["user_id"] == self.anna.id)
        self.assertEqual(
            {k: v for k, v in anna.items() if k not in ("user_id", "team_id")},
            {
                "quota": 20000.0,
                "actual": 10000.0,
                "order_book": 4000.0,
                "pipeline": 3000.0,
                "pipeline_weighted": 1200.0,  # 20% of 1,000 + 50% of 2,000
                "run_rate": 20165.75,  # 10,000 in 181 of 365 days
                "worst": 14000.0,
                "expected": 15200.0,
                "best": 20165.75,
                "gap": 4800.0,
            },
        )
        budi = next(r for r in rows if r["user_id"] == self.budi.id)
        self.assertEqual((budi["quota"], budi["actual"], budi["gap"]), (0.0, 3650.0, -3650.0))

    @freeze_time("2026-06-30")
    def test_crm_opportunities_in_the_pipeline(self):
        """Open opportunities of the managers' accounts expected this year count in the
        pipeline at their own probability; won, lost, next year's, already quoted and
        prospects' opportunities do not; without CRM the pipeline is the quotations."""
        Lead = self.env["crm.lead"]
        prospect = self.env["res.partner"].create({"name": "Prospekt GmbH", "is_company": True})

        def opportunity(partner, revenue, probability, deadline=None):
            return Lead.create(
                {
                    "name": f"{partner.name} {revenue}",
                    "type": "opportunity",
                    "partner_id": partner.id,
                    "expected_revenue": revenue,
                    "probability": probability,
                    "date_deadline": deadline,
                }
            )

        opportunity(self.account, 10000.0, 30.0, date(2026, 9, 30))
        quoted = opportunity(self.account, 5000.0, 60.0, date(2026, 8, 31))
        self.create_order(self.account, 5000.0, self.anna, opportunity_id=quoted.id)
        opportunity(self.account, 8000.0, 50.0, date(2027, 2, 1))  # next year
        opportunity(self.account, 7000.0, 40.0).action_set_lost()
        opportunity(self.account, 6000.0, 90.0).action_set_won()
        opportunity(self.other, 4000.0, 50.0)  # Budi's account, no expected date
        opportunity(prospect, 9000.0, 20.0)  # business development's

        def pipeline(login):
            rows = self.env["report.account_manager_suite.report_annual_forecast"]._forecast_rows(
                2026
            )
            row = next(r for r in rows if r["user_id"] == getattr(self, login).id)
            return row["pipeline"], row["pipeline_weighted"], row["expected"]

        # Anna: quotations 1,000 + 2,000 + the quoted opportunity's 5,000 (20% as a draft)
        # and the open opportunity's 10,000 at 30%
        self.assertEqual(pipeline("anna"), (18000.0, 5200.0, 19200.0))
        self.assertEqual(pipeline("budi"), (4000.0, 2000.0, 5650.0))
        with patch.object(type(self.env["account.manager.revenue"]), "_crm_installed",
                          lambda self: False):  # fmt: skip
            self.assertEqual(pipeline("anna"), (8000.0, 2200.0, 16200.0))
            self.assertEqual(pipeline("budi"), (0.0, 0.0, 3650.0))

    @freeze_time("2026-06-30")
    def test_forecast_screen_for_a_team(self):
        team = self.env["crm.team"].create({"name": "North", "member_ids": [(6, 0, self.anna.ids)]})
        form = Form(self.env["account.manager.forecast"])

        # the figures show as soon as the screen opens, and follow the team chosen
        def shown():
            return sorted(
                (self.env["res.users"].browse(row["user_id"]).login, row["actual"], row["expected"])
                for row in form.line_ids._records
            )

        self.assertEqual(shown(), [("anna", 10000.0, 15200.0), ("budi", 3650.0, 3650.0)])
        form.team_id = team
        self.assertEqual(shown(), [("anna", 10000.0, 15200.0)])
        forecast = form.save()
        forecast.action_compute()
        self.assertEqual(forecast.line_ids.user_id, self.anna)
        self.assertEqual(forecast.line_ids.expected, 15200.0)
        self.env.company.ams_probability_sent = 100.0
        forecast.action_compute()
        self.assertEqual(forecast.line_ids.expected, 16200.0)

    @freeze_time("2026-05-15")
    def test_my_quarter_opens_the_running_quarter(self):
        # through the menu's server action, as the web client runs it
        server_action = self.env.ref("account_manager_suite.action_server_my_quarter")
        action = server_action.with_user(self.anna).run()
        quota = self.env["account.manager.quota"].browse(action["res_id"])
        self.assertEqual(quota.date_from, date(2026, 4, 1))
        self.assertEqual(quota.user_id, self.anna)
        self.create_invoice(self.account, date(2026, 4, 2), 1234.5)
        html = quota.with_user(self.anna).top_accounts_html
        self.assertIn("Forecast AG", html)
        self.assertAmounts(html, [1234.5])
        none = self.env["account.manager.quota"].with_user(self.budi).action_open_my_quarter()
        self.assertEqual(none["tag"], "display_notification")

    @freeze_time("2026-06-30")
    def test_forecast_pdf_and_xlsx_agree(self):
        forecast = self.env["account.manager.forecast"].create({"year": 2026})
        report = self.env.ref("account_manager_suite.action_report_annual_forecast")
        html = report._render_qweb_html(report.report_name, forecast.ids)[0].decode()
        for text in (
            "Annual Forecast 2026",
            "Anna Becker",
            "Budi Santoso",
        ):
            self.assertIn(text, html)
        # amounts compared as numbers: 400.00 is not found in 1,400.00
        self.assertAmounts(
            html, [20000.0, 10000.0, 4000.0, 1200.0, 20165.75, 15200.0, 4800.0, 3650.0]
        )
        xlsx = self.env.ref("account_manager_suite.action_report_annual_forecast_xlsx")
        content, kind = xlsx._render_xlsx(xlsx.report_name, forecast.ids, {})
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Forecast"]
        self.assertEqual(sheet["A3"].value, "Account Manager")
        anna = next(r for r in range(4, 6) if sheet[f"A{r}"].value == "Anna Becker")
        self.assertEqual(
            [sheet[f"{c}{anna}"].value for c in "CDEFGHIJ"],
            [20000.0, 10000.0, 4000.0, 1200.0, 20165.75, 14000.0, 15200.0, 20165.75],
        )
        self.assertEqual(sheet[f"K{anna}"].value, f"=C{anna}-I{anna}")
        self.assertEqual(sheet["C6"].value, "=SUM(C4:C5)")
        self.assertEqual(sheet.freeze_panes, "B4")
        cached = openpyxl.load_workbook(io.BytesIO(content), data_only=True)["Forecast"]
        self.assertEqual(cached[f"K{anna}"].value, 4800.0)
        self.assertIn("#,##0.00", sheet[f"C{anna}"].number_format)
