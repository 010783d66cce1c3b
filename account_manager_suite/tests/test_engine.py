"""The attribution engine as the one source of every figure: the stored manager of
invoices agrees with it, one ownership join serves every query, and figures of companies
in two currencies are given in one named currency."""

import re
from datetime import date
from datetime import datetime
from datetime import time
from pathlib import Path

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools import format_amount

from .common import GROUP_DIRECTOR
from .common import GROUP_MANAGER
from .common import AccountManagerCommon

MODULE_DIR = Path(__file__).resolve().parent.parent
# re-assigning accounts from a past date, invoices and orders re-attributed, whatever their number
QUERIES_TO_REATTRIBUTE = 29


@tagged("post_install", "-at_install")
class TestStoredManagerIsTheEngines(AccountManagerCommon):
    def test_invoices_grouped_by_stored_manager_equal_engine_revenue(self):
        engine = self.env["account.manager.revenue"]
        first = self.create_account("First Owner AG")
        # invoiced before the account had an owner: nobody's revenue
        early = self.create_invoice(first, date(2024, 6, 1), 700.0)
        first._set_account_manager(self.anna, date(2025, 1, 1), force=True)
        self.create_invoice(first, date(2025, 3, 1), 100.0)
        first._set_account_manager(self.budi, date(2025, 7, 1), force=True)
        self.create_invoice(first, date(2025, 8, 1), 200.0)
        refund = self.create_invoice(first, date(2025, 8, 5), 30.0, refund=True)
        # a back-dated change after the invoices exist: the credit note is Clara's
        first._set_account_manager(self.clara, date(2025, 8, 3), force=True)
        ended = self.create_account("Ended GmbH", manager=self.anna, since=date(2025, 2, 1))
        self.create_invoice(ended, date(2025, 2, 10), 50.0)
        ended._set_account_manager(self.env["res.users"], date(2025, 5, 1), force=True)
        orphan = self.create_invoice(ended, date(2025, 6, 1), 40.0)
        # going live: a director dates the first owner back, earlier invoices follow
        golive = self.create_account("Go Live KG", manager=self.budi, since=date(2026, 1, 1))
        old = self.create_invoice(golive, date(2024, 2, 1), 400.0)
        self.assertFalse(old.account_manager_id)
        golive.with_user(self.director).write({"account_manager_since": date(2024, 1, 1)})
        self.assertEqual(self.periods(golive), [("budi", date(2024, 1, 1), False, "initial")])

        self.assertFalse((early | orphan).account_manager_id)
        self.assertEqual(refund.account_manager_id, self.clara)
        self.assertEqual(old.account_manager_id, self.budi)
        accounts = first | ended | golive
        stored = {
            user.id or None: amount
            for user, amount in self.env["account.move"]._read_group(
                [
                    ("commercial_partner_id", "in", accounts.ids),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                ],
                ["account_manager_id"],
                ["amount_untaxed_signed:sum"],
            )
        }
        revenue = {
            user_id: amount
            for (user_id,), amount in engine._revenue(
                date(2000, 1, 1), date(2030, 12, 31), ("user",), partner_ids=accounts.ids
            ).items()
        }
        self.assertEqual(stored, revenue)
        self.assertEqual(
            revenue,
            {None: 740.0, self.anna.id: 150.0, self.budi.id: 600.0, self.clara.id: -30.0},
        )

    def test_order_without_owner_has_no_manager_but_its_salesperson(self):
        partner = self.create_account("Prospect AG")
        order = self.create_order(partner, 100.0, self.bizdev)
        self.assertFalse(order.account_manager_id)
        self.assertEqual(order.user_id, self.bizdev)
        # the history changes: the order follows the owner on its date, the salesperson stays
        partner._set_account_manager(self.anna, date(2020, 1, 1), force=True)
        self.assertEqual(order.account_manager_id, self.anna)
        self.assertEqual(order.user_id, self.bizdev)
        self.assertEqual(
            self.create_order(partner, 50.0, self.bizdev).account_manager_id, self.anna
        )

    def order_on(self, partner, day, amount):
        return self.create_order(
            partner, amount, self.bizdev, date_order=datetime.combine(day, time(9))
        )

    def test_orders_grouped_by_stored_manager_equal_engine_orders(self):
        """The stored manager of existing orders follows every change of the history:
        a re-assignment from a past date, the first owner dated back, history imported
        before the first period; grouped by it, orders equal the engine's."""
        first = self.create_account("Orders First AG")
        early = self.order_on(first, date(2024, 6, 1), 700.0)
        first._set_account_manager(self.anna, date(2025, 1, 1), force=True)
        march = self.order_on(first, date(2025, 3, 1), 100.0)
        august = self.order_on(first, date(2025, 8, 5), 30.0)
        self.assertEqual((march | august).account_manager_id, self.anna)
        # re-assigned from a past date: the orders from then on are Budi's
        first._set_account_manager(self.budi, date(2025, 7, 1), force=True)
        golive = self.create_account("Orders Go Live KG", manager=self.budi, since=date(2026, 1, 1))
        old = self.order_on(golive, date(2024, 2, 1), 400.0)
        golive.with_user(self.director).write({"account_manager_since": date(2024, 1, 1)})
        imported = self.create_account(
            "Orders Import GmbH", manager=self.clara, since=date(2026, 1, 1)
        )
        before = self.order_on(imported, date(2025, 2, 3), 50.0)
        after = self.order_on(imported, date(2026, 2, 3), 20.0)
        result = (
            self.env["account.manager.ownership"]
            .with_user(self.director)
            .load(
                ["partner_id/.id", "user_id/.id", "date_from", "date_to", "reason"],
                [[str(imported.id), str(self.anna.id), "2024-01-01", "2025-12-31", "initial"]],
            )
        )
        self.assertEqual(result["messages"], [])
        self.assertFalse(early.account_manager_id)
        self.assertEqual(march.account_manager_id, self.anna)
        self.assertEqual((august | old).account_manager_id, self.budi)
        self.assertEqual(before.account_manager_id, self.anna)
        self.assertEqual(after.account_manager_id, self.clara)
        accounts = first | golive | imported
        stored = {
            user.id or None: amount
            for user, amount in self.env["sale.order"]._read_group(
                [("partner_id", "in", accounts.ids)],
                ["account_manager_id"],
                ["amount_untaxed:sum"],
            )
        }
        engine = {
            user_id: amount
            for (user_id,), amount in self.env["account.manager.revenue"]
            ._order_revenue(
                None, None, ("user",), states=("draft", "sent"), partner_ids=accounts.ids
            )
            .items()
        }
        self.assertEqual(stored, engine)
        self.assertEqual(
            engine,
            {None: 700.0, self.anna.id: 150.0, self.budi.id: 430.0, self.clara.id: 20.0},
        )

    def test_re_attribution_takes_a_fixed_number_of_queries(self):
        """Re-assigning accounts from a past date re-attributes their invoices and orders
        in the same number of queries for 2 accounts with one of each as for 8 with 3."""

        def accounts_with_documents(count, documents):
            accounts = self.env["res.partner"].create(
                [{"name": f"Batch {count}-{i}", "is_company": True} for i in range(count)]
            )
            accounts._set_account_manager(self.anna, date(2025, 1, 1), force=True)
            for account in accounts:
                for day in range(documents):
                    self.create_invoice(account, date(2025, 6, 1 + day), 10.0)
                    self.order_on(account, date(2025, 6, 1 + day), 10.0)
            return accounts

        small, large = accounts_with_documents(2, 1), accounts_with_documents(8, 3)
        counts = []
        for accounts in (small, large):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with self.assertQueryCount(QUERIES_TO_REATTRIBUTE):
                accounts._set_account_manager(self.budi, date(2025, 5, 1), force=True)
                self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
            moves = self.env["account.move"].search([("partner_id", "in", accounts.ids)])
            orders = self.env["sale.order"].search([("partner_id", "in", accounts.ids)])
            self.assertEqual(
                (moves.account_manager_id, orders.account_manager_id), (self.budi,) * 2
            )
        self.assertEqual(counts[0], counts[1])

    def test_a_director_gives_the_first_owner_from_a_past_date_on_the_form(self):
        old = self.create_invoice(self.create_account("Form AG"), date(2019, 5, 1), 80.0)
        with Form(old.partner_id.with_user(self.director)) as form:
            form.account_manager_id = self.anna
            form.account_manager_since = date(2019, 1, 1)
        self.assertEqual(
            self.periods(old.partner_id), [("anna", date(2019, 1, 1), False, "initial")]
        )
        self.assertEqual(old.account_manager_id, self.anna)
        # an account manager may not date the history
        with self.assertRefused(AccessError, "Only a Sales Director can set Account Manager"):
            old.partner_id.with_user(self.anna).write({"account_manager_since": date(2018, 1, 1)})
        # once the account changed hands, its first owner's start is history
        old.partner_id._set_account_manager(self.budi, date(2024, 1, 1), force=True)
        with self.assertRefused(ValidationError, "has an ownership history before 2024-01-01"):
            old.partner_id.with_user(self.director).write(
                {"account_manager_since": date(2023, 1, 1)}
            )

    def test_the_ownership_join_is_written_once(self):
        join = re.compile(r"JOIN\s+account_manager_ownership|account_manager_ownership\s+\S+\s+ON")
        places = [
            (str(path.relative_to(MODULE_DIR)), line)
            for path in MODULE_DIR.rglob("*.py")
            if "tests" not in path.parts
            for line, text in enumerate(path.read_text().splitlines(), 1)
            if join.search(text)
        ]
        self.assertEqual(len(places), 1, places)
        self.assertEqual(places[0][0], "models/account_manager_ownership.py")


