"""Commission settlement through the books: accrual, approval, vendor bill, disputes."""

from datetime import date

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
        cls.env["account.manager.commission.plan"].create(
            {
                "name": "5%",
                "base_rate": 5.0,
                "assignment_ids": [
                    Command.create({"user_id": u.id, "date_from": date(2025, 1, 1)})
                    for u in (cls.anna, cls.budi)
                ],
            }
        )
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
        anna.with_user(self.accountant).action_create_bill()
        bill = anna.bill_id
        self.assertEqual((bill.move_type, bill.state), ("in_invoice", "posted"))
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
        with self.assertRaises(AccessError):  # Budi cannot even read Anna's lines
            disputed.with_user(self.budi).action_dispute("not mine")
        disputed.with_user(self.anna).action_dispute("Invoice was corrected")
        self.assertEqual(anna.amount_total, 500.0)
        anna.with_user(self.director).action_approve()
        anna.with_user(self.accountant).action_create_bill()
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
        later.with_user(self.accountant).action_create_bill()
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
