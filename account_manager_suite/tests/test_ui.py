"""In the real web client (headless Chromium): an account manager works their portfolio."""

import importlib.util
import json
import shutil
import unittest
from datetime import date
from unittest.mock import patch

from odoo.tests import HttpCase
from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from .common import AccountManagerCommon
from .common import BrowserTours

Q3 = {"period_type": "quarter", "date_from": "2026-07-01", "date_to": "2026-09-30"}


@tagged("post_install", "-at_install")
class TestUi(BrowserTours, AccountManagerCommon, HttpCase):
    def test_browser_is_available(self):
        self.assertTrue(shutil.which("chromium"), "chromium is required for the browser tours")
        self.assertTrue(
            importlib.util.find_spec("websocket"), "websocket-client is required for tours"
        )
        # the binary is not enough: the tours need its devtools connection
        try:
            browser = ChromeBrowser(self, headless=True, success_signal="test successful")
        except unittest.SkipTest as skipped:
            self.fail(f"Chromium starts but cannot be driven: {skipped}")
        try:
            answer = browser._websocket_request(
                "Runtime.evaluate", params={"expression": "6 * 7", "returnByValue": True}
            )
        finally:
            browser.stop()
        self.assertEqual(answer["result"]["value"], 42)

    def test_account_manager_works_the_portfolio(self):
        account = self.create_account("Tour Kunde AG", self.anna, since=date(2025, 1, 1))
        today = date.today()
        self.create_invoice(account, today.replace(day=1), 1500.0, due=today.replace(day=1))
        self.start_tour(
            "/odoo/action-account_manager_suite.action_my_accounts",
            "account_manager_suite_my_accounts",
            login="anna",
            timeout=300,
        )
        self.assertEqual(account.last_contact_date, today)
        self.assertIn(
            "Quarterly check-in call: all good",
            "".join(account.message_ids.mapped("body")),
        )
        assessment = account.assessment_ids
        self.assertEqual(
            (assessment.satisfaction, assessment.relationship, assessment.note),
            ("4", "good", "Wants a faster delivery slot"),
        )
        self.assertEqual(
            (assessment.user_id, assessment.account_manager_id), (self.anna, self.anna)
        )

    def test_director_sets_quotas_from_a_plan_and_closes_a_quarter(self):
        self.start_tour(
            "/odoo/action-account_manager_suite.action_account_manager_quota_plan",
            "account_manager_suite_quota_plan",
            login="director",
            timeout=300,
        )
        plan = self.env["account.manager.quota.plan"].search([("name", "=", "Tour quotas")])
        self.assertEqual(plan.quota_ids.mapped("target"), [10000.0] * 4)
        closed = plan.quota_ids.filtered(lambda q: q.state == "closed")
        self.assertEqual(closed.date_from.month, 1)
        self.assertEqual(closed.closed_by_id, self.director)

    def test_account_manager_flags_at_risk_and_confirms_a_quotation(self):
        account = self.create_account("Tour Risiko GmbH", self.anna, since=date(2025, 1, 1))
        product = self.env["product.product"].create(
            {"name": "Tour Widget", "list_price": 250.0, "type": "service", "sale_ok": True}
        )
        self.start_tour(
            "/odoo/action-account_manager_suite.action_my_accounts",
            "account_manager_suite_at_risk",
            login="anna",
            timeout=300,
        )
        self.assertTrue(account.at_risk)
        self.assertEqual(account.at_risk_reason, "competitor")
        self.assertEqual(account.at_risk_since, date.today())
        remediation = account.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("account_manager_suite.mail_activity_type_remediation")
        )
        self.assertEqual(remediation.user_id, self.anna)
        self.assertIn("Weekly calls with the plant manager", remediation.note)

        self.start_tour(
            "/odoo/action-sale.action_quotations_with_onboarding",
            "account_manager_suite_quotation",
            login="anna",
            timeout=300,
        )
        order = self.env["sale.order"].search([("partner_id", "=", account.id)])
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.account_manager_id, self.anna)
        self.assertEqual(order.order_line.product_id, product)
        self.assertEqual(order.amount_untaxed, 250.0)

    def test_director_reassigns_two_accounts_and_opens_the_quarterly_results(self):
        alpha = self.create_account("Tour Alpha AG", self.anna, since=date(2025, 1, 1))
        beta = self.create_account("Tour Beta KG", self.anna, since=date(2025, 1, 1))
        Report = self.registry["ir.actions.report"]
        render = Report._render_qweb_pdf
        rendered = []

        def spy(report, report_ref, res_ids=None, data=None):
            result = render(report, report_ref, res_ids=res_ids, data=data)
            rendered.append((report._get_report(report_ref).report_name, result[0]))
            return result

        with patch.object(Report, "_render_qweb_pdf", spy):
            self.start_tour(
                "/odoo/action-account_manager_suite.action_all_accounts",
                "account_manager_suite_reassign",
                login="director",
                timeout=300,
            )
        # the quarterly results were printed: one report came back to the browser (as
        # HTML: Odoo's tests render PDF reports as HTML unless forced)
        self.assertEqual([name for name, _content in rendered], [
            "account_manager_suite.report_quarterly_results"
        ])  # fmt: skip
        self.assertIn(b"Quarterly Sales Results", rendered[0][1])
        for account in alpha | beta:
            self.assertEqual(account.account_manager_id, self.budi)
            current = account.ownership_ids.filtered(lambda p: not p.date_to)
            self.assertEqual(
                (current.user_id, current.reason, current.date_from),
                (self.budi, "reassignment", date.today()),
            )
        self.assertEqual(len(alpha.ownership_ids), 2)

    def test_accountant_settles_the_quarter_and_posts_the_bill(self):
        company = self.env.company
        accrued = self.env["account.account"].create(
            {"name": "Accrued commissions", "code": "2190TOUR", "account_type": "liability_current"}
        )
        company.write(
            {
                "ams_commission_expense_account_id": self.company_data[
                    "default_account_expense"
                ].id,
                "ams_commission_accrual_account_id": accrued.id,
                "ams_commission_journal_id": self.company_data["default_journal_misc"].id,
            }
        )
        self.create_plan("Tour 5 %", 5.0, self.anna)
        account = self.create_account("Tour Provision AG", self.anna, since=date(2025, 1, 1))
        self.create_invoice(account, date(2026, 1, 10), 10000.0)
        self.create_invoice(account, date(2026, 2, 10), 2000.0, refund=True)
        quota = self.env["account.manager.quota"].create(
            {
                "user_id": self.anna.id,
                "target": 10000.0,
                "period_type": "quarter",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
            }
        )
        quota.action_close()
        url = "/odoo/action-account_manager_suite.action_account_manager_commission_settlement"
        self.start_tour(
            url, "account_manager_suite_settlement_propose", login="comm_accountant", timeout=300
        )
        settlement = self.env["account.manager.commission.settlement"].search(
            [("user_id", "=", self.anna.id), ("date_from", "=", date(2026, 1, 1))]
        )
        self.assertEqual((settlement.state, settlement.amount_total), ("draft", 400.0))
        settlement.with_user(self.director).action_approve()
        self.start_tour(
            url, "account_manager_suite_settlement_bill", login="comm_accountant", timeout=300
        )
        bill = settlement.bill_id
        self.assertEqual(settlement.state, "billed")
        self.assertEqual(bill.state, "posted")
        self.assertTrue(settlement.release_move_id, "posting the bill released the accrual")
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.amount_total, 400.0)  # 5 % of 10,000 - 2,000
        self.assertEqual(bill.partner_id, self.anna.partner_id)

    def test_json_rpc_with_wrong_types_is_refused_with_the_field_named(self):
        """What a script calling the server over JSON-RPC gets back: the field named."""
        self.authenticate("director", "director")
        Quota = self.env["account.manager.quota"]
        before = Quota.search_count([])
        calls = [
            ({"user_id": self.budi.id, "target": "a lot", **Q3}, "Target expects a number"),
            ({"user_id": "Budi", "target": 1000, **Q3}, "Account Manager expects the id"),
            (
                {"user_id": self.budi.id, "target": 1000, **Q3, "date_to": "end of summer"},
                "To expects a date written YYYY-MM-DD",
            ),
        ]
        for vals, message in calls:
            with self.subTest(message):
                response = self.url_open(
                    "/web/dataset/call_kw/account.manager.quota/create",
                    data=json.dumps(
                        {
                            "jsonrpc": "2.0",
                            "method": "call",
                            "params": {
                                "model": "account.manager.quota",
                                "method": "create",
                                "args": [vals],
                                "kwargs": {},
                            },
                        }
                    ),
                    headers={"Content-Type": "application/json"},
                )
                error = response.json()["error"]["data"]
                self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
                self.assertIn(message, error["message"])
        self.assertEqual(Quota.search_count([]), before)

    def test_account_manager_disputes_a_commission_line(self):
        self.create_plan("Tour 5 %", 5.0, self.anna)
        account = self.create_account("Tour Dispute AG", self.anna, since=date(2025, 1, 1))
        self.create_invoice(account, date(2026, 1, 10), 10000.0)
        line = self.env["account.manager.commission.line"]._compute_period(
            self.anna, date(2026, 1, 1), date(2026, 3, 31)
        )
        self.assertEqual(line.amount, 500.0)
        self.start_tour(
            "/odoo/action-account_manager_suite.action_account_manager_commission_line",
            "account_manager_suite_dispute",
            login="anna",
            timeout=300,
        )
        self.assertEqual((line.disputed, line.dispute_note), (True, "The price was corrected"))