@tagged("post_install", "-at_install")
class TestTwoCurrencies(AccountManagerCommon):
    """A German company in EUR and an Indonesian one in IDR; one manager works in both."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        eur = cls._enable_currency("EUR")
        return super().setup_independent_company(currency_id=eur.id, **kwargs)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.company.currency_id
        assert cls.eur.name == "EUR"
        cls.idr = cls.env.ref("base.IDR")
        cls.idr.action_unarchive()
        cls.idr.rate_ids.unlink()
        # shared rates (both companies read them): 1 EUR = 17,000 IDR in 2025, 18,000 in 2026
        cls.env["res.currency.rate"].create(
            [
                {"currency_id": cls.idr.id, "name": day, "rate": rate, "company_id": False}
                for day, rate in (("2025-01-01", 17000.0), ("2026-01-01", 18000.0))
            ]
        )
        cls.eur.rate_ids.unlink()
        cls.company_a = cls.env.company
        cls.company_data_b = cls.setup_other_company(name="PT Contoh", currency_id=cls.idr.id)
        cls.company_b = cls.company_data_b["company"]
        both = {"company_id": cls.company_a.id, "company_ids": [cls.company_a.id, cls.company_b.id]}
        cls.siti = new_test_user(cls.env, "siti", groups=GROUP_MANAGER, name="Siti Rahma", **both)
        cls.dewi = new_test_user(
            cls.env, "dewi", groups=GROUP_DIRECTOR, name="Dewi Director", **both
        )
        cls.customer = cls.create_account("Global Trading", cls.siti, since=date(2025, 1, 1))
        cls.create_invoice(cls.customer, date(2026, 3, 10), 1000.0)
        cls.invoice_b(date(2026, 4, 10), 18_000_000.0)
        cls.invoice_b(date(2025, 5, 5), 1_700_000.0)
        cls.env["sale.order"].with_company(cls.company_b).create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company_b.id,
                "date_order": datetime(2026, 6, 1, 9, 0),
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product_a.id,
                            "product_uom_qty": 1,
                            "price_unit": 3_600_000.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )

    @classmethod
    def invoice_b(cls, invoice_date, amount):
        move = (
            cls.env["account.move"]
            .with_company(cls.company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "invoice_date": invoice_date,
                    "invoice_date_due": invoice_date,
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Konsultasi",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                                "account_id": cls.company_data_b["default_account_revenue"].id,
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def as_siti(self, *companies):
        return self.customer.with_user(self.siti).with_context(
            allowed_company_ids=[company.id for company in companies]
        )

    @freeze_time("2026-06-15")
    def test_partner_figures_in_one_named_currency(self):
        self.assertEqual(
            self.idr._convert(18_000_000.0, self.eur, self.company_a, date(2026, 4, 10)), 1000.0
        )
        both = self.as_siti(self.company_a, self.company_b)
        self.assertEqual(both.ams_currency_id, self.eur)
        self.assertEqual(both.revenue_this_year, 2000.0)
        self.assertEqual(both.revenue_last_year, 100.0)
        self.assertEqual(both.receivable_amount, 2100.0)
        self.assertEqual(both.overdue_amount, 2100.0)
        self.assertEqual(both.open_quotation_count, 1)
        self.assertEqual(both.open_quotation_amount, 200.0)
        # working in the Indonesian company, both companies: everything in rupiah
        in_b = self.as_siti(self.company_b, self.company_a)
        self.assertEqual(in_b.ams_currency_id, self.idr)
        self.assertEqual(in_b.revenue_this_year, 36_000_000.0)
        self.assertEqual(in_b.revenue_last_year, 1_700_000.0)
        self.assertEqual(in_b.receivable_amount, 37_700_000.0)
        self.assertEqual(in_b.open_quotation_amount, 3_600_000.0)
        # one company: its own currency, its own figures
        only_b = self.as_siti(self.company_b)
        self.assertEqual(only_b.ams_currency_id, self.idr)
        self.assertEqual(only_b.revenue_this_year, 18_000_000.0)
        only_a = self.as_siti(self.company_a)
        self.assertEqual(only_a.ams_currency_id, self.eur)
        self.assertEqual(only_a.revenue_this_year, 1000.0)
        self.assertEqual(only_a.open_quotation_amount, 0.0)
        both = self.as_siti(self.company_a, self.company_b)
        status = both.env["report.account_manager_suite.report_account_status"]._status_data(both)
        self.assertEqual(status["currency"], self.eur)
        self.assertEqual(status["rows"][0]["revenue_this_year"], 2000.0)
        # more than 90 days late: March's 1,000 EUR and last May's 100 EUR; 66 days: April's
        self.assertEqual(status["rows"][0]["aging"]["over_90"], 1100.0)
        self.assertEqual(status["rows"][0]["aging"]["61_90"], 1000.0)

    @freeze_time("2026-06-15")
    def test_health_reasons_in_one_named_currency(self):
        self.as_siti(self.company_a, self.company_b).sudo()._compute_account_health()
        eur = format_amount(self.env, 2100.0, self.eur)  # 2,100.00 €
        self.assertIn(f"{eur} overdue of {eur} open", self.customer.health_reasons)
        self.as_siti(self.company_b, self.company_a).sudo()._compute_account_health()
        idr = format_amount(self.env, 37_700_000.0, self.idr)  # Rp 37,700,000.00
        self.assertIn(f"{idr} overdue of {idr} open", self.customer.health_reasons)

    @freeze_time("2026-06-15")
    def test_my_quarter_and_revenue_analysis(self):
        Quota = self.env["account.manager.quota"]
        q2 = {"period_type": "quarter", "date_from": date(2026, 4, 1), "date_to": date(2026, 6, 30)}
        Quota.create(
            {"user_id": self.siti.id, "target": 100.0, "company_id": self.company_a.id, **q2}
        )
        # the same manager may have a quota in each company
        quota_b = Quota.create(
            {"user_id": self.siti.id, "target": 36_000_000.0, "company_id": self.company_b.id, **q2}
        )
        action = (
            Quota.with_user(self.siti)
            .with_context(allowed_company_ids=[self.company_b.id, self.company_a.id])
            .action_open_my_quarter()
        )
        self.assertEqual(action["res_id"], quota_b.id)
        self.assertEqual(quota_b.currency_id, self.idr)
        self.assertEqual(quota_b.actual_amount, 18_000_000.0)
        self.assertEqual(quota_b.attainment, 50.0)
        self.assertIn("18,000,000.00", quota_b.top_accounts_html)
        Report = self.env["account.manager.revenue.report"]
        for companies, currency, total in (
            ((self.company_a, self.company_b), self.eur, 2100.0),
            ((self.company_b, self.company_a), self.idr, 37_700_000.0),
            ((self.company_b,), self.idr, 19_700_000.0),
        ):
            report = Report.with_context(allowed_company_ids=[c.id for c in companies])
            [(currency_found, amount)] = report._read_group(
                [("partner_id", "=", self.customer.id)], ["currency_id"], ["amount:sum"]
            )
            self.assertEqual((currency_found, amount), (currency, total))

    def test_a_manager_has_one_plan_at_a_time_in_each_company(self):
        Plan = self.env["account.manager.commission.plan"]
        plan_a = Plan.create({"name": "Plan DE", "base_rate": 3.0, "company_id": self.company_a.id})
        plan_b = Plan.create({"name": "Plan ID", "base_rate": 4.0, "company_id": self.company_b.id})
        Assignment = self.env["account.manager.commission.assignment"]
        Assignment.create(
            {"plan_id": plan_a.id, "user_id": self.siti.id, "date_from": "2026-01-01"}
        )
        Assignment.create(
            {"plan_id": plan_b.id, "user_id": self.siti.id, "date_from": "2026-01-01"}
        )
        other = Plan.create(
            {"name": "Plan DE 2", "base_rate": 5.0, "company_id": self.company_a.id}
        )
        with self.assertRefused(
            ValidationError,
            r"Siti Rahma already has a commission plan on some of these dates \(Plan DE from "
            r"2026-01-01\)",
        ):
            Assignment.create(
                {"plan_id": other.id, "user_id": self.siti.id, "date_from": "2026-03-01"}
            )
        self.assertEqual(len(Assignment.search([("user_id", "=", self.siti.id)])), 2)

    def test_review_uses_the_closed_quotas_company_settings(self):
        self.company_a.write({"ams_probation_threshold": 100.0, "ams_probation_periods": 2})
        self.company_b.write({"ams_probation_threshold": 80.0, "ams_probation_periods": 1})
        quota = self.env["account.manager.quota"].create(
            {
                "user_id": self.siti.id,
                "target": 30_000_000.0,
                "company_id": self.company_b.id,
                "period_type": "quarter",
                "date_from": date(2026, 4, 1),
                "date_to": date(2026, 6, 30),
            }
        )
        self.assertEqual(quota.attainment, 60.0)
        # Dewi works in the German company and closes the Indonesian quarter
        quota.with_user(self.dewi).with_context(
            allowed_company_ids=[self.company_a.id, self.company_b.id]
        ).action_close()
        self.assertEqual(self.siti.ams_performance_state, "probation")
        event = self.siti.ams_performance_event_ids
        self.assertEqual(event.company_id, self.company_b)
        self.assertIn("threshold 80.0%", event.reason)
        self.assertIn("18,000,000.00", event.reason)
