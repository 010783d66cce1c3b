"""The attribution engine: revenue from the ledger, attributed by ownership history."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestAttribution(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engine = cls.env["account.manager.revenue"]
        # Müller: Anna until 14 Feb 2026, Budi from 15 Feb 2026 (mid-quarter re-assignment)
        cls.mueller = cls.create_account("Müller GmbH", manager=cls.anna, since=date(2025, 1, 1))
        cls.mueller._set_account_manager(cls.budi, date(2026, 2, 15), force=True)
        cls.tan = cls.create_account("PT Tan", manager=cls.budi, since=date(2025, 6, 1))
        cls.orphan = cls.create_account("Orphan KG")
        cls.create_invoice(cls.mueller, date(2026, 1, 10), 1000.0)
        cls.create_invoice(cls.mueller, date(2026, 2, 14), 500.0)
        cls.create_invoice(cls.mueller, date(2026, 2, 15), 2000.0)
        cls.create_invoice(cls.mueller, date(2026, 3, 31), 300.0, refund=True)
        cls.create_invoice(cls.tan, date(2026, 3, 1), 4000.0)
        cls.create_invoice(cls.orphan, date(2026, 3, 2), 50.0)
        cls.create_invoice(cls.tan, date(2026, 4, 1), 9999.0)  # next quarter
        cls.create_invoice(cls.tan, date(2026, 3, 5), 7777.0, post=False)  # draft
        cancelled = cls.create_invoice(cls.tan, date(2026, 3, 6), 8888.0)
        cancelled.button_draft()
        cancelled.button_cancel()

    def test_quarter_splits_between_managers_by_invoice_date(self):
        q1 = self.engine._revenue(date(2026, 1, 1), date(2026, 3, 31), ("user",))
        self.assertEqual(
            q1,
            {
                (self.anna.id,): 1500.0,
                (self.budi.id,): 2000.0 - 300.0 + 4000.0,
                (None,): 50.0,
            },
        )

    def test_groupings_and_filters(self):
        by_partner_type = self.engine._revenue(
            date(2026, 1, 1),
            date(2026, 3, 31),
            ("partner", "move_type"),
            partner_ids=self.mueller.ids,
        )
        self.assertEqual(
            by_partner_type,
            {(self.mueller.id, "out_invoice"): 3500.0, (self.mueller.id, "out_refund"): -300.0},
        )
        by_month = self.engine._revenue(
            date(2026, 1, 1), date(2026, 4, 30), ("user", "month"), user_ids=self.budi.ids
        )
        self.assertEqual(
            by_month,
            {
                (self.budi.id, date(2026, 2, 1)): 2000.0,
                (self.budi.id, date(2026, 3, 1)): 3700.0,
                (self.budi.id, date(2026, 4, 1)): 9999.0,
            },
        )
        self.assertEqual(self.engine._revenue(date(2020, 1, 1), date(2020, 12, 31)), {})

    def test_foreign_currency_invoice_counts_in_company_currency(self):
        currency = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        self.create_invoice(self.tan, date(2026, 3, 20), 1000.0, currency=currency)
        q1 = self.engine._revenue(date(2026, 3, 20), date(2026, 3, 20), ("user",))
        self.assertEqual(q1, {(self.budi.id,): 500.0})

    def test_receivables_and_overdue(self):
        invoice = self.create_invoice(self.tan, date(2026, 5, 1), 1000.0, due=date(2026, 5, 31))
        self.pay(invoice, 400.0, date(2026, 5, 10))
        receivables = self.engine._receivables(self.tan.ids, date(2026, 6, 15))
        # 4000 (due 1 Mar) + 9999 (due 1 Apr) + 600 left on the May invoice, all overdue
        self.assertEqual(receivables, {self.tan.id: (14599.0, 14599.0)})
        receivables = self.engine._receivables(self.tan.ids, date(2026, 5, 20))
        self.assertEqual(receivables, {self.tan.id: (14599.0, 13999.0)})

    @freeze_time("2026-06-30")
    def test_portfolio_figures_on_partners(self):
        self.create_invoice(self.mueller, date(2025, 11, 1), 700.0)
        self.create_order(self.mueller.child_ids or self.mueller, 250.0)
        mueller = self.mueller.with_user(self.budi)
        self.assertTrue(mueller.account_figures_visible)
        self.assertEqual(mueller.revenue_this_year, 3200.0)
        self.assertEqual(mueller.revenue_last_year, 700.0)
        self.assertEqual(mueller.receivable_amount, 3900.0)
        self.assertEqual(mueller.overdue_amount, 3900.0)
        self.assertEqual(mueller.open_quotation_count, 1)
        self.assertEqual(mueller.open_quotation_amount, 250.0)
        # Anna no longer owns Müller: she does not see its figures
        as_anna = self.mueller.with_user(self.anna)
        self.assertFalse(as_anna.account_figures_visible)
        self.assertEqual(as_anna.revenue_this_year, 0.0)

    def test_figures_cost_the_same_queries_for_more_accounts(self):
        few = self.mueller | self.tan
        many = (
            few
            | self.orphan
            | self.create_account("Extra 1", manager=self.budi)
            | (self.create_account("Extra 2", manager=self.anna))
        )
        for partner in many:
            self.create_invoice(partner, date(2026, 1, 5), 10.0)
        self.env.invalidate_all()
        with self.assertQueryCount(7):
            few.with_user(self.env.user).mapped("revenue_this_year")
        self.env.invalidate_all()
        with self.assertQueryCount(7):
            many.with_user(self.env.user).mapped("revenue_this_year")
