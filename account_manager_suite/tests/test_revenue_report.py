"""Revenue analysis (pivot and graph): the engine's lines, by manager, tier and quarter."""

from datetime import date

from odoo.tests import tagged

from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestRevenueReport(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["account.manager.revenue.report"]
        # Key account: Anna until 14 Feb 2026, then Budi; a standard account of Budi's
        cls.key = cls.create_account(
            "Key Industries AG", manager=cls.anna, since=date(2025, 1, 1), tier=cls.tier_key
        )
        cls.key._set_account_manager(cls.budi, date(2026, 2, 15), force=True)
        cls.shop = cls.create_account("Small Shop KG", manager=cls.budi, tier=cls.tier_small)
        cls.create_invoice(cls.key, date(2026, 1, 10), 1000.0)
        cls.create_invoice(cls.key, date(2026, 2, 20), 2500.0)
        cls.create_invoice(cls.key, date(2026, 3, 31), 300.0, refund=True)
        cls.create_invoice(cls.shop, date(2026, 3, 1), 400.0)
        cls.create_invoice(cls.shop, date(2026, 4, 2), 700.0)
        cls.create_invoice(cls.shop, date(2026, 3, 5), 9999.0, post=False)  # draft

    def _sums(self, report, groupby, domain=()):
        domain = [("partner_id", "in", (self.key | self.shop).ids), *domain]
        return {
            tuple(g.id if hasattr(g, "id") else g for g in row[:-1]): row[-1]
            for row in report._read_group(domain, groupby, ["amount:sum"])
        }

    def test_revenue_by_tier_and_quarter(self):
        self.assertEqual(
            self._sums(self.Report, ["account_tier_id", "date:quarter"]),
            {
                (self.tier_key.id, date(2026, 1, 1)): 3200.0,
                (self.tier_small.id, date(2026, 1, 1)): 400.0,
                (self.tier_small.id, date(2026, 4, 1)): 700.0,
            },
        )

    def test_revenue_by_manager_equals_the_engine(self):
        q1 = (date(2026, 1, 1), date(2026, 3, 31))
        engine = self.env["account.manager.revenue"]._revenue(
            *q1, ("user",), partner_ids=(self.key | self.shop).ids
        )
        report = self._sums(
            self.Report, ["user_id"], [("date", ">=", q1[0]), ("date", "<=", q1[1])]
        )
        self.assertEqual(report, {(self.anna.id,): 1000.0, (self.budi.id,): 2600.0})
        self.assertEqual(report, engine)

    def test_manager_sees_own_revenue_only(self):
        as_anna = self._sums(self.Report.with_user(self.anna), ["user_id"])
        self.assertEqual(as_anna, {(self.anna.id,): 1000.0})
        as_director = self._sums(self.Report.with_user(self.director), ["user_id"])
        self.assertEqual(as_director, {(self.anna.id,): 1000.0, (self.budi.id,): 3300.0})
        self.assertFalse(self.Report.with_user(self.internal).has_access("read"))
