"""On the road: the account manager's screens on a phone-sized browser (390 x 844)."""

from datetime import date

from odoo.tests import HttpCase
from odoo.tests import tagged

from .common import AccountManagerCommon
from .common import BrowserTours


@tagged("post_install", "-at_install")
class TestUiPhone(BrowserTours, AccountManagerCommon, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_check_in_and_assessment_on_a_phone(self):
        account = self.create_account("Tour Handy GmbH", self.anna, since=date(2025, 1, 1))
        today = date.today()
        self.create_invoice(account, today.replace(day=1), 800.0, due=today.replace(day=1))
        self.start_tour(
            "/odoo/action-account_manager_suite.action_my_accounts",
            "account_manager_suite_phone",
            login="anna",
            timeout=300,
        )
        self.assertEqual(account.last_contact_date, today)
        self.assertIn(
            "Visited the plant: the new line runs well",
            "".join(account.message_ids.mapped("body")),
        )
        self.assertEqual(
            (account.assessment_ids.satisfaction, account.assessment_ids.relationship),
            ("5", "strong"),
        )
        self.assertEqual(account.assessment_ids.user_id, self.anna)
