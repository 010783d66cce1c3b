"""In the real web client (headless Chromium): an account manager works their portfolio."""

import importlib.util
import shutil
from datetime import date

from odoo.tests import HttpCase
from odoo.tests import tagged

from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestUi(AccountManagerCommon, HttpCase):
    # A fresh test database compiles the web client's assets on the browser's first
    # request, which takes a while on a small machine: compile them before the tours.
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name in ("web.assets_web", "web.assets_tests"):
            bundle = cls.env["ir.qweb"]._get_asset_bundle(name)
            bundle.js()
            bundle.css()

    def test_browser_is_available(self):
        # Odoo skips tours silently without a browser: make its absence a failure.
        self.assertTrue(shutil.which("chromium"), "chromium is required for the browser tours")
        self.assertTrue(
            importlib.util.find_spec("websocket"), "websocket-client is required for tours"
        )

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
        self.assertIn("Quarterly check-in call: all good", account.message_ids.mapped("body")[0])

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
