"""Who sees and changes which account's management data."""

from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestAccountAccess(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna_account = cls.create_account("Anna's AG", cls.anna, since=date(2025, 1, 1))
        cls.budi_account = cls.create_account("Budi's GmbH", cls.budi, since=date(2025, 1, 1))
        cls.Plan = cls.env["account.manager.account.plan"]
        cls.anna_plan = cls.Plan.create(
            {
                "name": "Anna's plan",
                "partner_id": cls.anna_account.id,
                "action_ids": [
                    (
                        0,
                        0,
                        {"name": "Workshop", "user_id": cls.anna.id, "date_deadline": "2026-09-01"},
                    )
                ],
            }
        )
        cls.budi_plan = cls.Plan.create({"name": "Budi's plan", "partner_id": cls.budi_account.id})

    def test_manager_reads_own_plans_not_others(self):
        plans = self.Plan.with_user(self.anna).search([])
        self.assertEqual(plans, self.anna_plan)
        self.assertEqual(self.anna_plan.with_user(self.anna).action_ids.name, "Workshop")
        with self.assertRaises(AccessError):
            self.budi_plan.with_user(self.anna).read(["name"])
        with self.assertRefused(AccessError, "top-secret records|not allowed to"):
            self.budi_plan.with_user(self.anna).write({"name": "Mine now"})
        with self.assertRefused(AccessError, "top-secret records|not allowed to"):
            self.Plan.with_user(self.anna).create({"name": "x", "partner_id": self.budi_account.id})
        self.assertEqual(self.budi_plan.name, "Budi's plan")

    def test_team_member_sees_the_account(self):
        self.budi_account.account_team_member_ids = [
            (0, 0, {"user_id": self.anna.id, "role": "backup"})
        ]
        self.assertEqual(self.Plan.with_user(self.anna).search([]), self.anna_plan | self.budi_plan)
        as_anna = self.budi_account.with_user(self.anna)
        self.assertTrue(as_anna.account_figures_visible)
        as_anna.write({"at_risk": True, "at_risk_reason": "delivery"})
        self.assertTrue(self.budi_account.at_risk)

    def test_director_sees_everything(self):
        self.assertEqual(
            self.Plan.with_user(self.director).search([]), self.anna_plan | self.budi_plan
        )
        history = (
            self.env["account.manager.ownership"]
            .with_user(self.director)
            .search([("partner_id", "in", (self.anna_account | self.budi_account).ids)])
        )
        self.assertEqual(len(history), 2)

    def test_manager_reads_own_history_only(self):
        history = (
            self.env["account.manager.ownership"]
            .with_user(self.anna)
            .search([("partner_id", "in", (self.anna_account | self.budi_account).ids)])
        )
        self.assertEqual(history.partner_id, self.anna_account)
        with self.assertRaises(AccessError):
            self.budi_account.ownership_ids.with_user(self.anna).read(["user_id"])
        with self.assertRaises(AccessError):
            self.anna_account.ownership_ids.with_user(self.anna).write({"user_id": self.anna.id})

    def test_manager_cannot_change_others_management_data(self):
        with self.assertRefused(AccessError, "Only the account manager, the account team"):
            self.budi_account.with_user(self.anna).write(
                {"at_risk": True, "at_risk_reason": "unhappy"}
            )
        with self.assertRefused(AccessError, "Only the account manager, the account team"):
            self.budi_account.with_user(self.anna).checkin_cadence_days = 3
        self.assertFalse(self.budi_account.at_risk)
        self.anna_account.with_user(self.anna).write(
            {"at_risk": True, "at_risk_reason": "payment", "remediation_plan": "Payment plan"}
        )
        remediation = self.anna_account.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("account_manager_suite.mail_activity_type_remediation")
        )
        self.assertEqual(remediation.user_id, self.anna)
        self.assertEqual(self.anna_account.remediation_user_id, self.anna)

    def test_others_figures_are_hidden(self):
        self.create_invoice(self.budi_account, date(2026, 1, 5), 100.0)
        as_anna = self.budi_account.with_user(self.anna)
        self.assertFalse(as_anna.account_figures_visible)
        self.assertEqual(as_anna.receivable_amount, 0.0)
        self.assertEqual(self.budi_account.with_user(self.budi).receivable_amount, 100.0)

    def test_plain_and_portal_users_have_no_access(self):
        for user in (self.internal, self.portal):
            with self.assertRaises(AccessError):
                self.Plan.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["account.manager.ownership"].with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["account.manager.reassign.wizard"].with_user(user).create(
                    {"to_user_id": self.anna.id}
                )
        with self.assertRaises(AccessError):
            self.env["account.manager.reassign.wizard"].with_user(self.anna).create(
                {"to_user_id": self.anna.id}
            )

    def test_other_company_plans_are_invisible(self):
        other = self.setup_other_company(name="Other Co")["company"]
        self.director.write({"company_ids": [(4, other.id)]})
        foreign = self.Plan.with_company(other).create(
            {"name": "Foreign plan", "partner_id": self.anna_account.id, "company_id": other.id}
        )
        self.assertNotIn(
            foreign,
            self.Plan.with_user(self.director)
            .with_context(allowed_company_ids=[self.env.company.id])
            .search([]),
        )
        self.assertIn(
            foreign,
            self.Plan.with_user(self.director)
            .with_context(allowed_company_ids=[self.env.company.id, other.id])
            .search([]),
        )
