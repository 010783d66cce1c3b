"""The demo's quotas and commissions: the quota plan, closed quarters, a settlement."""

from datetime import date

from odoo.tools import date_utils

# annual targets of this year's quota plan (EUR)
ANNUAL_TARGETS = {"anna": 360000, "budi": 330000, "clara": 240000, "dewi": 300000}
# Attainment of each manager's closed quarters, oldest first, aligned on the last closed
# quarter: Clara ends above 120%, Dewi misses the last two and is on probation.
QUOTA_PATTERNS = {
    "anna": [1.05, 0.98, 1.10, 1.02, 0.97, 1.08, 1.01, 1.04],
    "budi": [1.10, 1.00, 0.95, 1.05, 1.02, 1.00, 1.03, 0.99],
    "clara": [1.00, 1.05, 1.10, 1.12, 1.15, 1.20, 1.22, 1.25],
    "dewi": [1.02, 1.00, 1.05, 1.01, 0.99, 1.03, 0.88, 0.82],
}

# the commission plan of each company, in its language
PLAN_NAME = {"de": "Provisionsplan Account Manager", "id": "Rencana Komisi Account Manager"}


class CompensationDemo:
    """The quotas and the commission plan of one company (a part of :class:`CompanyDemo`)."""

    def quotas(self, users, company, today):
        """A quota plan for this year and quarterly quotas since last year; the quarters
        already over are closed by the director, in order, so that the performance
        review runs on them."""
        Quota = self.env["account.manager.quota"]
        managers = {key: users[key] for key in QUOTA_PATTERNS if key in self.managers}
        plan = self.env["account.manager.quota.plan"].create(
            {
                "name": self.env._("Quotas %(year)s", year=today.year),
                "year": today.year,
                "company_id": company.id,
                "weighting": "weights",
                "weights": "22,24,24,30",
                "line_ids": [
                    (0, 0, {"user_id": user.id, "annual_target": self.money(ANNUAL_TARGETS[key])})
                    for key, user in managers.items()
                ],
            }
        )
        plan.action_generate_quotas()
        last_year = date(today.year - 1, 1, 1)
        quarters = [
            date_utils.get_quarter(date_utils.add(last_year, months=3 * q)) for q in range(4)
        ]
        Quota.create(
            [
                {
                    "user_id": user.id,
                    "company_id": company.id,
                    "period_type": "quarter",
                    "date_from": start,
                    "date_to": end,
                    "target": 1.0,  # set below from the revenue and the pattern
                }
                for user in managers.values()
                for start, end in quarters
            ]
        )
        past = Quota.search(
            [("user_id", "in", [u.id for u in managers.values()]), ("date_to", "<", today)],
            order="date_from",
        )
        actual = self.env["account.manager.revenue"]._revenue(
            last_year, today, ("user", "quarter"), company_ids=company.ids
        )
        for key, user in managers.items():
            quarters = past.filtered(lambda q, u=user: q.user_id == u)
            pattern = QUOTA_PATTERNS[key][-len(quarters) :]
            for quota, share in zip(quarters, pattern, strict=True):
                done = actual.get((user.id, quota.date_from), 0.0)
                if done:
                    quota.target = company.currency_id.round(done / share)
                else:  # no portfolio yet in that quarter: no quota either
                    past -= quota
                    quota.unlink()
        director = users["director"]
        for quota in past.sorted(lambda q: (q.date_from, q.user_id.id)):
            quota.with_user(director).action_close()

    # ------------------------------------------------------------------ commissions

    def commissions(self, users, company, today):
        """A tiered plan for the managers, the company's commission accounts, and the
        last closed quarter settled: approved, and billed for the first manager (Anna,
        Budi)."""
        Account = self.env["account.account"]
        accrued = Account.search(
            [("code", "=", "219900"), ("company_ids", "in", company.ids)], limit=1
        ) or Account.create(
            {
                "name": self.env._("Accrued Commissions"),
                "code": "219900",
                "account_type": "liability_current",
                "company_ids": [(6, 0, company.ids)],
            }
        )
        company.write(
            {
                "ams_commission_expense_account_id": Account.search(
                    [("account_type", "=", "expense"), ("company_ids", "in", company.ids)],
                    limit=1,
                ).id,
                "ams_commission_accrual_account_id": accrued.id,
                "ams_commission_journal_id": self.env["account.journal"]
                .search([("type", "=", "general"), ("company_id", "=", company.id)], limit=1)
                .id,
            }
        )
        self.env["account.manager.commission.plan"].create(
            {
                "name": PLAN_NAME[self.code],
                "company_id": company.id,
                "ote_amount": self.money(90000),
                "base_salary": self.money(60000),
                "tier_mode": "marginal",
                "tier_ids": [
                    (0, 0, {"attainment_from": 0, "attainment_to": 50, "rate": 2.0}),
                    (0, 0, {"attainment_from": 50, "attainment_to": 100, "rate": 5.0}),
                    (0, 0, {"attainment_from": 100, "attainment_to": 0, "rate": 8.0}),
                ],
                "new_business_months": 6,
                "new_business_rate": 7.0,
                "bonus_ids": [
                    (0, 0, {"threshold": 100.0, "amount": self.money(1000)}),
                    (0, 0, {"threshold": 120.0, "amount": self.money(2500)}),
                ],
                "cap_amount": self.money(15000),
                "assignment_ids": [
                    (0, 0, {"user_id": users[key].id, "date_from": date(today.year - 1, 1, 1)})
                    for key in QUOTA_PATTERNS
                    if key in self.managers
                ],
            }
        )
        closed = self.env["account.manager.quota"].search(
            [("state", "=", "closed"), ("company_id", "=", company.id)],
            order="date_from desc",
            limit=1,
        )
        if not closed:
            return
        settlements = self.env["account.manager.commission.settlement"]._propose(
            closed.date_from, closed.date_to, company=company
        )
        settlements.with_user(users["director"]).action_approve()
        # the first manager's settlement billed: a vendor bill in each company's books
        billed = settlements.filtered(lambda s: s.user_id == users[self.managers[0]]).with_user(
            users["accountant"]
        )
        billed.action_create_bill()
        billed.bill_id.action_post()
