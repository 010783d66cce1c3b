"""Every boundary the rules have, amounts that round, and every rate rule, each with one
absolute amount computed by hand in the comment beside it.

Boundaries: an owner's first and last day, a quarter's first and last day, a month's and a
year's, attainment exactly at a tier's start and a bonus threshold (and a cent below), a
receivable due today, the last day of new business. Rounding: half cents (0.505 is 0.51,
-0.505 is -0.51) and thirds (33.33 of 100.00 paid). Where the per-line rounding and an
allocation of the period's total could differ, each period has a single line, so that
the line is the period's total under either rule.
"""

from datetime import date
from datetime import datetime

from odoo import Command
from odoo.tests import tagged

from .common import AccountManagerCommon

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
Q2 = (date(2026, 4, 1), date(2026, 6, 30))


@tagged("post_install", "-at_install")
class TestBoundaries(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Line = cls.env["account.manager.commission.line"]
        cls.engine = cls.env["account.manager.revenue"]
        cls.services = cls.env["product.category"].create({"name": "Services"})
        cls.consulting = cls.env["product.category"].create(
            {"name": "Consulting", "parent_id": cls.services.id}
        )
        cls.audit = cls.env["product.product"].create(
            {"name": "Audit", "categ_id": cls.consulting.id, "standard_price": 300.0}
        )

    def plan(self, users, tiers=(), base_rate=5.0, **vals):
        return self.create_plan("Plan", base_rate, users, tiers=tiers, **vals)

    def quota(self, user, target, period=Q1):
        return self.env["account.manager.quota"].create(
            {
                "user_id": user.id,
                "target": target,
                "period_type": "quarter",
                "date_from": period[0],
                "date_to": period[1],
            }
        )

    def invoice(self, partner, day, lines, refund=False):
        """An invoice of product lines ``[(product, quantity, price)]``, posted."""
        move = self.env["account.move"].create(
            {
                "move_type": "out_refund" if refund else "out_invoice",
                "partner_id": partner.id,
                "invoice_date": day,
                "invoice_date_due": day,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": price,
                            "tax_ids": [Command.clear()],
                        }
                    )
                    for product, quantity, price in lines
                ],
            }
        )
        move.action_post()
        return move

    def earned(self, users, period):
        """``(login, date, rule, amount)`` of the lines computed for ``period``, sorted."""
        lines = self.Line._compute_period(users, *period)
        return sorted(
            (line.user_id.login, line.date, line.rule_type, line.amount) for line in lines
        )

    def total(self, users, period):
        lines = self.Line._compute_period(users, *period)
        return round(sum(lines.mapped("amount")), 2)

    # --- ownership and period boundaries ----------------------------------------------

    def test_first_and_last_day_of_an_ownership_and_of_a_quarter(self):
        """Anna owns the account from 1 January to 14 February, Budi from 15 February."""
        account = self.create_account("Grenze AG", self.anna, since=date(2026, 1, 1))
        account._set_account_manager(self.budi, date(2026, 2, 15), force=True)
        self.assertEqual(
            [(login, start, end) for login, start, end, _reason in self.periods(account)],
            [("anna", date(2026, 1, 1), date(2026, 2, 14)), ("budi", date(2026, 2, 15), False)],
        )
        self.plan(self.anna | self.budi)
        for day, amount in (
            (date(2025, 12, 31), 100.0),  # before anyone owned it: nobody's
            (date(2026, 1, 1), 200.0),  # Anna's first day, the quarter's first day
            (date(2026, 2, 14), 400.0),  # Anna's last day
            (date(2026, 2, 15), 800.0),  # Budi's first day
            (date(2026, 3, 31), 1600.0),  # the quarter's last day
            (date(2026, 4, 1), 3200.0),  # the next quarter's first day
        ):
            self.create_invoice(account, day, amount)
        # neither a draft nor a cancelled invoice counts, on the boundary days either
        self.create_invoice(account, date(2026, 2, 14), 50000.0, post=False)
        cancelled = self.create_invoice(account, date(2026, 2, 15), 70000.0)
        cancelled.button_draft()
        cancelled.button_cancel()

        # the engine: Anna 200 + 400 = 600; Budi 800 + 1,600 = 2,400
        self.assertEqual(
            self.engine._revenue(*Q1, ("user",), partner_ids=account.ids),
            {(self.anna.id,): 600.0, (self.budi.id,): 2400.0},
        )
        self.assertEqual(
            self.engine._revenue(date(2025, 10, 1), date(2025, 12, 31), ("user",),
                                 partner_ids=account.ids),
            {(None,): 100.0},
        )  # fmt: skip
        # commissions at 5 %: 200 -> 10.00, 400 -> 20.00, 800 -> 40.00, 1,600 -> 80.00
        self.assertEqual(
            self.earned(self.anna | self.budi, Q1),
            [
                ("anna", date(2026, 1, 1), "base", 10.0),
                ("anna", date(2026, 2, 14), "base", 20.0),
                ("budi", date(2026, 2, 15), "base", 40.0),
                ("budi", date(2026, 3, 31), "base", 80.0),
            ],
        )
        # the next quarter: 3,200 x 5 % = 160.00, Budi's
        self.assertEqual(
            self.earned(self.anna | self.budi, Q2), [("budi", date(2026, 4, 1), "base", 160.0)]
        )
        # and the quotas read the same: Anna 600 of 1,000 is 60 %, Budi 2,400 of 2,000 120 %
        anna_q1, budi_q1 = self.quota(self.anna, 1000.0), self.quota(self.budi, 2000.0)
        self.assertEqual((anna_q1.actual_amount, anna_q1.attainment), (600.0, 60.0))
        self.assertEqual((budi_q1.actual_amount, budi_q1.attainment), (2400.0, 120.0))

    def test_orders_on_the_owners_first_and_last_day(self):
        """Orders are attributed by their order date's day, on the same boundaries."""
        account = self.create_account("Auftrag AG", self.anna, since=date(2026, 1, 1))
        account._set_account_manager(self.budi, date(2026, 2, 15), force=True)
        for moment, amount in (
            (datetime(2026, 2, 14, 23, 30), 300.0),  # Anna's last day, late in the evening
            (datetime(2026, 2, 15, 0, 10), 500.0),  # Budi's first day, just after midnight
            (datetime(2026, 3, 31, 23, 59), 700.0),  # the quarter's last minute
            (datetime(2026, 4, 1, 0, 0), 900.0),  # the next quarter
        ):
            order = self.create_order(account, amount, confirm=True)
            order.date_order = moment
        self.assertEqual(
            self.engine._order_revenue(*Q1, ("user",), partner_ids=account.ids),
            {(self.anna.id,): 300.0, (self.budi.id,): 1200.0},
        )

    def test_the_portfolio_on_a_quarters_last_day(self):
        """The quarterly report counts the accounts each manager owns on the quarter's last
        day (``Ownership._domain_on``): an owner's last day and a new owner's first day on
        that day both count."""
        leaving = self.create_account("Abgang AG", self.anna, since=date(2025, 1, 1))
        leaving._set_account_manager(self.budi, date(2026, 4, 1), force=True)
        arriving = self.create_account("Zugang AG", self.anna, since=date(2025, 1, 1))
        arriving._set_account_manager(self.budi, date(2026, 3, 31), force=True)
        self.assertEqual(
            [(p[0], p[2]) for p in self.periods(leaving) + self.periods(arriving)],
            [("anna", date(2026, 3, 31)), ("budi", False),
             ("anna", date(2026, 3, 30)), ("budi", False)],
        )  # fmt: skip
        report = self.env["report.account_manager_suite.report_quarterly_results"]
        # on 31 March: Abgang AG is still Anna's (her last day), Zugang AG Budi's (his first)
        self.assertEqual(
            report._portfolio_sizes(self.anna | self.budi, Q1[1], self.env.company),
            {self.anna: 1, self.budi: 1},
        )
        # on 1 April both are Budi's
        self.assertEqual(
            report._portfolio_sizes(self.anna | self.budi, date(2026, 4, 1), self.env.company),
            {self.budi: 2},
        )

    def test_month_and_year_plans_through_the_queue(self):
        """The queue job puts each invoice into its plan's period: a month's last and the
        next month's first day for Anna's monthly plan, a year's first and last day for
        Budi's yearly plan."""
        monthly = self.create_account("Monat AG", self.anna, since=date(2025, 1, 1))
        yearly = self.create_account("Jahr KG", self.budi, since=date(2025, 1, 1))
        self.plan(self.anna, period_type="month")
        self.plan(self.budi, period_type="year", base_rate=2.5)
        moves = (
            self.create_invoice(monthly, date(2026, 1, 31), 100.0)
            | self.create_invoice(monthly, date(2026, 2, 1), 200.0)
            | self.create_invoice(yearly, date(2025, 12, 31), 500.0)
            | self.create_invoice(yearly, date(2026, 1, 1), 300.0)
            | self.create_invoice(yearly, date(2026, 12, 31), 400.0)
        )
        self.run_cron("ir_cron_recompute_changed_invoices")
        lines = self.Line.search([("move_id", "in", moves.ids)])
        # 100 x 5 % = 5.00 in January, 200 x 5 % = 10.00 in February (28 days);
        # 500 x 2.5 % = 12.50 in 2025, (300 + 400) x 2.5 % = 7.50 + 10.00 in 2026
        self.assertEqual(
            sorted((ln.user_id.login, ln.date_from, ln.date_to, ln.amount) for ln in lines),
            [
                ("anna", date(2026, 1, 1), date(2026, 1, 31), 5.0),
                ("anna", date(2026, 2, 1), date(2026, 2, 28), 10.0),
                ("budi", date(2025, 1, 1), date(2025, 12, 31), 12.5),
                ("budi", date(2026, 1, 1), date(2026, 12, 31), 7.5),
                ("budi", date(2026, 1, 1), date(2026, 12, 31), 10.0),
            ],
        )  # fmt: skip

    # --- tiers and bonuses, exactly at their starts ----------------------------------

    def test_attainment_exactly_at_a_tier_start_and_a_bonus_threshold(self):
        account = self.create_account("Schwelle AG", self.anna, since=date(2025, 1, 1))
        self.quota(self.anna, 10000.0)
        tiers = [(0, 50, 2.0), (50, 100, 5.0), (100, 0, 8.0)]
        bonus = [Command.create({"threshold": 100.0, "amount": 250.0})]
        invoice = self.create_invoice(account, date(2026, 3, 31), 10000.0)  # exactly 100 %
        cases = {
            # retroactive at 100 %: the third tier's 8 % on all 10,000 = 800 + bonus 250
            "retroactive": 1050.0,
            # marginal at 100 %: 5,000 x 2 % + 5,000 x 5 % = 350, nothing in the third; + 250
            "marginal": 600.0,
            # linear at 100 %: the third tier's start, its rate 8 % = 800; + 250
            "linear": 1050.0,
        }
        for mode, expected in cases.items():
            with self.subTest(mode):
                plan = self.plan(self.anna, tier_mode=mode, tiers=tiers, bonus_ids=bonus)
                self.assertEqual(self.total(self.anna, Q1), expected)
                plan.assignment_ids.unlink()
        # one cent below: 9,999.99 is 99.9999 %, the second tier and no bonus
        invoice.button_draft()
        invoice.invoice_line_ids.price_unit = 9999.99
        invoice.action_post()
        cases = {
            # retroactive: 9,999.99 x 5 % = 499.9995 -> 500.00
            "retroactive": 500.0,
            # marginal: 5,000 x 2 % + 4,999.99 x 5 % = 100 + 249.9995 = 349.9995 -> 350.00
            "marginal": 350.0,
            # linear: 5 % + (8 - 5) % x 49.9999 / 50 = 7.999994 %; x 9,999.99 = 799.9987 -> 800.00
            "linear": 800.0,
        }
        for mode, expected in cases.items():
            with self.subTest(f"{mode} a cent below"):
                plan = self.plan(self.anna, tier_mode=mode, tiers=tiers, bonus_ids=bonus)
                lines = self.Line._compute_period(self.anna, *Q1)
                self.assertEqual(lines.mapped("rule_type"), ["tier"])
                self.assertEqual(lines.amount, expected)
                plan.assignment_ids.unlink()
        # exactly at the second tier's start (50 %): 5,000 at 5 % retroactive = 250.00,
        # marginal 5,000 x 2 % = 100.00, linear 5 % = 250.00
        invoice.button_draft()
        invoice.invoice_line_ids.price_unit = 5000.0
        invoice.action_post()
        for mode, expected in {"retroactive": 250.0, "marginal": 100.0, "linear": 250.0}.items():
            with self.subTest(f"{mode} at 50 %"):
                plan = self.plan(self.anna, tier_mode=mode, tiers=tiers, bonus_ids=bonus)
                self.assertEqual(self.total(self.anna, Q1), expected)
                plan.assignment_ids.unlink()

    def test_a_total_exactly_at_the_cap_is_not_cut(self):
        account = self.create_account("Deckel AG", self.anna, since=date(2025, 1, 1))
        plan = self.plan(self.anna, cap_amount=500.0)
        self.create_invoice(account, date(2026, 2, 2), 10000.0)
        # 10,000 x 5 % = 500.00: exactly the cap, no cap line
        self.assertEqual(self.earned(self.anna, Q1), [("anna", date(2026, 2, 2), "base", 500.0)])
        # a cap a cent lower: 500.00 is cut by -0.01, a line of its own dated the last day
        plan.cap_amount = 499.99
        self.assertEqual(
            self.earned(self.anna, Q1),
            [("anna", date(2026, 2, 2), "base", 500.0), ("anna", Q1[1], "cap", -0.01)],
        )

    # --- rounding ----------------------------------------------------------------------

    def test_half_cents_round_away_from_zero(self):
        account = self.create_account("Halb AG", self.anna, since=date(2025, 1, 1))
        self.plan(self.anna)
        self.create_invoice(account, date(2026, 2, 2), 10.10)  # x 5 % = 0.505
        self.create_invoice(account, date(2026, 5, 5), 10.10, refund=True)  # -0.505
        self.assertEqual(self.earned(self.anna, Q1), [("anna", date(2026, 2, 2), "base", 0.51)])
        self.assertEqual(self.earned(self.anna, Q2), [("anna", date(2026, 5, 5), "base", -0.51)])
        # 20.10 x 5 % = 1.005, which is 1.00499999999999989… as a binary float: the
        # currency rounds it half up to 1.01 (Python's round would give 1.0)
        q3, q4 = (date(2026, 7, 1), date(2026, 9, 30)), (date(2026, 10, 1), date(2026, 12, 31))
        self.create_invoice(account, date(2026, 8, 3), 20.10)
        self.create_invoice(account, date(2026, 11, 4), 20.10, refund=True)
        self.assertEqual(self.earned(self.anna, q3), [("anna", date(2026, 8, 3), "base", 1.01)])
        self.assertEqual(self.earned(self.anna, q4), [("anna", date(2026, 11, 4), "base", -1.01)])

    def test_thirds_paid_in_three_months(self):
        """100.00 paid in thirds (33.33, 33.33, 33.34) in January, February and March, on
        a monthly plan on the paid basis: each month earns its third."""
        account = self.create_account("Drittel AG", self.anna, since=date(2025, 1, 1))
        self.plan(self.anna, period_type="month", earning_basis="paid")
        invoice = self.create_invoice(account, date(2026, 1, 5), 100.0)
        self.pay(invoice, 33.33, date(2026, 1, 31))
        self.pay(invoice, 33.33, date(2026, 2, 1))
        self.pay(invoice, 33.34, date(2026, 3, 31))
        # 33.33 x 5 % = 1.6665 -> 1.67 (twice); 33.34 x 5 % = 1.667 -> 1.67
        for period, day, base in (
            ((date(2026, 1, 1), date(2026, 1, 31)), date(2026, 1, 31), 33.33),
            ((date(2026, 2, 1), date(2026, 2, 28)), date(2026, 2, 1), 33.33),
            ((date(2026, 3, 1), date(2026, 3, 31)), date(2026, 3, 31), 33.34),
        ):
            lines = self.Line._compute_period(self.anna, *period)
            self.assertEqual((lines.date, lines.base_amount, lines.amount), (day, base, 1.67))
        # nothing in the quarter's other days: Q1 as one period would be 5.00, not 5.01
        self.assertEqual(self.Line.search_count([("user_id", "=", self.anna.id)]), 3)

    # --- rate rules ----------------------------------------------------------------------

    def test_order_of_precedence_of_the_rate_rules(self):
        """Category override (20 %) > customer-tier override (12 % for key accounts) > new
        business (10 % for six months after the hand-over) > base rate (5 %)."""
        key = self.create_account("Key AG", self.anna, since=date(2026, 1, 1), tier=self.tier_key)
        new = self.create_account("Neu GmbH", self.anna, since=date(2026, 1, 1))
        old = self.create_account("Alt KG", self.anna, since=date(2025, 1, 1))
        self.plan(
            self.anna,
            new_business_months=6,
            new_business_rate=10.0,
            override_ids=[
                Command.create({"categ_id": self.services.id, "rate": 20.0}),
                Command.create({"tier_id": self.tier_key.id, "rate": 12.0}),
            ],
        )
        # a key account, new business, an audit (Consulting, under Services): category
        self.invoice(key, date(2026, 2, 1), [(self.audit, 1, 1000.0), (self.product_a, 1, 1000.0)])
        self.invoice(new, date(2026, 2, 1), [(self.audit, 2, 100.0), (self.product_a, 1, 1000.0)])
        self.invoice(old, date(2026, 2, 1), [(self.product_a, 1, 1000.0)])
        lines = self.Line._compute_period(self.anna, *Q1)
        self.assertEqual(
            sorted(
                (line.partner_id.name, line.move_line_id.product_id.name, line.rule_type,
                 line.rate, line.amount)
                for line in lines
            ),
            [
                ("Alt KG", "product_a", "base", 5.0, 50.0),  # 1,000 x 5 %
                ("Key AG", "Audit", "category", 20.0, 200.0),  # 1,000 x 20 %, not 12 %
                ("Key AG", "product_a", "customer_tier", 12.0, 120.0),  # 1,000 x 12 %, not 10 %
                ("Neu GmbH", "Audit", "category", 20.0, 40.0),  # 200 x 20 %, not 10 %
                ("Neu GmbH", "product_a", "new_business", 10.0, 100.0),  # 1,000 x 10 %
            ],
        )  # fmt: skip
        self.assertEqual(round(sum(lines.mapped("amount")), 2), 510.0)

    def test_the_last_day_of_new_business(self):
        """Handed over on 1 January with six months of new business: 30 June is the last
        day at the new-business rate, 1 July is at the base rate."""
        new = self.create_account("Neu GmbH", self.anna, since=date(2026, 1, 1))
        self.plan(self.anna, new_business_months=6, new_business_rate=10.0)
        self.create_invoice(new, date(2026, 6, 30), 1000.0)
        self.create_invoice(new, date(2026, 7, 1), 1000.0)
        self.assertEqual(  # 1,000 x 10 %
            self.earned(self.anna, Q2), [("anna", date(2026, 6, 30), "new_business", 100.0)]
        )
        self.assertEqual(  # 1,000 x 5 %
            self.earned(self.anna, (date(2026, 7, 1), date(2026, 9, 30))),
            [("anna", date(2026, 7, 1), "base", 50.0)],
        )

    def test_margin_on_a_credit_note(self):
        """Margin at 10 %: product_a sells at 1,000 and costs 800."""
        account = self.create_account("Marge AG", self.anna, since=date(2025, 1, 1))
        self.plan(self.anna, amount_basis="margin", base_rate=10.0)
        self.invoice(account, date(2026, 2, 1), [(self.product_a, 2, 1000.0)])
        self.invoice(account, date(2026, 3, 1), [(self.product_a, 1, 1000.0)], refund=True)
        lines = self.Line._compute_period(self.anna, *Q1)
        # invoice: 2,000 - 2 x 800 = 400 -> 40.00; credit note: -1,000 + 800 = -200 -> -20.00
        self.assertEqual(
            sorted((line.base_amount, line.amount) for line in lines),
            [(-200.0, -20.0), (400.0, 40.0)],
        )

    def test_credit_note_reconciled_with_its_invoice_on_the_paid_basis(self):
        """An invoice of 1,000, a credit note of 400 reconciled with it on 5 February, the
        remaining 600 paid on 1 March: 5 % of what was really paid, 30.00."""
        account = self.create_account("Gutschrift AG", self.anna, since=date(2025, 1, 1))
        self.plan(self.anna, earning_basis="paid")
        invoice = self.create_invoice(account, date(2026, 1, 10), 1000.0)
        refund = self.create_invoice(account, date(2026, 2, 5), 400.0, refund=True)
        (invoice | refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(invoice.amount_residual, 600.0)
        self.pay(invoice, 600.0, date(2026, 3, 1))
        self.assertEqual(invoice.payment_state, "paid")
        lines = self.Line._compute_period(self.anna, *Q1)
        # 5 Feb: the invoice's 400 paid by the credit note (+20.00) and the credit note's
        # 400 (-20.00) cancel out; 1 Mar: 600 x 5 % = 30.00
        self.assertEqual(
            sorted((line.date, line.base_amount, line.amount) for line in lines),
            [
                (date(2026, 2, 5), -400.0, -20.0),
                (date(2026, 2, 5), 400.0, 20.0),
                (date(2026, 3, 1), 600.0, 30.0),
            ],
        )
        self.assertEqual(round(sum(lines.mapped("amount")), 2), 30.0)

    # --- receivables ---------------------------------------------------------------------

    def test_a_receivable_due_today_is_not_overdue(self):
        account = self.create_account("Fällig AG", self.anna, since=date(2025, 1, 1))
        today = date(2026, 5, 15)
        for due, amount in (
            (date(2026, 5, 15), 500.0),  # due today: not due yet
            (date(2026, 5, 14), 300.0),  # 1 day late
            (date(2026, 4, 15), 200.0),  # 30 days late
            (date(2026, 4, 14), 100.0),  # 31 days late
        ):
            self.create_invoice(account, date(2026, 3, 1), amount, due=due)
        # a draft is no receivable, however late
        self.create_invoice(account, date(2026, 3, 1), 9999.0, due=date(2026, 1, 1), post=False)
        self.assertEqual(
            self.engine._receivables_aging(account.ids, today)[account.id],
            {"not_due": 500.0, "1_30": 500.0, "31_60": 100.0, "61_90": 0.0, "over_90": 0.0},
        )
        # open 1,100, overdue 300 + 200 + 100 = 600
        self.assertEqual(
            self.engine._receivables(account.ids, today), {account.id: (1100.0, 600.0)}
        )
