"""Commission computation: exact amounts per rule, from the ledger."""

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2.errors import ForeignKeyViolation

from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models import bulk_copy
from .common import AccountManagerCommon

Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@tagged("post_install", "-at_install")
class TestCommission(AccountManagerCommon):
    def sequence(self):
        """The commission lines' id sequence, for rows written with their id."""
        return bulk_copy.id_sequence(self.env.cr, self.Line._table)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["account.manager.commission.plan"]
        cls.Line = cls.env["account.manager.commission.line"]
        cls.account = cls.create_account("Provision AG", cls.anna, since=date(2025, 1, 1))
        cls.expense_account = cls.company_data["default_account_expense"]
        cls.quota = cls.env["account.manager.quota"].create(
            {
                "user_id": cls.anna.id,
                "target": 10000.0,
                "period_type": "quarter",
                "date_from": Q1[0],
                "date_to": Q1[1],
            }
        )

    def plan(self, **vals):
        tiers = vals.pop("tiers", [])
        plan = self.Plan.create(
            {
                "name": "Plan",
                "base_rate": 5.0,
                **vals,
                "tier_ids": [
                    Command.create({"attainment_from": f, "attainment_to": t, "rate": r})
                    for f, t, r in tiers
                ],
                "assignment_ids": [
                    Command.create({"user_id": self.anna.id, "date_from": date(2025, 1, 1)})
                ],
            }
        )
        return plan

    def compute(self, period=Q1):
        lines = self.Line._compute_period(self.anna, *period)
        return lines, round(sum(lines.mapped("amount")), 2)

    def test_base_rate_with_credit_note(self):
        self.plan()
        self.create_invoice(self.account, date(2026, 1, 10), 4000.0)
        self.create_invoice(self.account, date(2026, 2, 10), 2000.0)
        self.create_invoice(self.account, date(2026, 3, 10), 500.0, refund=True)
        self.create_invoice(self.account, date(2026, 4, 1), 9999.0)  # next quarter
        lines, total = self.compute()
        self.assertEqual(sorted(lines.mapped("amount")), [-25.0, 100.0, 200.0])
        self.assertEqual(total, 275.0)
        self.assertEqual(set(lines.mapped("rule_type")), {"base"})
        self.assertTrue(all(line.move_line_id.move_id == line.move_id for line in lines))
        # computing again replaces, never doubles
        self.assertEqual(self.compute()[1], 275.0)
        self.assertEqual(self.Line.search_count([("user_id", "=", self.anna.id)]), 3)

    def test_tiers_marginal_retroactive_linear(self):
        tiers = [(0, 50, 2.0), (50, 100, 5.0), (100, 0, 8.0)]
        self.create_invoice(self.account, date(2026, 2, 1), 7500.0)  # 75% of quota
        expected = {"marginal": 225.0, "retroactive": 375.0, "linear": 487.5}
        for mode, amount in expected.items():
            plan = self.plan(tier_mode=mode, tiers=tiers)
            lines, total = self.compute()
            self.assertEqual(total, amount, mode)
            self.assertEqual(lines.rule_type, "tier")
            plan.assignment_ids.unlink()
        # across 100%: 5,000 x 2% + 5,000 x 5% + 2,000 x 8%
        self.create_invoice(self.account, date(2026, 3, 1), 4500.0)
        self.plan(tier_mode="marginal", tiers=tiers)
        self.assertEqual(self.compute()[1], 510.0)

    def test_margin_basis_and_category_override(self):
        services = self.env["product.category"].create({"name": "Services"})
        consulting = self.env["product.category"].create(
            {"name": "Consulting", "parent_id": services.id}
        )
        product = self.env["product.product"].create(
            {"name": "Audit", "categ_id": consulting.id, "standard_price": 300.0}
        )
        self.plan(
            amount_basis="margin",
            base_rate=10.0,
            override_ids=[Command.create({"categ_id": services.id, "rate": 20.0})],
        )
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.account.id,
                "invoice_date": date(2026, 2, 2),
                "invoice_date_due": date(2026, 2, 2),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "quantity": 2,
                            "price_unit": 1000.0,
                            "tax_ids": [Command.clear()],
                        }
                    ),
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": 3,
                            "price_unit": 500.0,
                            "tax_ids": [Command.clear()],
                        }
                    ),
                ],
            }
        )
        move.action_post()
        lines, total = self.compute()
        by_rule = {line.rule_type: (line.base_amount, line.rate, line.amount) for line in lines}
        # product_a: 2,000 revenue - 2 x 800 cost = 400 margin at 10%
        self.assertEqual(by_rule["base"], (400.0, 10.0, 40.0))
        # audit: 1,500 - 3 x 300 = 600 margin at the parent category's 20%
        self.assertEqual(by_rule["category"], (600.0, 20.0, 120.0))
        self.assertEqual(total, 160.0)

    def test_new_business_rate(self):
        self.plan(new_business_months=6, new_business_rate=10.0)
        newcomer = self.create_account("Neu GmbH")
        newcomer._set_account_manager(self.anna, date(2026, 1, 15), reason="handover", force=True)
        self.create_invoice(newcomer, date(2026, 2, 1), 1000.0)
        self.create_invoice(self.account, date(2026, 2, 1), 1000.0)
        lines, total = self.compute()
        self.assertEqual(
            {(line.partner_id.name, line.rule_type, line.amount) for line in lines},
            {("Neu GmbH", "new_business", 100.0), ("Provision AG", "base", 50.0)},
        )
        self.assertEqual(total, 150.0)

    def test_bonuses_at_100_and_120_and_the_cap(self):
        plan = self.plan(
            bonus_ids=[
                Command.create({"threshold": 100.0, "amount": 500.0}),
                Command.create({"threshold": 120.0, "amount": 1000.0}),
            ]
        )
        self.create_invoice(self.account, date(2026, 2, 1), 12500.0)  # 125%
        lines, total = self.compute()
        self.assertEqual(
            sorted(lines.filtered(lambda line: line.rule_type == "bonus").mapped("amount")),
            [500.0, 1000.0],
        )
        self.assertEqual(total, 625.0 + 1500.0)
        plan.cap_amount = 1000.0
        lines, total = self.compute()
        self.assertEqual(lines.filtered(lambda line: line.rule_type == "cap").amount, -1125.0)
        self.assertEqual(total, 1000.0)

    def test_paid_basis_with_partial_payments(self):
        self.plan(earning_basis="paid")
        invoice = self.create_invoice(self.account, date(2026, 1, 10), 10000.0)
        self.pay(invoice, 4000.0, date(2026, 2, 10))
        self.pay(invoice, 6000.0, date(2026, 4, 5))
        lines, total = self.compute()
        self.assertEqual((lines.date, lines.base_amount, total), (date(2026, 2, 10), 4000.0, 200.0))
        q2_lines, q2_total = self.compute((date(2026, 4, 1), date(2026, 6, 30)))
        self.assertEqual((q2_lines.date, q2_total), (date(2026, 4, 5), 300.0))

    def test_foreign_currency_invoice(self):
        self.plan()
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        self.create_invoice(self.account, date(2026, 2, 1), 1000.0, currency=eur)
        lines, total = self.compute()
        self.assertEqual((lines.base_amount, total), (500.0, 25.0))

    def test_bad_plans_are_refused(self):
        with self.assertRefused(ValidationError, "between 0 and 100"):
            self.Plan.create({"name": "Neg", "base_rate": -1.0})
        with self.assertRefused(ValidationError, "between 0 and 100"):
            self.Plan.create({"name": "Big", "base_rate": 100.5})
        with self.assertRefused(ValidationError, "gap or overlap"):
            self.Plan.create(
                {
                    "name": "Gap",
                    "tier_mode": "marginal",
                    "tier_ids": [
                        Command.create({"attainment_from": 0, "attainment_to": 50, "rate": 1}),
                        Command.create({"attainment_from": 60, "attainment_to": 0, "rate": 2}),
                    ],
                }
            )
        with self.assertRefused(ValidationError, "gap or overlap"):
            self.Plan.create(
                {
                    "name": "Overlap",
                    "tier_mode": "marginal",
                    "tier_ids": [
                        Command.create({"attainment_from": 0, "attainment_to": 80, "rate": 1}),
                        Command.create({"attainment_from": 50, "attainment_to": 0, "rate": 2}),
                    ],
                }
            )
        with self.assertRefused(ValidationError, "must start at 0"):
            self.Plan.create(
                {
                    "name": "Late",
                    "tier_mode": "linear",
                    "tier_ids": [
                        Command.create({"attainment_from": 10, "attainment_to": 0, "rate": 1})
                    ],
                }
            )
        with self.assertRefused(ValidationError, "exactly one of them"):
            self.Plan.create({"name": "Vague", "override_ids": [Command.create({"rate": 3})]})
        self.plan()
        with self.assertRefused(ValidationError, "one plan at a time"):
            self.Plan.create(
                {
                    "name": "Second",
                    "assignment_ids": [
                        Command.create({"user_id": self.anna.id, "date_from": date(2026, 1, 1)})
                    ],
                }
            )
        self.assertEqual(self.Plan.search_count([("name", "!=", "Plan")]), 0)
        with self.assertRefused(UserError, "have no commission plan"):
            self.Line._compute_period(self.budi, *Q1)

    def test_managers_see_only_their_lines(self):
        self.plan()
        self.create_invoice(self.account, date(2026, 1, 10), 1000.0)
        lines, _total = self.compute()
        self.assertEqual(self.Line.with_user(self.anna).search([]), lines)
        self.assertFalse(self.Line.with_user(self.budi).search([]))
        self.assertEqual(self.Line.with_user(self.accountant).search([]), lines)
        self.assertEqual(self.Line.with_user(self.director).search([]), lines)
        with self.assertRaises(AccessError):
            self.Line.with_user(self.internal).search([])

    def test_margin_uses_the_invoices_cost_of_goods_items(self):
        self.plan(amount_basis="margin", base_rate=10.0)
        stock = self.env["account.account"].create(
            {"name": "Stock interim", "code": "101199", "account_type": "asset_current"}
        )
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.account.id,
                "invoice_date": date(2026, 2, 2),
                "invoice_date_due": date(2026, 2, 2),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "quantity": quantity,
                            "price_unit": 1000.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                    for quantity in (2, 3)
                ],
            }
        )
        # what anglo-saxon accounting posts: the real cost, 700, not the product's 5 x 800,
        # shared by the two lines of the product by their quantities (280 and 420)
        move.write(
            {
                "line_ids": [
                    Command.create(
                        {
                            "display_type": "cogs",
                            "name": "COGS",
                            "product_id": self.product_a.id,
                            "account_id": self.expense_account.id,
                            "balance": 700.0,
                        }
                    ),
                    Command.create(
                        {
                            "display_type": "cogs",
                            "name": "COGS",
                            "product_id": self.product_a.id,
                            "account_id": stock.id,
                            "balance": -700.0,
                        }
                    ),
                ]
            }
        )
        move.action_post()
        lines, total = self.compute()
        self.assertEqual(sorted(lines.mapped("base_amount")), [1720.0, 2580.0])
        self.assertEqual(total, 430.0)

    def test_payments_queue_the_paid_basis(self):
        self.plan(earning_basis="paid")
        invoice = self.create_invoice(self.account, date(2026, 1, 10), 10000.0)

        def earned():
            self.Line._cron_recompute_changed_invoices()
            lines = self.Line.search([("move_id", "=", invoice.id)])
            return sorted((line.date, line.amount) for line in lines)

        with freeze_time("2026-04-20"):
            self.assertEqual(earned(), [])
            self.pay(invoice, 4000.0, date(2026, 2, 10))
            self.assertTrue(invoice.ams_commission_pending)
            self.assertEqual(earned(), [(date(2026, 2, 10), 200.0)])
            second = self.pay(invoice, 6000.0, date(2026, 4, 5))
            self.assertEqual(earned(), [(date(2026, 2, 10), 200.0), (date(2026, 4, 5), 300.0)])
            # the second payment undone: what it earned goes
            second.action_draft()
            self.assertEqual(earned(), [(date(2026, 2, 10), 200.0)])

    def test_margin_uses_the_cost_on_the_invoice_date(self):
        Cost = self.env["account.manager.product.cost"]
        # created after the January invoice's date: its first cost holds before too
        with freeze_time("2026-01-20"):
            widget = self.env["product.product"].create({"name": "Widget", "standard_price": 60.0})
        with freeze_time("2026-02-15"):
            widget.standard_price = 80.0
        self.assertEqual(
            [(h.date, h.cost) for h in Cost.search([("product_id", "=", widget.id)])],
            [(date(2026, 2, 15), 80.0), (date(2026, 1, 20), 60.0)],
        )
        # a product from before the module: its first change keeps the cost it had
        gadget = self.env["product.product"].create({"name": "Gadget", "standard_price": 50.0})
        Cost.search([("product_id", "=", gadget.id)]).sudo().unlink()
        with freeze_time("2026-02-15"):
            gadget.standard_price = 70.0
        self.plan(amount_basis="margin", base_rate=10.0)
        # the day of the change has the new cost, once (not the old one, not both)
        for day in (date(2026, 1, 10), date(2026, 2, 15), date(2026, 3, 10)):
            self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.account.id,
                    "invoice_date": day,
                    "invoice_date_due": day,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": 2,
                                "price_unit": 100.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for product in (widget, gadget)
                    ],
                }
            ).action_post()
        lines, total = self.compute()
        self.assertEqual(
            sorted(
                (line.date, line.move_line_id.product_id.name, line.base_amount) for line in lines
            ),
            [
                (date(2026, 1, 10), "Gadget", 100.0),  # 200 - 2 x 50
                (date(2026, 1, 10), "Widget", 80.0),  # 200 - 2 x 60
                (date(2026, 2, 15), "Gadget", 60.0),  # 200 - 2 x 70
                (date(2026, 2, 15), "Widget", 40.0),  # 200 - 2 x 80
                (date(2026, 3, 10), "Gadget", 60.0),  # 200 - 2 x 70
                (date(2026, 3, 10), "Widget", 40.0),  # 200 - 2 x 80
            ],
        )
        self.assertEqual(total, 38.0)  # 10 % of 100 + 80 + 60 + 40 + 60 + 40

    def test_lines_written_in_chunks_equal_one_statement(self):
        # a large period is written a chunk at a time, one COPY statement a chunk: the
        # same lines as one statement
        self.plan(bonus_ids=[Command.create({"threshold": 10.0, "amount": 50.0})])
        for day in range(1, 8):
            self.create_invoice(self.account, date(2026, 2, day), 100.0 * day + 0.01)
        self.create_invoice(self.account, date(2026, 3, 1), 120.0, refund=True)

        def written(lines):
            return [
                (line.move_line_id.id, line.rule_type, line.base_amount, line.rate,
                 line.amount, line.explanation, line.date, line.move_id.id, line.partner_id.id)
                for line in lines.sorted(lambda line: (line.move_line_id.id, line.rule_type))
            ]  # fmt: skip

        at_once = written(self.compute()[0])
        with (
            patch.object(bulk_copy, "CHUNK", 3),
            patch.object(bulk_copy, "_copy", wraps=bulk_copy._copy) as statements,
        ):
            lines = self.Line._compute_period(self.anna, *Q1)
            in_chunks = written(lines)
        self.assertEqual(statements.call_count, 3)  # 9 lines: three chunks of 3
        self.assertEqual(in_chunks, at_once)
        self.assertEqual(len(at_once), 9)
        self.assertEqual(self.Line.search_count([("user_id", "=", self.anna.id)]), 9)
        self.assertEqual(len(lines), 9)
        self.assertTrue(all(line.create_uid == self.env.user for line in lines))
        # the first chunks smaller, doubling up to the chunk's size: 1, 2, 4, then 2
        with (
            patch.object(bulk_copy, "CHUNK", 4),
            patch.object(bulk_copy, "FIRST_CHUNK", 1),
            patch.object(bulk_copy, "_copy", wraps=bulk_copy._copy) as statements,
        ):
            ramped = self.Line._compute_period(self.anna, *Q1)
        sizes = [call.args[2].count("\n") for call in statements.call_args_list]
        self.assertEqual(sizes, [1, 2, 4, 2])
        self.assertEqual(written(ramped), at_once)

    def test_an_error_while_a_chunk_is_computed_leaves_the_transaction_as_before(self):
        # the rows are computed while the previous chunk is written: a rule's error in
        # the middle of a chunk is raised as it is, nothing of that chunk is written, and
        # the transaction goes on
        self.plan()
        self.create_invoice(self.account, date(2026, 2, 1), 100.0)
        line = self.compute()[0]
        values = (str(line.user_id.id), str(line.plan_id.id), "2026-01-01", "2026-03-31",
                  str(line.company_id.id), "base", "draft")  # fmt: skip
        ids = bulk_copy.reserve_ids(self.env.cr, self.sequence(), 3)

        def rows():
            yield (str(ids[0]), *values)
            yield (str(ids[1]), *values)
            raise ValueError("a rule refused the period")

        columns = ("id", "user_id", "plan_id", "date_from", "date_to", "company_id",
                   "rule_type", "state")  # fmt: skip
        with self.assertRaisesRegex(ValueError, "a rule refused the period"):
            bulk_copy.copy_rows(self.env.cr, self.Line._table, columns, rows())
        self.assertEqual(self.Line.search_count([("user_id", "=", self.anna.id)]), 1)
        # and many chunks, written by the thread one after the other, write every row
        many = bulk_copy.reserve_ids(self.env.cr, self.sequence(), 5000)
        written = bulk_copy.copy_rows(
            self.env.cr,
            self.Line._table,
            columns,
            ((str(i), *values) for i in many),
            chunk_size=700,
        )
        self.assertEqual(written, 5000)
        self.assertEqual(self.Line.search_count([("user_id", "=", self.anna.id)]), 5001)
        # new rows take their ids from the sequence chunk by chunk, returned in order
        new_ids = bulk_copy.copy_new_rows(
            self.env.cr,
            self.Line._table,
            (*columns[1:], "base_amount"),
            ((*values, str(number)) for number in range(1, 1501)),
            chunk_size=700,
        )
        self.assertEqual(len(set(new_ids)), 1500)
        self.assertGreater(min(new_ids), max(many))
        self.assertEqual(self.Line.browse(new_ids).mapped("base_amount"), list(range(1, 1501)))

    def test_a_chunk_refused_by_the_database_fails_the_computation(self):
        # an error of the second chunk is raised in the computation, and the transaction
        # rolls back to before the first as for one statement
        self.plan()
        for day in range(1, 5):
            self.create_invoice(self.account, date(2026, 2, day), 100.0)
        lines = self.compute()[0]
        line = lines[-1]
        missing = line.move_line_id.id + 10_000_000  # no such invoice line
        values = (str(line.user_id.id), str(line.plan_id.id), "2026-01-01", "2026-03-31",
                  str(line.company_id.id), "base", "draft")  # fmt: skip
        ids = bulk_copy.reserve_ids(self.env.cr, self.sequence(), 4)
        rows = [(str(line_id), *values, bulk_copy.NULL) for line_id in ids]
        rows[3] = (*rows[3][:-1], str(missing))  # the second chunk's last row
        columns = ("id", "user_id", "plan_id", "date_from", "date_to", "company_id",
                   "rule_type", "state", "move_line_id")  # fmt: skip
        with self.assertRaises(ForeignKeyViolation), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                bulk_copy.copy_rows(self.env.cr, self.Line._table, columns, rows, chunk_size=2)
        self.assertEqual(self.Line.search_count([("user_id", "=", self.anna.id)]), 4)
