"""Commission settlement through the books: accrual, approval, vendor bill, disputes."""

from datetime import date
from decimal import Decimal

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import amounts_written
from .settlement_common import Q1
from .settlement_common import Q2
from .settlement_common import SettlementCommon


@tagged("post_install", "-at_install")
class TestSettlement(SettlementCommon):
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
        # the rules table cell by cell, as numbers: the base rule's 5.00 % (not found in
        # 15.00 %) and its 600.00
        rules = html[html.index("o_ams_rules") :]
        rules = rules[: rules.index("</table>")]
        self.assertEqual(amounts_written(rules, after="%"), [Decimal("5.00")])
        self.assertEqual(amounts_written(rules), [Decimal("5.00"), Decimal("600.00")])
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, settlement.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_settled_lines_are_locked(self):
        settlement = self.settle(Q1, self.anna)
        line = settlement.line_ids[0]
        with self.assertRefused(UserError, "Settled commission lines are locked"):
            line.amount = 1.0
        with self.assertRefused(UserError, "cannot be deleted"):
            line.unlink()
        self.assertEqual(settlement.bill_id.amount_total, 600.0)

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
