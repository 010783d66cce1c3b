"""Corrections of settled periods: claw-backs, credit notes, late and re-posted invoices,
rates kept and back-dated re-assignments, paid or taken back in the running period."""

from datetime import date
from decimal import Decimal

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import amounts_written
from .settlement_common import Q1
from .settlement_common import Q2
from .settlement_common import SettlementCommon


@tagged("post_install", "-at_install")
class TestSettlementCorrections(SettlementCommon):
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
        # the commission cells as numbers (whole tokens: 400.00 is not found in 1,400.00):
        # the re-posted invoice's 400.00 and the claw-back of the settled 500.00
        self.assertEqual(
            sorted(amounts_written(corrections)), [Decimal("-500.00"), Decimal("400.00")]
        )

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
