"""The commission jobs: the queue of changed invoices (``_recompute_moves``) equal to a
full recompute and to hand-computed amounts, and the running period's recompute, both
through their ``ir.cron`` records."""

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .settlement_common import Q1
from .settlement_common import Q2
from .settlement_common import SettlementCommon


@tagged("post_install", "-at_install")
class TestCommissionQueue(SettlementCommon):
    def test_incremental_equals_full_recompute(self):
        """The queue's path (``_recompute_moves``) and a recompute from scratch give the
        same lines, and both the right amounts: 10,000 and 2,000 at 5 % (500.00, 100.00);
        then 10.10 on the quarter's last day (0.505 -> 0.51), a draft invoice on its first
        day and a cancelled one (nothing): 600.51."""
        Line = self.env["account.manager.commission.line"]

        def rows(lines):
            return sorted((line.move_line_id.id, line.rule_type, line.amount) for line in lines)

        full = Line._compute_period(self.anna, *Q1)
        self.assertEqual(sorted(full.mapped("amount")), [100.0, 500.0])
        late = self.create_invoice(self.alpha, date(2026, 3, 31), 10.10)
        draft = self.create_invoice(self.alpha, date(2026, 1, 1), 999.0, post=False)
        cancelled = self.create_invoice(self.alpha, date(2026, 1, 1), 777.0)
        cancelled.button_draft()
        cancelled.button_cancel()
        incremental = Line._recompute_moves(late | draft | cancelled)
        self.assertEqual(incremental.user_id, self.anna)
        incremental_rows = rows(incremental)
        again = Line._compute_period(self.anna, *Q1)
        self.assertEqual(incremental_rows, rows(again))
        self.assertEqual(
            sorted((line.move_id.invoice_date, line.amount) for line in again),
            [(date(2026, 1, 10), 500.0), (date(2026, 2, 10), 100.0), (date(2026, 3, 31), 0.51)],
        )
        self.assertEqual(sorted(again.mapped("amount")), [0.51, 100.0, 500.0])
        self.assertEqual(round(sum(again.mapped("amount")), 2), 600.51)

    def test_cron_keeps_the_running_period_current(self):
        with freeze_time("2026-05-20"):
            self.create_invoice(self.beta, date(2026, 5, 2), 3000.0)
            self.run_cron("ir_cron_recompute_commissions")
        lines = self.env["account.manager.commission.line"].search([("date_from", "=", Q2[0])])
        self.assertEqual([(line.user_id, line.amount) for line in lines], [(self.budi, 150.0)])

    def test_the_running_period_job_takes_the_managers_in_batches(self):
        """``ir_cron_recompute_commissions`` through its record, one plan assignment a
        run: Anna's running quarter first (5 % of 2,000.00 = 100.00), then Budi's (5 % of
        3,000.00 = 150.00 and of 1,000.10 = 50.01, half a cent up: 200.01); done for
        today, a third run takes nothing and leaves the lines as they are."""
        Line = self.env["account.manager.commission.line"]

        def running():
            lines = Line.search([("date_from", "=", Q2[0])])
            return sorted((line.user_id.name, line.amount) for line in lines)

        run = "ir_cron_recompute_commissions"
        with freeze_time("2026-05-20"):
            self.create_invoice(self.alpha, date(2026, 5, 4), 2000.0)
            self.create_invoice(self.beta, date(2026, 5, 2), 3000.0)
            self.create_invoice(self.beta, date(2026, 5, 19), 1000.10)
            self.assertEqual(self.run_scheduled_action(run, batch_size=1), (1, 1))
            self.assertEqual(running(), [(self.anna.name, 100.0)])
            both = [(self.anna.name, 100.0), (self.budi.name, 50.01), (self.budi.name, 150.0)]
            self.assertEqual(self.run_scheduled_action(run, batch_size=1), (1, 0))
            self.assertEqual(running(), both)
            self.assertEqual(self.run_scheduled_action(run, batch_size=1), (0, 0))
            self.assertEqual(running(), both)
        assignments = self.env["account.manager.commission.assignment"].search(
            [("user_id", "in", (self.anna | self.budi).ids)]
        )
        self.assertEqual(assignments.mapped("commissions_computed_on"), [date(2026, 5, 20)] * 2)

    def test_posting_queues_the_invoice_and_the_cron_computes_its_period(self):
        cron = self.env.ref("account_manager_suite.ir_cron_recompute_changed_invoices")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        with freeze_time("2026-05-20"):
            invoice = self.create_invoice(self.beta, date(2026, 5, 2), 3000.0)
            self.assertTrue(invoice.ams_commission_pending)
            self.assertGreater(
                self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
                len(triggers),
                "posting wakes the scheduled action",
            )
            self.run_queue()
        self.assertFalse(invoice.ams_commission_pending)
        lines = self.env["account.manager.commission.line"].search([("date_from", "=", Q2[0])])
        self.assertEqual(
            [(line.user_id, line.move_id, line.amount) for line in lines],
            [(self.budi, invoice, 150.0)],
        )

    def test_the_queue_leaves_out_a_manager_whose_plan_ends_in_the_period(self):
        Line = self.env["account.manager.commission.line"]
        self.env["account.manager.commission.assignment"].search(
            [("user_id", "=", self.anna.id)]
        ).date_to = date(2026, 5, 15)
        with freeze_time("2026-05-20"):
            self.create_invoice(self.alpha, date(2026, 5, 2), 1000.0)
            self.create_invoice(self.beta, date(2026, 5, 3), 2000.0)
            self.run_queue()
            Line._cron_recompute_running_period()
        lines = Line.search([("date_from", "=", Q2[0])])
        self.assertEqual([(line.user_id, line.amount) for line in lines], [(self.budi, 100.0)])
        # the settlement says what is missing
        self.env["account.manager.quota"].search([("date_from", "=", Q2[0])]).action_close()
        with self.assertRefused(UserError, "Anna Becker have no commission plan on 2026-06-30"):
            self.Settlement._propose(*Q2)

    def test_a_reassignment_moves_the_commission_of_the_open_period(self):
        Line = self.env["account.manager.commission.line"]
        with freeze_time("2026-05-20"):
            invoice = self.create_invoice(self.alpha, date(2026, 5, 12), 1000.0)
            self.run_queue()
            self.assertEqual(Line.search([("move_id", "=", invoice.id)]).user_id, self.anna)
            self.alpha.with_user(self.director)._set_account_manager(
                self.budi, date(2026, 5, 10), reason="reassignment"
            )
            self.assertTrue(invoice.ams_commission_pending)
            self.run_queue()
        lines = Line.search([("move_id", "=", invoice.id)])
        self.assertEqual([(line.user_id, line.amount) for line in lines], [(self.budi, 50.0)])

    def test_the_queue_equals_a_full_recompute_after_every_kind_of_change(self):
        """Invoices posted, credited, reset, posted again, paid, unpaid and re-assigned in
        the open quarter: after each change the queue job leaves exactly the lines a
        recompute from scratch gives, on the invoiced and on the paid basis."""
        Line = self.env["account.manager.commission.line"]
        plan = self.env["account.manager.commission.plan"].search([("name", "=", "5%")])

        def snapshot():
            lines = Line.search([("date_from", "=", Q2[0]), ("is_correction", "=", False)])
            return sorted(
                (line.user_id.login, line.move_line_id.id, line.rule_type, line.amount)
                for line in lines
            )

        def changes(first, second):
            return [
                lambda: None,
                lambda: self.create_invoice(self.alpha, date(2026, 4, 20), 400.0, refund=True),
                lambda: self.pay(first, 1000.0, date(2026, 5, 2)),
                lambda: self.pay(second, 5000.0, date(2026, 5, 3)),
                lambda: first.button_draft(),
                lambda: first.write({"invoice_line_ids": [
                    Command.update(first.invoice_line_ids.id, {"price_unit": 3500.0})
                ]}),
                lambda: first.action_post(),
                lambda: self.pay(first, 500.0, date(2026, 6, 1)),
                lambda: self.alpha.with_user(self.director)._set_account_manager(
                    self.budi, date(2026, 4, 15), reason="reassignment"
                ),
                # the quarter's last day, a half cent, on the account Budi has now
                lambda: self.create_invoice(self.alpha, date(2026, 6, 30), 10.10),
                # a draft on the quarter's first day, and a cancelled invoice
                lambda: self.create_invoice(self.beta, date(2026, 4, 1), 999.0, post=False),
                lambda: cancel(self.create_invoice(self.beta, date(2026, 4, 1), 777.0)),
            ]  # fmt: skip

        def cancel(invoice):
            invoice.button_draft()
            invoice.button_cancel()

        # where it ends, by hand (Alpha is Anna's until 14 April, Budi's from 15 April):
        # invoiced: Anna 3,500 (re-posted first) x 5 % = 175.00; Budi 5,000 - 400 + 10.10
        #   = 4,610.10 x 5 % = 250.00 - 20.00 + 0.51 (0.505) = 230.51
        # paid: the first invoice reset lost its 1,000 payment; of its 3,500, 500 paid on
        #   1 June -> Anna 25.00; the second paid in full -> Budi 250.00; the credit note and
        #   the 10.10 are not paid
        expected = {
            "invoiced": [
                ("anna", "base", 175.0), ("budi", "base", -20.0), ("budi", "base", 0.51),
                ("budi", "base", 250.0),
            ],
            "paid": [("anna", "base", 25.0), ("budi", "base", 250.0)],
        }  # fmt: skip

        for basis in ("invoiced", "paid"):
            with self.subTest(basis), freeze_time("2026-06-20"), self.env.cr.savepoint() as sp:
                plan.earning_basis = basis
                first = self.create_invoice(self.alpha, date(2026, 4, 3), 3000.0)
                second = self.create_invoice(self.beta, date(2026, 4, 9), 5000.0)
                for number, change in enumerate(changes(first, second)):
                    change()
                    self.run_queue()
                    incremental = snapshot()
                    Line._compute_period(self.anna | self.budi, *Q2)
                    self.assertEqual(incremental, snapshot(), f"after change {number}")
                self.assertEqual(
                    sorted((login, rule, amount) for login, _line, rule, amount in incremental),
                    expected[basis],
                )
                self.env.flush_all()
                sp.rollback()
                self.env.invalidate_all()

    def test_an_invoice_moved_before_the_queue_runs(self):
        """An invoice reset, moved to another account or another quarter and posted again,
        or re-assigned with its account, before the queue job runs: the job computes the
        periods of the manager and date it was computed with too, so the former owner's
        bonus goes with the revenue (on the paid basis too, where the moved invoice, not
        paid, has earned nothing yet)."""
        Line = self.env["account.manager.commission.line"]
        plan = self.env["account.manager.commission.plan"].search([("name", "=", "5%")])
        plan.bonus_ids = [Command.create({"threshold": 100.0, "amount": 300.0})]

        def snapshot():
            lines = Line.search([("is_correction", "=", False)])
            return sorted(
                (line.user_id.login, str(line.date_from), line.rule_type, line.amount)
                for line in lines
            )

        def moved(change):
            def move_it(invoice):
                invoice.button_draft()
                change(invoice)
                invoice.action_post()

            return move_it

        def reassign(_invoice):
            self.alpha.with_user(self.director)._set_account_manager(
                self.budi, date(2026, 4, 5), reason="reassignment"
            )

        scenarios = {
            "to Beta": ("invoiced", moved(lambda inv: inv.write({"partner_id": self.beta.id}))),
            "to Q1": ("invoiced", moved(lambda inv: inv.write({"invoice_date": Q1[1]}))),
            "re-assigned": ("paid", reassign),
        }
        for label, (basis, move_it) in scenarios.items():
            with self.subTest(label), freeze_time("2026-06-20"), self.env.cr.savepoint() as sp:
                plan.earning_basis = basis
                first = self.create_invoice(self.alpha, date(2026, 4, 3), 6000.0)
                second = self.create_invoice(self.alpha, date(2026, 4, 9), 5000.0)
                self.pay(first, 6000.0, date(2026, 4, 20))
                self.run_queue()
                self.assertIn(("anna", "2026-04-01", "bonus", 300.0), snapshot())
                move_it(second)
                self.run_queue()  # once, after all the changes
                incremental = snapshot()
                Line._compute_period(self.anna | self.budi, *Q1)
                Line._compute_period(self.anna | self.budi, *Q2)
                self.assertEqual(incremental, snapshot())
                # 6,000 of a 10,000 quota: Anna's bonus of the quarter is gone
                anna_q2 = [row for row in incremental if row[:2] == ("anna", "2026-04-01")]
                self.assertEqual(anna_q2, [("anna", "2026-04-01", "base", 300.0)])
                self.env.flush_all()
                sp.rollback()
                self.env.invalidate_all()

    def test_the_queue_job_works_in_batches(self):
        Line = self.env["account.manager.commission.line"]
        Move = self.env["account.move"]
        pending = [("ams_commission_pending", "=", True)]
        with freeze_time("2026-05-20"):
            for day in (2, 3, 4):
                self.create_invoice(self.beta, date(2026, 5, day), 1000.0)
            self.assertEqual(Move.search_count(pending), 6)  # with the three of Q1
            with patch.object(type(Line), "_queue_batch_size", 4):
                self.run_queue()
                self.assertEqual(Move.search_count(pending), 2)
                self.run_queue()
            self.assertEqual(Move.search_count(pending), 0)
        q2 = Line.search([("date_from", "=", Q2[0])])
        self.assertEqual(sum(q2.mapped("amount")), 150.0)
        self.assertEqual(sum(Line.search([("date_from", "=", Q1[0])]).mapped("amount")), 800.0)

    def test_a_periods_lines_by_manager_are_read_from_the_index(self):
        # the queue reads a manager's lines of a period, the quarterly results sum a
        # period's lines by manager: one index on (period, manager) serves both, holding
        # the company and the amount, so that the sum reads no line
        self.env["account.manager.commission.line"]._compute_period(self.anna, *Q1)
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute("SET LOCAL enable_bitmapscan = off")
        index = "Index Only Scan using account_manager_commission_line__period_user_index"
        self.env.cr.execute(
            "EXPLAIN SELECT user_id, SUM(amount) FROM account_manager_commission_line "
            "WHERE date_from = %s AND company_id = %s GROUP BY user_id",
            [Q1[0], self.env.company.id],
        )
        self.assertIn(index, "\n".join(row[0] for row in self.env.cr.fetchall()))
        self.env.cr.execute(
            "SELECT to_regclass('account_manager_commission_line__date_from_index'), "
            "to_regclass('account_manager_commission_line__user_period_index')"
        )
        self.assertEqual(self.env.cr.fetchone(), (None, None), "replaced by the pair")
