"""What the settlement tests share (test_settlement.py, test_settlement_corrections.py,
test_commission_queue.py): a 5 % plan for Anna and Budi, their Q1 invoices (Anna 10,000
and 2,000, Budi 4,000), 10,000 quotas for Q1 (closed) and Q2, the company's commission
accounts, and the steps of a settlement through the books."""

from datetime import date

from .common import AccountManagerCommon

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
Q2 = (date(2026, 4, 1), date(2026, 6, 30))


class SettlementCommon(AccountManagerCommon):
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

    def run_queue(self):
        """The queue job, through its scheduled action's record."""
        self.run_cron("ir_cron_recompute_changed_invoices")
