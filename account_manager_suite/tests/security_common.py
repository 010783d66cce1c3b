"""Issue 14, the fixtures of the security tests (``test_security_*.py``): a customer,
a contact and a sales team named with markup, two managers' commission plans and a
settled first quarter.
"""

import re
from datetime import date

from odoo import Command

from .common import AccountManagerCommon

PAYLOAD = (
    "Hansa AG<script>alert('ams-xss')</script>"
    "<img src=x onerror=\"document.title='XSS'\">\"><svg onload=alert('ams-xss')>"
)
# the injected elements, unescaped (escaped they read &lt;script&gt; …)
INJECTED = re.compile(r"<script[^>]*>[^<]*ams-xss|<img\b[^>]*\bonerror|<svg\b[^>]*\bonload", re.I)
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


def quarter_of(day):
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    end_month = start.month + 2
    end = date(day.year + (end_month == 12), end_month % 12 + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


class SecurityCommon(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        accrued = cls.env["account.account"].create(
            {"name": "Accrued commissions", "code": "2190SEC", "account_type": "liability_current"}
        )
        company.write(
            {
                "ams_commission_expense_account_id": cls.company_data["default_account_expense"].id,
                "ams_commission_accrual_account_id": accrued.id,
                "ams_commission_journal_id": cls.company_data["default_journal_misc"].id,
            }
        )
        # a sales team named by a colleague, shown on the quarterly results and forecast
        cls.team = cls.env["crm.team"].create(
            {"name": PAYLOAD, "member_ids": [Command.link(cls.anna.id)]}
        )
        cls.evil = cls.create_account(PAYLOAD, cls.anna, since=date(2025, 1, 1))
        cls.budi_account = cls.create_account("Budi Kolonial KG", cls.budi)
        cls.contact = cls.env["res.partner"].create({"name": PAYLOAD, "parent_id": cls.evil.id})
        cls.plan = cls.create_plan("Security 5 %", 5.0, cls.anna)
        cls.plan.write({"ote_amount": 90000.0, "base_salary": 60000.0})
        # budi earns under a plan of his own: its OTE is his pay
        cls.budi_plan = cls.create_plan("Budi 6 %", 6.0, cls.budi)
        cls.budi_plan.write({"ote_amount": 120000.0, "base_salary": 80000.0})
        # a quarter settled: revenue of the evil customer (anna) and of budi's account
        cls.create_invoice(cls.evil, date(2026, 1, 10), 10000.0)
        cls.create_invoice(cls.budi_account, date(2026, 2, 10), 4000.0)
        Quota = cls.env["account.manager.quota"]
        quarter = {"period_type": "quarter", "date_from": Q1[0], "date_to": Q1[1]}
        cls.q1_quotas = Quota.create(
            [
                {"user_id": cls.anna.id, "target": 20000.0, **quarter},
                {"user_id": cls.budi.id, "target": 20000.0, **quarter},
            ]
        )
        cls.q1_quotas.with_user(cls.director).action_close()
        Settlement = cls.env["account.manager.commission.settlement"]
        settlements = Settlement.with_user(cls.director)._propose(*Q1)
        cls.anna_settlement = settlements.filtered(lambda s: s.user_id == cls.anna).sudo()
        cls.budi_settlement = settlements.filtered(lambda s: s.user_id == cls.budi).sudo()
        cls.anna_line = cls.anna_settlement.line_ids
        cls.budi_line = cls.budi_settlement.line_ids
