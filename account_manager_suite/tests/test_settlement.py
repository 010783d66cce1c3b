"""Commission settlement through the books: accrual, approval, vendor bill, disputes."""

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AccountManagerCommon

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
Q2 = (date(2026, 4, 1), date(2026, 6, 30))


@tagged("post_install", "-at_install")
class TestSettlement(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.expense = cls.company_data["default_account_expense"]
        cls.accrued = cls.env["account.account"].create(
            {"name": "Accrued commissions", "code": "2190AMS", "account_type": "liability_current"}
        )
        cls.journal = cls.company_data["default_journal_misc"]
        company.write(
            {
                "ams_commission_expense_account_id": cls.expense.id,
                "ams_commission_accrual_account_id": cls.accrued.id,
                "ams_commission_journal_id": cls.journal.id,
            }
        )
        cls.create_plan("5%", 5.0, cls.anna | cls.budi)
        cls.alpha = cls.create_account("Alpha AG", cls.anna, since=date(2025, 1, 1))
        cls.beta = cls.create_account("Beta KG", cls.budi, since=date(2025, 1, 1))
        cls.create_invoice(cls.alpha, date(2026, 1, 10), 10000.0)
        cls.create_invoice(cls.alpha, date(2026, 2, 10), 2000.0)
        cls.create_invoice(cls.beta, date(2026, 3, 10), 4000.0)
        cls.Settlement = cls.env["account.manager.commission.settlement"]
        for user in (cls.anna, cls.budi):
            for start, end in (Q1, Q2):
                quota = cls.env["account.manager.quota"].create(
                    {
                        "user_id": user.id,
                        "target": 10000.0,
                        "period_type": "quarter",
                        "date_from": start,
                        "date_to": end,
                    }
                )
                if start == Q1[0]:
                    quota.action_close()

    def balance(self, account, partner=None):
        domain = [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return round(sum(self.env["account.move.line"].search(domain).mapped("balance")), 2)

    def test_accrue_approve_bill_reverse(self):
        settlements = self.Settlement._propose(*Q1)
        anna = settlements.filtered(lambda s: s.user_id == self.anna)
        self.assertEqual(anna.amount_total, 600.0)
        accrual = anna.accrual_move_id
        self.assertEqual(accrual.date, Q1[1])
        self.assertEqual(accrual.state, "posted")
        self.assertEqual(self.balance(self.accrued), -800.0)  # 600 Anna + 200 Budi
        self.assertEqual(self.balance(self.accrued, self.anna.partner_id), -600.0)
        self.assertEqual(sum(accrual.line_ids.mapped("balance")), 0.0)
        with self.assertRefused(UserError, "approve .* first"):
            anna.with_user(self.accountant).action_create_bill()
        with self.assertRefused(AccessError, "Only a Sales Director"):
            anna.with_user(self.accountant).action_approve()
        anna.with_user(self.director).action_approve()
        action = anna.with_user(self.accountant).action_create_bill()
        bill = anna.bill_id
        self.assertEqual((action["res_model"], action["res_id"]), ("account.move", bill.id))
        # the bill waits in draft for the accountant: nothing is released yet
        self.assertEqual((bill.move_type, bill.state), ("in_invoice", "draft"))
        self.assertEqual(self.balance(self.accrued, self.anna.partner_id), -600.0)
        bill.with_user(self.accountant).action_post()
        self.assertEqual(anna.bill_state, "posted")
        self.assertEqual(bill.partner_id, self.anna.partner_id)
        self.assertEqual(bill.amount_total, 600.0)
        self.assertEqual(bill.amount_total, sum(anna.line_ids.mapped("amount")))
        self.assertEqual(bill.invoice_line_ids.account_id, self.expense)
        self.assertEqual(set(anna.line_ids.mapped("state")), {"settled"})
        # the accrual of Anna is released, Budi's is still owed
        self.assertEqual(self.balance(self.accrued, self.anna.partner_id), 0.0)
        self.assertEqual(self.balance(self.accrued), -200.0)
        # the bill is a payable like any other
        payable = bill.line_ids.filtered(
            lambda line: line.account_id.account_type == "liability_payable"
        )
        self.assertEqual(payable.balance, -600.0)
        with self.assertRefused(UserError, "billed already"):
            anna.with_user(self.accountant).action_create_bill()
        self.assertEqual(
            self.env["account.move"].search_count(
                [("move_type", "=", "in_invoice"), ("partner_id", "=", self.anna.partner_id.id)]
            ),
            1,
        )

    def test_disputed_line_is_held_then_paid_later(self):
        anna = self.Settlement._propose(*Q1).filtered(lambda s: s.user_id == self.anna)
        disputed = anna.line_ids.filtered(lambda line: line.base_amount == 2000.0)
        with self.assertRefused(
            AccessError, "top-secret records|not allowed to"
        ):  # Budi cannot even read Anna's lines
            disputed.with_user(self.budi).action_dispute("not mine")
        disputed.with_user(self.anna).action_dispute("Invoice was corrected")
        self.assertEqual(anna.amount_total, 500.0)
        anna.with_user(self.director).action_approve()
        self.bill(anna)
        self.assertEqual(anna.bill_id.amount_total, 500.0)
        self.assertFalse(disputed.settlement_id)
        self.assertEqual(disputed.state, "draft")
        self.assertEqual(self.balance(self.accrued, self.anna.partner_id), -100.0)
        disputed.with_user(self.director).action_resolve_dispute()
        self.env["account.manager.quota"].search([("date_from", "=", Q2[0])]).action_close()
        later = self.Settlement._propose(*Q2).filtered(lambda s: s.user_id == self.anna)
        self.assertIn(disputed, later.line_ids)
        self.assertEqual(later.amount_total, 100.0)
        self.assertFalse(
            later.accrual_move_id.line_ids.filtered(
                lambda line: line.partner_id == self.anna.partner_id
            ),
            "accrued once, in Q1",
        )
        later.with_user(self.director).action_approve()
        self.bill(later)
        self.assertEqual(later.bill_id.amount_total, 100.0)
        self.assertEqual(self.balance(self.accrued, self.anna.partner_id), 0.0)

    def test_proposing_twice_and_missing_configuration_are_refused(self):
        self.Settlement._propose(*Q1)
        with self.assertRefused(UserError, "settled already"):
            self.Settlement._propose(*Q1)
        with self.assertRefused(UserError, "No closed quota period"):
            self.Settlement._propose(*Q2)
        self.env.company.ams_commission_accrual_account_id = False
        self.env["account.manager.quota"].search([("date_from", "=", Q2[0])]).action_close()
        with self.assertRefused(UserError, "Configure Accrued Commissions Account"):
            self.Settlement._propose(*Q2)
        self.assertEqual(self.Settlement.search_count([("date_from", "=", Q2[0])]), 0)

    def test_managers_see_only_their_settlements(self):
        self.Settlement._propose(*Q1)
        self.assertEqual(self.Settlement.with_user(self.anna).search([]).user_id, self.anna)
        self.assertEqual(len(self.Settlement.with_user(self.accountant).search([])), 2)
        with self.assertRaises(AccessError):
            self.Settlement.with_user(self.internal).search([])

    def settle(self, period, user):
        settlement = self.Settlement.search(
            [("user_id", "=", user.id), ("date_from", "=", period[0])]
        ) or self.Settlement._propose(*period).filtered(lambda s: s.user_id == user)
        settlement.with_user(self.director).action_approve()
        return self.bill(settlement)

    def bill(self, settlement):
        """The accountant creates the vendor bill and posts it."""
        settlement.with_user(self.accountant).action_create_bill()
        settlement.bill_id.with_user(self.accountant).action_post()
        return settlement

    def test_clawback_after_settlement_becomes_a_vendor_credit_note(self):
        first = self.settle(Q1, self.anna)
        self.assertEqual(first.bill_id.amount_total, 600.0)
        invoice = self.env["account.move"].search(
            [("partner_id", "=", self.alpha.id), ("invoice_date", "=", date(2026, 1, 10))]
        )
        with freeze_time("2026-05-10"):
            invoice.button_draft()
            invoice.button_cancel()
        clawback = self.env["account.manager.commission.line"].search(
            [("rule_type", "=", "clawback")]
        )
        self.assertEqual((clawback.amount, clawback.date_from), (-500.0, Q2[0]))
        self.env["account.manager.quota"].search([("date_from", "=", Q2[0])]).action_close()
        second = self.settle(Q2, self.anna)
        self.assertEqual(second.amount_total, -500.0)
        self.assertEqual(second.bill_id.move_type, "in_refund")
        self.assertEqual(second.bill_id.amount_total, 500.0)
        # what was accrued is released exactly: the books owe Anna nothing
        self.assertEqual(self.balance(self.accrued, self.anna.partner_id), 0.0)
        payable = self.env["res.partner"].browse(self.anna.partner_id.id)
        self.assertEqual(
            round(
                sum(
                    self.env["account.move.line"]
                    .search(
                        [
                            ("partner_id", "=", payable.id),
                            ("parent_state", "=", "posted"),
                            ("account_id.account_type", "=", "liability_payable"),
                        ]
                    )
                    .mapped("balance")
                ),
                2,
            ),
            -100.0,  # 600 billed - 500 credited
        )

    def test_clawback_of_lines_in_an_approved_but_unbilled_settlement(self):
        """The 2,000 invoice reset while Anna's Q1 settlement is approved but not billed:
        its line stays in the settlement on its way to the bill (600.00 billed), and a
        claw-back of 2,000 x 5 % = 100.00 waits in the running quarter, dated like the
        line it takes back, to be deducted by the next settlement."""
        Line = self.env["account.manager.commission.line"]
        settlement = self.Settlement._propose(*Q1).filtered(lambda s: s.user_id == self.anna)
        settlement.with_user(self.director).action_approve()
        self.assertEqual((settlement.state, settlement.amount_total), ("approved", 600.0))
        invoice = self.env["account.move"].search(
            [("partner_id", "=", self.alpha.id), ("invoice_date", "=", date(2026, 2, 10))]
        )
        with freeze_time("2026-05-10"):
            invoice.button_draft()
        clawback = Line.search([("rule_type", "=", "clawback")])
        self.assertEqual(
            (
                clawback.amount,
                clawback.base_amount,
                clawback.date_from,
                clawback.date,
                clawback.move_id,
                clawback.settlement_id,
                clawback.is_correction,
            ),
            (-100.0, -2000.0, Q2[0], date(2026, 2, 10), invoice, settlement.browse(), True),
        )
        self.assertEqual(settlement.amount_total, 600.0)
        self.assertEqual(len(settlement.line_ids.filtered(lambda line: line.move_id == invoice)), 1)
        self.assertEqual(self.bill(settlement).bill_id.amount_total, 600.0)
        self.env["account.manager.quota"].search([("date_from", "=", Q2[0])]).action_close()
        second = self.Settlement._propose(*Q2).filtered(lambda s: s.user_id == self.anna)
        self.assertEqual(second.amount_total, -100.0)

    def test_credit_note_after_settlement_claws_back_in_its_period(self):
        self.settle(Q1, self.anna)
        self.create_invoice(self.alpha, date(2026, 5, 5), 1000.0, refund=True)
        self.env["account.manager.quota"].search([("date_from", "=", Q2[0])]).action_close()
        second = self.Settlement._propose(*Q2).filtered(lambda s: s.user_id == self.anna)
        self.assertEqual(second.amount_total, -50.0)

    def test_accrual_after_a_lock_date_goes_to_the_next_open_period(self):
        self.env.company.fiscalyear_lock_date = date(2026, 4, 30)
        settlements = self.Settlement._propose(*Q1)
        self.assertEqual(settlements.accrual_move_id.date, date(2026, 5, 1))

    def test_wizard_proposes_ready_periods_with_totals(self):
        wizard = self.env["account.manager.settle.wizard"].with_user(self.director).create({})
        self.assertEqual(
            {(line.user_id.login, line.date_from, line.amount) for line in wizard.line_ids},
            {("anna", Q1[0], 600.0), ("budi", Q1[0], 200.0)},
        )
        wizard.action_confirm()
        self.assertEqual(len(self.Settlement.search([("date_from", "=", Q1[0])])), 2)
        again = self.env["account.manager.settle.wizard"].with_user(self.director).create({})
        self.assertFalse(again.line_ids)
        with self.assertRefused(UserError, "No closed period waits"):
            again.action_confirm()

    def test_statement_shows_the_figures(self):
        settlement = self.settle(Q1, self.anna)
        report = self.env.ref("account_manager_suite.action_report_commission_statement")
        html = report._render_qweb_html(report.report_name, settlement.ids)[0].decode()
        for text in (
            "Commission Statement",
            "Anna Becker",
            "Alpha AG",
            "Base Rate",
            settlement.bill_id.name,
        ):
            self.assertIn(text, html)
        # amounts compared as numbers: 400.00 is not found in 1,400.00
        self.assertAmounts(html, [12000.0, 600.0])
        self.assertRegex(html, r'o_ams_attainment">\s*120\.0\s*%')
        self.assertRegex(html, r"5\.00\s*%")
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, settlement.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

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

    def test_settled_lines_are_locked(self):
        settlement = self.settle(Q1, self.anna)
        line = settlement.line_ids[0]
        with self.assertRefused(UserError, "Settled commission lines are locked"):
            line.amount = 1.0
        with self.assertRefused(UserError, "cannot be deleted"):
            line.unlink()
        self.assertEqual(settlement.bill_id.amount_total, 600.0)

    def test_cron_keeps_the_running_period_current(self):
        with freeze_time("2026-05-20"):
            self.create_invoice(self.beta, date(2026, 5, 2), 3000.0)
            self.run_cron("ir_cron_recompute_commissions")
        lines = self.env["account.manager.commission.line"].search([("date_from", "=", Q2[0])])
        self.assertEqual([(line.user_id, line.amount) for line in lines], [(self.budi, 150.0)])

    def run_queue(self):
        """The queue job, through its scheduled action's record."""
        self.run_cron("ir_cron_recompute_changed_invoices")

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

    def test_late_invoice_of_a_settled_period_is_paid_in_the_running_period(self):
        Line = self.env["account.manager.commission.line"]
        self.settle(Q1, self.anna)
        with freeze_time("2026-05-20"):
            late = self.create_invoice(self.alpha, date(2026, 3, 20), 1000.0)
            self.run_queue()
            correction = Line.search([("move_id", "=", late.id)])
            self.assertEqual(
                (
                    correction.amount,
                    correction.rule_type,
                    correction.date_from,
                    correction.date,
                    correction.is_correction,
                ),
                (50.0, "base", Q2[0], date(2026, 3, 20), True),
            )
            # the running period computed again keeps the correction
            Line._compute_period(self.anna, *Q2)
            self.assertTrue(correction.exists())
        self.env["account.manager.quota"].search([("date_from", "=", Q2[0])]).action_close()
        self.assertEqual(self.settle(Q2, self.anna).bill_id.amount_total, 50.0)

    def test_invoice_posted_again_in_a_settled_period_is_netted(self):
        Line = self.env["account.manager.commission.line"]
        self.assertEqual(self.settle(Q1, self.anna).bill_id.amount_total, 600.0)
        invoice = self.env["account.move"].search(
            [("partner_id", "=", self.alpha.id), ("invoice_date", "=", date(2026, 1, 10))]
        )
        with freeze_time("2026-05-10"):
            invoice.button_draft()
            invoice.invoice_line_ids.price_unit = 8000.0
            invoice.action_post()
            self.run_queue()
            lines = Line.search([("move_id", "=", invoice.id)])
            self.assertEqual(
                sorted((line.rule_type, line.amount, line.date_from) for line in lines),
                [("base", 400.0, Q2[0]), ("base", 500.0, Q1[0]), ("clawback", -500.0, Q2[0])],
            )
            # reset once more before the correction is settled: it nets to nothing
            invoice.button_draft()
            lines = Line.search([("move_id", "=", invoice.id)])
            self.assertEqual(sum(lines.mapped("amount")), 0.0)
            self.assertEqual(len(lines), 2, "the settled line and one claw-back")
            invoice.action_post()
            self.run_queue()
            self.assertEqual(
                sum(Line.search([("move_id", "=", invoice.id)]).mapped("amount")), 400.0
            )
        self.env["account.manager.quota"].search([("date_from", "=", Q2[0])]).action_close()
        second = self.settle(Q2, self.anna)
        self.assertEqual(second.amount_total, -100.0)
        self.assertEqual(
            (second.bill_id.move_type, second.bill_id.amount_total), ("in_refund", 100.0)
        )
        self.assertEqual(self.balance(self.accrued, self.anna.partner_id), 0.0)
        # Anna's statement lists the corrections with their invoice
        report = self.env.ref("account_manager_suite.action_report_commission_statement")
        html = (
            report.with_user(self.anna)
            ._render_qweb_html(report.report_name, second.ids)[0]
            .decode()
        )
        corrections = html[html.index("Corrections of Settled Periods") :]
        corrections = corrections[: corrections.index("</table>")]
        self.assertIn(invoice.name, corrections)
        self.assertRegex(corrections, r"400\.00")
        self.assertRegex(corrections, "-\ufeff?500\\.00")  # the claw-back

    def test_disputed_line_is_not_computed_twice(self):
        Line = self.env["account.manager.commission.line"]
        Line._compute_period(self.anna, *Q1)
        line = Line.search([("user_id", "=", self.anna.id), ("base_amount", "=", 2000.0)])
        line.with_user(self.anna).action_dispute("wrong price")
        Line._compute_period(self.anna, *Q1)
        self.assertTrue(line.exists())
        self.assertEqual(Line.search_count([("move_line_id", "=", line.move_line_id.id)]), 1)
        lines = Line.search([("user_id", "=", self.anna.id), ("date_from", "=", Q1[0])])
        self.assertEqual(sum(lines.mapped("amount")), 600.0)

    def test_bill_reset_and_cancelled_gives_the_settlement_back(self):
        settlement = self.settle(Q1, self.anna)
        bill = settlement.bill_id
        self.assertEqual(self.balance(self.accrued, self.anna.partner_id), 0.0)
        # reset to draft: the release of the accrual is reversed, posted again: released once
        bill.with_user(self.accountant).button_draft()
        self.assertFalse(settlement.release_move_id)
        self.assertEqual(self.balance(self.accrued, self.anna.partner_id), -600.0)
        bill.with_user(self.accountant).action_post()
        self.assertEqual(self.balance(self.accrued, self.anna.partner_id), 0.0)
        # the expense is counted once: accrued, released, billed
        self.assertEqual(self.balance(self.expense, self.anna.partner_id), 600.0)
        # a bill whose amounts were changed is refused, and nothing moves
        bill.with_user(self.accountant).button_draft()
        bill.invoice_line_ids[0].price_unit += 100.0
        with self.assertRefused(UserError, "must total 600.0"):
            bill.with_user(self.accountant).action_post()
        self.assertEqual(bill.state, "draft")
        self.assertEqual(self.balance(self.accrued, self.anna.partner_id), -600.0)
        # cancelled: the settlement waits for a new bill, its lines are no longer settled
        bill.with_user(self.accountant).button_cancel()
        self.assertEqual((settlement.state, settlement.bill_id), ("approved", bill.browse()))
        self.assertEqual(set(settlement.line_ids.mapped("state")), {"draft"})
        self.bill(settlement)
        self.assertEqual(settlement.bill_id.amount_total, 600.0)
        self.assertNotEqual(settlement.bill_id, bill)
        self.assertEqual(self.balance(self.accrued, self.anna.partner_id), 0.0)

    def test_deleting_the_draft_bill_gives_the_settlement_back(self):
        settlement = self.Settlement._propose(*Q1).filtered(lambda s: s.user_id == self.anna)
        settlement.with_user(self.director).action_approve()
        settlement.with_user(self.accountant).action_create_bill()
        settlement.bill_id.with_user(self.accountant).unlink()
        self.assertEqual((settlement.state, settlement.bill_id.id), ("approved", False))
        self.assertEqual(set(settlement.line_ids.mapped("state")), {"draft"})
        self.assertEqual(self.balance(self.accrued, self.anna.partner_id), -600.0)

    def test_a_settled_invoice_keeps_its_rate_when_the_plan_changes(self):
        Line = self.env["account.manager.commission.line"]
        self.settle(Q1, self.anna)
        plan = self.env["account.manager.commission.plan"].search([("name", "=", "5%")])
        # after the settlement, Alpha's tier earns 8 % under the plan
        plan.override_ids = [Command.create({"tier_id": self.tier_key.id, "rate": 8.0})]
        self.alpha.account_tier_id = self.tier_key
        invoice = self.env["account.move"].search(
            [("partner_id", "=", self.alpha.id), ("invoice_date", "=", date(2026, 1, 10))]
        )
        with freeze_time("2026-05-10"):
            # paid in Q2: the Q1 invoice is queued again, and nothing changes
            self.pay(invoice, 10000.0, date(2026, 5, 10))
            self.run_queue()
            self.assertFalse(
                Line.search([("move_id", "=", invoice.id), ("is_correction", "=", True)])
            )
            # corrected to 11,000: the difference at the 5 % it was settled with
            invoice.button_draft()
            invoice.invoice_line_ids.price_unit = 11000.0
            invoice.action_post()
            self.run_queue()
        lines = Line.search([("move_id", "=", invoice.id)])
        self.assertEqual(sum(lines.mapped("amount")), 550.0)
        self.assertEqual(set(lines.mapped("rate")), {5.0})

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

    def test_a_backdated_reassignment_into_a_settled_period_corrects_both(self):
        Line = self.env["account.manager.commission.line"]
        self.settle(Q1, self.anna)
        with freeze_time("2026-05-20"):
            self.alpha.with_user(self.director)._set_account_manager(
                self.budi, date(2026, 2, 1), reason="reassignment"
            )
            self.run_queue()
        invoice = self.env["account.move"].search(
            [("partner_id", "=", self.alpha.id), ("invoice_date", "=", date(2026, 2, 10))]
        )
        lines = Line.search([("move_id", "=", invoice.id)])
        self.assertEqual(
            sorted((line.user_id.login, line.amount, line.date_from) for line in lines),
            [("anna", -100.0, Q2[0]), ("anna", 100.0, Q1[0]), ("budi", 100.0, Q2[0])],
        )
        # the January invoice stays Anna's
        january = self.env["account.move"].search(
            [("partner_id", "=", self.alpha.id), ("invoice_date", "=", date(2026, 1, 10))]
        )
        self.assertEqual(sum(Line.search([("move_id", "=", january.id)]).mapped("amount")), 500.0)

    def test_a_manager_disputes_lines_with_the_wizard(self):
        self.env["crm.team"].create(
            {"name": "Key Accounts", "user_id": self.director.id, "member_ids": [self.anna.id]}
        )
        anna = self.Settlement._propose(*Q1).filtered(lambda s: s.user_id == self.anna)
        line = anna.line_ids.filtered(lambda line: line.base_amount == 2000.0)
        context = {"active_model": line._name, "active_ids": line.ids}
        Wizard = self.env["account.manager.dispute.wizard"].with_context(**context)
        # a reason is needed, and Budi cannot dispute Anna's lines
        with self.assertRefused(UserError, r"Say why the lines are disputed \(Reason\)"):
            Wizard.with_user(self.anna).create({"note": "   "}).action_confirm()
        with self.assertRefused(AccessError, "top-secret records|not allowed to"):
            Wizard.with_user(self.budi).create({"note": "not mine"}).action_confirm()
        self.assertFalse(line.disputed)
        wizard = Wizard.with_user(self.anna).create({"note": "The invoice was corrected"})
        self.assertEqual(wizard.line_ids, line)
        wizard.action_confirm()
        self.assertEqual((line.disputed, line.dispute_note), (True, "The invoice was corrected"))
        self.assertEqual(anna.amount_total, 500.0)
        self.assertIn("Anna Becker disputed: The invoice was corrected", anna.message_ids[0].body)
        # before approval, the sales director leading Anna's team gets a to-do
        todo = anna.activity_ids
        self.assertEqual(
            (todo.user_id, todo.summary), (self.director, "Commission dispute of Anna Becker")
        )
        line.with_user(self.director).action_resolve_dispute()
        self.assertFalse(line.disputed)
        self.assertEqual(anna.amount_total, 600.0)
        latest = " ".join(anna.message_ids[:2].mapped("body"))
        self.assertIn("resolved the dispute", latest)
        self.assertIn("Resolved by Diana Director", latest)  # the to-do, done
        self.assertFalse(todo.exists(), "done once nothing is disputed")

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

    def test_many_settlements_approved_and_billed_at_once(self):
        settlements = self.Settlement._propose(*Q1)
        self.assertEqual(len(settlements), 2)
        approve = self.env.ref("account_manager_suite.action_server_settlement_approve")
        approve.with_user(self.director).with_context(
            active_model=settlements._name, active_ids=settlements.ids
        ).run()
        self.assertEqual(set(settlements.mapped("state")), {"approved"})
        create_bills = self.env.ref("account_manager_suite.action_server_settlement_create_bills")
        action = (
            create_bills.with_user(self.accountant)
            .with_context(active_model=settlements._name, active_ids=settlements.ids)
            .run()
        )
        self.assertEqual(action["domain"], [("id", "in", settlements.bill_id.ids)])
        self.assertEqual(
            sorted((s.user_id.login, s.bill_id.amount_total) for s in settlements),
            [("anna", 600.0), ("budi", 200.0)],
        )

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
