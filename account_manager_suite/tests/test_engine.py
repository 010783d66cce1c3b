"""The attribution engine as the one source of every figure: the stored manager of
invoices agrees with it, one ownership join serves every query (figures of companies in
two currencies: test_two_currencies.py)."""

import re
from datetime import date
from datetime import datetime
from datetime import time
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import tagged

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
