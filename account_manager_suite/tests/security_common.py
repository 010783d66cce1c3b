"""Issue 14, the fixtures of the security tests (``test_security_*.py``): a customer,
a contact and a sales team named with markup, two managers' commission plans and a
settled first quarter.
"""

import json
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
    def _create_plan_rates(cls):
        """A tier, a rate override and a bonus on anna's and on budi's plan, none of which
        applies to the quarter below (no tier mode, a category without products, a
        threshold out of reach): what each earns stays the base rate."""
        category = cls.env["product.category"].create({"name": "Security override"})
        for plan, owner in ((cls.plan, "anna"), (cls.budi_plan, "budi")):
            vals = {"plan_id": plan.id}
            setattr(
                cls,
                f"{owner}_tier",
                cls.env["account.manager.commission.tier"].create(
                    {**vals, "attainment_from": 0.0, "attainment_to": 0.0, "rate": 7.0}
                ),
            )
            setattr(
                cls,
                f"{owner}_override",
                cls.env["account.manager.commission.override"].create(
                    {**vals, "categ_id": category.id, "rate": 9.0}
                ),
            )
            setattr(
                cls,
                f"{owner}_bonus",
                cls.env["account.manager.commission.bonus"].create(
                    {**vals, "threshold": 500.0, "amount": 2500.0}
                ),
            )

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
        cls._create_plan_rates()
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


class JsonRpcMixin:
    """Real JSON-RPC calls of the security tests' users (``HttpCase``), the database read
    from a new cursor, and the managers' reviews (both on probation)."""

    # one login per group
    logins = {
        "manager": "anna",
        "director": "director",
        "accountant": "comm_accountant",
        "internal": "plain",
        "portal": "portal_user",
    }

    @classmethod
    def _create_reviews(cls):
        Event = cls.env["account.manager.performance.event"].sudo()
        event = {"old_state": "on_track", "new_state": "probation", "reason": "two misses"}
        cls.anna_event = Event.create({"user_id": cls.anna.id, **event})
        cls.budi_event = Event.create({"user_id": cls.budi.id, **event})
        (cls.anna | cls.budi).sudo().write({"ams_performance_state": "probation"})

    def rpc(self, login, model, method, *args, **kwargs):
        """``(result, error name)`` of a real JSON-RPC call by ``login``."""
        if getattr(self, "_rpc_login", None) != login:
            self.authenticate(login, login)
            self._rpc_login = login
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        return body.get("result"), body.get("error", {}).get("data", {}).get("name")

    def fresh(self, query, *params):
        """Rows read from a new cursor: what the database kept, not the ORM's cache."""
        with self.env.registry.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall()
