"""Quotas: attainment from the books, closing, plans, team roll-up, probation."""

from datetime import date
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import date_utils

from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestQuota(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Quota = cls.env["account.manager.quota"]
        cls.team = cls.env["crm.team"].create({"name": "DACH"})
        cls.team.member_ids = cls.anna | cls.budi
        cls.mueller = cls.create_account("Müller GmbH", cls.anna, since=date(2025, 1, 1))
        cls.mueller._set_account_manager(cls.budi, date(2026, 2, 15), force=True)
        cls.tan = cls.create_account("PT Tan", cls.budi, since=date(2025, 1, 1))
        cls.create_invoice(cls.mueller, date(2026, 1, 20), 6000.0)  # Anna
        cls.create_invoice(cls.mueller, date(2026, 2, 20), 5000.0)  # Budi
        cls.create_invoice(cls.mueller, date(2026, 3, 10), 1000.0, refund=True)  # Budi
        cls.create_invoice(cls.tan, date(2026, 3, 15), 8000.0, post=False)  # draft: out
        cancelled = cls.create_invoice(cls.tan, date(2026, 3, 16), 9000.0)
        cancelled.button_draft()
        cancelled.button_cancel()  # cancelled: out
        usd_at_2 = cls.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        cls.create_invoice(cls.tan, date(2026, 3, 20), 4000.0, currency=usd_at_2)  # 2,000

    def quota(self, user, target, start=date(2026, 1, 1), period="quarter", **vals):
        return self.Quota.create(
            {
                "user_id": user.id,
                "target": target,
                "period_type": period,
                "date_from": start,
                "date_to": date_utils.end_of(start, period),
                **vals,
            }
        )

    @freeze_time("2026-03-31")
    def test_invoiced_attainment_split_by_reassignment(self):
        anna_q1, budi_q1 = self.quota(self.anna, 10000.0), self.quota(self.budi, 5000.0)
        self.assertEqual(anna_q1.actual_amount, 6000.0)
        self.assertEqual(anna_q1.attainment, 60.0)
        self.assertEqual(anna_q1.remaining_amount, 4000.0)
        # 5,000 invoice - 1,000 credit note + 4,000 EUR at 2 per USD
        self.assertEqual(budi_q1.actual_amount, 6000.0)
        self.assertEqual(budi_q1.attainment, 120.0)
        self.assertEqual(budi_q1.over_attainment_amount, 1000.0)
        self.assertEqual(budi_q1.remaining_amount, 0.0)
        self.assertEqual(budi_q1.projected_amount, 6000.0)  # last day of the period
        self.assertEqual(anna_q1.team_id, self.team)

    def test_the_scheduled_action_refreshes_the_open_quotas_in_batches(self):
        with freeze_time("2026-03-30 08:00:00"):
            anna_q1, budi_q1 = self.quota(self.anna, 10000.0), self.quota(self.budi, 5000.0)
            self.create_invoice(self.tan, date(2026, 3, 25), 500.0)  # Budi's
        cron = self.env.ref("account_manager_suite.ir_cron_refresh_quotas").sudo()
        cron.lastcall = datetime(2026, 3, 31, 6, 0)
        with freeze_time("2026-03-31 07:00:00"):
            run = "ir_cron_refresh_quotas"
            self.assertEqual(self.run_scheduled_action(run, batch_size=1), (1, 1))
            self.assertEqual(anna_q1.refreshed_at, datetime(2026, 3, 31, 7, 0))
            self.assertEqual(self.run_scheduled_action(run, batch_size=1), (1, 0))
        self.assertEqual(budi_q1.actual_amount, 6500.0)
        self.assertEqual(budi_q1.refreshed_at, datetime(2026, 3, 31, 7, 0))

    @freeze_time("2026-02-14")
    def test_run_rate_projection_mid_period(self):
        anna_q1 = self.quota(self.anna, 10000.0)
        # 6,000 in 45 of 90 days -> 12,000 at the end of the quarter
        self.assertEqual(anna_q1.actual_amount, 6000.0)
        self.assertEqual(anna_q1.projected_amount, 12000.0)
        self.assertEqual(anna_q1.projected_attainment, 120.0)

    def test_booked_basis_reads_confirmed_orders_by_order_date(self):
        self.create_order(
            self.tan, 3000.0, self.budi, date_order=datetime(2026, 2, 3, 10, 0), confirm=True
        )
        self.create_order(self.tan, 700.0, self.budi, date_order=datetime(2026, 2, 4, 10, 0))
        self.create_order(
            self.mueller, 900.0, self.anna, date_order=datetime(2026, 1, 9, 10, 0), confirm=True
        )
        # action_confirm dates the order today: put the order dates back
        orders = self.env["sale.order"].search([("state", "=", "sale")])
        for order in orders:
            order.date_order = (
                datetime(2026, 2, 3, 10, 0)
                if order.partner_id == self.tan
                else (datetime(2026, 1, 9, 10, 0))
            )
        budi = self.quota(self.budi, 2000.0, basis="booked")
        anna = self.quota(self.anna, 2000.0, basis="booked")
        self.assertEqual(budi.actual_amount, 3000.0)
        self.assertEqual(anna.actual_amount, 900.0)

    def test_team_rollup_is_the_sum_of_members(self):
        quotas = self.quota(self.anna, 10000.0) | self.quota(self.budi, 5000.0)
        [(team, target, actual)] = self.Quota._read_group(
            [("id", "in", quotas.ids)], ["team_id"], ["target:sum", "actual_amount:sum"]
        )
        self.assertEqual(team, self.team)
        self.assertEqual(target, 15000.0)
        self.assertEqual(actual, 12000.0)
        self.assertEqual(actual, sum(quotas.mapped("actual_amount")))

    def test_the_hourly_job_refreshes_open_quotas(self):
        """``ir_cron_refresh_quotas`` through its record: open quotas that have begun get
        the invoices posted since; closed and future ones keep their figures."""
        with freeze_time("2026-03-01 08:00:00"):
            running = self.quota(self.anna, 10000.0)
            closed = self.quota(self.budi, 10000.0)
            closed.action_close()
            future = self.quota(self.anna, 10000.0, start=date(2026, 4, 1))
        self.assertEqual((running.actual_amount, closed.actual_amount), (6000.0, 6000.0))
        # invoices posted since, without refreshing anything
        with patch.object(type(self.Quota), "_refresh_attainment", lambda quotas: None):
            self.create_invoice(self.mueller, date(2026, 1, 25), 1500.0)  # Anna's
            self.create_invoice(self.mueller, date(2026, 3, 1), 700.0)  # Budi's
        self.assertEqual(running.actual_amount, 6000.0)
        with freeze_time("2026-03-02 09:00:00"):
            self.run_cron("ir_cron_refresh_quotas")
        # Anna 6,000 + 1,500; Budi's closed quarter frozen at 6,000; the future untouched
        self.assertEqual(running.actual_amount, 7500.0)
        self.assertEqual(running.attainment, 75.0)
        self.assertEqual(running.refreshed_at, datetime(2026, 3, 2, 9, 0))
        self.assertEqual(closed.actual_amount, 6000.0)
        self.assertNotEqual(future.refreshed_at, datetime(2026, 3, 2, 9, 0))

    def test_closing_freezes_and_reopening_is_logged(self):
        quota = self.quota(self.anna, 10000.0)
        quota.with_user(self.director).action_close()
        self.assertEqual((quota.state, quota.closed_by_id), ("closed", self.director))
        self.create_invoice(self.mueller, date(2026, 1, 25), 99999.0)  # late, in Anna's time
        quota._refresh_attainment()
        self.assertEqual(quota.actual_amount, 6000.0, "closed figures are frozen")
        with self.assertRefused(UserError, "already closed"):
            quota.action_close()
        with self.assertRefused(UserError, "is closed: its figures are frozen"):
            quota.target = 1.0
        with self.assertRefused(AccessError, "Only a Sales Director"):
            quota.with_user(self.anna).action_reopen()
        quota.with_user(self.director).action_reopen()
        self.assertEqual(quota.state, "open")
        self.assertIn("re-opened by Diana Director", quota.message_ids[0].body)
        self.assertAmounts(quota.message_ids[0].body, [6000.0])

    def test_bad_quotas_are_refused(self):
        self.quota(self.anna, 100.0)
        with self.assertRefused(ValidationError, "already has a quarter quota overlapping"):
            self.quota(self.anna, 100.0, start=date(2026, 1, 1))
        with self.assertRefused(ValidationError, "Target .* must be positive"):
            self.quota(self.budi, 0.0)
        with self.assertRefused(ValidationError, "Target .* must be positive"):
            self.quota(self.budi, -5.0)
        with self.assertRefused(ValidationError, "does not cover a whole calendar quarter"):
            self.quota(self.budi, 10.0, start=date(2026, 2, 1))
        with self.assertRefused(ValidationError, "does not cover a whole calendar quarter"):
            self.quota(self.budi, 10.0, start=date(2026, 4, 1), date_to=date(2026, 7, 1))
        with self.assertRefused(ValidationError, "does not cover a whole calendar year"):
            self.quota(
                self.budi, 10.0, start=date(2026, 1, 1), period="year", date_to=date(2026, 12, 30)
            )
        with self.assertRefused(ValidationError, "ends .* before it starts"):
            self.Quota.create(
                {
                    "user_id": self.budi.id,
                    "target": 5.0,
                    "period_type": "month",
                    "date_from": date(2026, 2, 1),
                    "date_to": date(2026, 1, 31),
                }
            )
        self.assertEqual(self.Quota.search_count([("user_id", "=", self.budi.id)]), 0)
        # a monthly quota beside the quarterly one is fine
        self.quota(self.anna, 50.0, period="month")

    def test_attainment_queries_do_not_grow_with_invoices_or_managers(self):
        managers = [self.anna, self.budi]
        small = self.quota(self.anna, 100.0) | self.quota(self.budi, 100.0)
        small.flush_recordset()
        with self.assertQueryCount(10):
            small._refresh_attainment()
        for i in range(6):
            user = self.env["res.users"].create(
                {
                    "name": f"AM {i}",
                    "login": f"am{i}",
                    "groups_id": [
                        (6, 0, self.env.ref("account_manager_suite.group_account_manager").ids)
                    ],
                }
            )
            managers.append(user)
            account = self.create_account(f"Account {i}", user, since=date(2025, 1, 1))
            for day in (5, 6, 7):
                self.create_invoice(account, date(2026, 1, day), 100.0 * (i + 1))
        large = small | self.Quota.browse([self.quota(m, 100.0).id for m in managers[2:]])
        large.flush_recordset()
        self.env.invalidate_all()
        with self.assertQueryCount(10):
            large._refresh_attainment()
        self.assertEqual(large.filtered(lambda q: q.user_id.login == "am5").actual_amount, 1800.0)


@tagged("post_install", "-at_install")
class TestQuotaPlan(AccountManagerCommon):
    def test_plan_split_by_weights_adds_up_exactly(self):
        plan = self.env["account.manager.quota.plan"].create(
            {
                "name": "2027",
                "year": 2027,
                "weighting": "weights",
                "weights": "1,1,1,2",
                "line_ids": [
                    (0, 0, {"user_id": self.anna.id, "annual_target": 100000.0}),
                    (0, 0, {"user_id": self.budi.id, "annual_target": 50000.01}),
                ],
            }
        )
        plan.action_generate_quotas()
        anna = plan.quota_ids.filtered(lambda q: q.user_id == self.anna).sorted("date_from")
        self.assertEqual(anna.mapped("target"), [20000.0, 20000.0, 20000.0, 40000.0])
        self.assertEqual(anna.mapped("date_from"), [date(2027, m, 1) for m in (1, 4, 7, 10)])
        self.assertEqual(
            anna.mapped("date_to"),
            [date(2027, 3, 31), date(2027, 6, 30), date(2027, 9, 30), date(2027, 12, 31)],
        )
        budi = plan.quota_ids.filtered(lambda q: q.user_id == self.budi)
        self.assertAlmostEqual(sum(budi.mapped("target")), 50000.01, places=2)
        with self.assertRefused(UserError, "generated its quotas already"):
            plan.action_generate_quotas()

    def test_monthly_even_split_and_bad_weights(self):
        plan = self.env["account.manager.quota.plan"].create(
            {
                "name": "Months",
                "year": 2027,
                "period_type": "month",
                "line_ids": [(0, 0, {"user_id": self.anna.id, "annual_target": 1000.0})],
            }
        )
        plan.action_generate_quotas()
        self.assertEqual(len(plan.quota_ids), 12)
        self.assertAlmostEqual(sum(plan.quota_ids.mapped("target")), 1000.0, places=2)
        self.assertEqual(plan.quota_ids.sorted("date_from")[0].target, 83.33)
        february = plan.quota_ids.sorted("date_from")[1]
        self.assertEqual(
            (february.date_from, february.date_to), (date(2027, 2, 1), date(2027, 2, 28))
        )
        Plan = self.env["account.manager.quota.plan"]
        with self.assertRefused(ValidationError, "needs 4 weights"):
            Plan.create({"name": "x", "year": 2027, "weighting": "weights", "weights": "1,2"})
        with self.assertRefused(ValidationError, "numbers separated by commas"):
            Plan.create({"name": "x", "year": 2027, "weighting": "weights", "weights": "a,b,c,d"})
        with self.assertRefused(ValidationError, "not a valid year"):
            Plan.create({"name": "x", "year": 27})
        with self.assertRefused(ValidationError, "Annual Target of Anna Becker must be positive"):
            Plan.create(
                {
                    "name": "x",
                    "year": 2028,
                    "line_ids": [(0, 0, {"user_id": self.anna.id, "annual_target": 0})],
                }
            )


@tagged("post_install", "-at_install")
class TestProbation(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.create_account("Review AG", cls.anna, since=date(2025, 1, 1))
        # quarterly revenue 8,000 / 9,000 / 7,000 / 11,000 against a 10,000 quota
        for month, amount in ((2, 8000.0), (5, 9000.0), (8, 7000.0), (11, 11000.0)):
            cls.create_invoice(cls.account, date(2025, month, 10), amount)
        cls.quotas = cls.env["account.manager.quota"]
        for month in (1, 4, 7, 10):
            cls.quotas |= cls.env["account.manager.quota"].create(
                {
                    "user_id": cls.anna.id,
                    "target": 10000.0,
                    "period_type": "quarter",
                    "date_from": date(2025, month, 1),
                    "date_to": date(2025, month + 2, 31 if month in (1, 10) else 30),
                }
            )

    def test_probation_state_machine_over_four_quarters(self):
        q1, q2, q3, q4 = self.quotas.sorted("date_from")
        q1.with_user(self.director).action_close()
        self.assertEqual(self.anna.ams_performance_state, "on_track")
        q2.with_user(self.director).action_close()
        self.assertEqual(self.anna.ams_performance_state, "probation")
        review = q2.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("account_manager_suite.mail_activity_type_performance_review")
        )
        self.assertEqual(review.user_id, self.director)
        q3.with_user(self.director).action_close()
        self.assertEqual(self.anna.ams_performance_state, "final_review")
        q4.with_user(self.director).action_close()
        self.assertEqual(self.anna.ams_performance_state, "on_track")
        events = self.anna.ams_performance_event_ids.sorted("id")
        self.assertEqual(
            [(e.old_state, e.new_state, e.quota_id) for e in events],
            [
                ("on_track", "probation", q2),
                ("probation", "final_review", q3),
                ("final_review", "on_track", q4),
            ],
        )
        self.assertRegex(events[0].reason, r"\$\s9,000\.00 of \$\s10,000\.00 \(90\.0%\)")
        self.assertIn("2 consecutive period(s)", events[0].reason)
        self.assertEqual(q4.over_attainment_amount, 1000.0)
        # re-opening Q4 puts Anna back where the closed periods say
        q4.with_user(self.director).action_reopen()
        self.assertEqual(self.anna.ams_performance_state, "final_review")

    def test_thresholds_are_configurable(self):
        self.env.company.write({"ams_probation_threshold": 85.0, "ams_probation_periods": 1})
        q1, q2 = self.quotas.sorted("date_from")[:2]
        q1.with_user(self.director).action_close()  # 80% < 85%
        self.assertEqual(self.anna.ams_performance_state, "probation")
        q2.with_user(self.director).action_close()  # 90% >= 85%
        self.assertEqual(self.anna.ams_performance_state, "on_track")
        with self.assertRefused(ValidationError, "at least 1"):
            self.env.company.ams_probation_periods = 0
