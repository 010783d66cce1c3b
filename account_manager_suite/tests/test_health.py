"""Health score from constructed books and chatter, explained."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.modules.migration import load_script
from odoo.tests import tagged
from odoo.tools import file_path
from odoo.tools import sql

from .common import MODULE
from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestHealth(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.create_account("Health AG", cls.anna, since=date(2025, 1, 1))
        cls.healthy = cls.create_account("Fine GmbH", cls.anna, since=date(2025, 1, 1))
        # last year, same period: 8,000 (paid)
        last_year = cls.create_invoice(cls.account, date(2025, 3, 15), 8000.0)
        cls.pay(last_year, 8000.0, date(2025, 3, 20))
        # this year: 10,000 of which 8,000 paid; 3,000 not yet due; a 1,000 credit note
        first = cls.create_invoice(cls.account, date(2026, 2, 10), 10000.0)
        cls.pay(first, 8000.0, date(2026, 3, 1))
        cls.create_invoice(cls.account, date(2026, 6, 20), 3000.0, due=date(2026, 7, 20))
        cls.create_invoice(cls.account, date(2026, 4, 1), 1000.0, refund=True)
        healthy_invoice = cls.create_invoice(cls.healthy, date(2026, 5, 1), 500.0)
        cls.pay(healthy_invoice, 500.0, date(2026, 5, 2))
        for partner in (cls.account, cls.healthy):
            with freeze_time("2026-06-01 09:00:00"):
                partner.message_post(body="Quarterly call", message_type="comment")

    @freeze_time("2026-06-30")
    def test_score_and_reasons_from_signals(self):
        self.account.write({"at_risk": True, "at_risk_reason": "competitor"})
        (self.account | self.healthy)._compute_account_health()
        # open 4,000 (2,000 + 3,000 - 1,000), overdue 1,000 -> 0.25 x 20 = 5
        # DSO 4,000 / 12,000 x 365 = 122 days -> 1.0 x 15 = 15
        # credit notes 1,000 / 13,000 = 7.7% -> 0.3846 x 10 = 3.85
        # revenue 12,000 this year vs 8,000 -> no trend penalty; check-in fine
        # at risk -> 15; no assessment; score 100 - 38.85 = 61
        self.assertEqual(self.account.health_score, 61)
        self.assertEqual(self.account.health_state, "watch")
        reasons = self.account.health_reasons.splitlines()
        self.assertEqual(len(reasons), 4)
        # money as Odoo writes it (format_amount): the currency's symbol and position
        self.assertEqual(
            reasons[0],
            "Overdue receivables: $\xa01,000.00 overdue of $\xa04,000.00 open (-5.0 points)",
        )
        # whole lines, so that 7.7% is not found in 17.7%
        self.assertEqual(
            reasons[1:],
            [
                "Days sales outstanding: 122 days (-15.0 points)",
                "Credit notes: 7.7% of invoiced revenue credited (-3.8 points)",
                "Flagged at risk: Considering a Competitor (-15.0 points)",
            ],
        )
        self.assertEqual(self.healthy.health_score, 100)
        self.assertEqual(self.healthy.health_state, "good")
        self.assertEqual(self.healthy.health_date, date(2026, 6, 30))

    @freeze_time("2026-06-30")
    def test_the_nightly_job_scores_every_account(self):
        """``ir_cron_compute_health`` through its record: the same scores as above."""
        self.account.write({"at_risk": True, "at_risk_reason": "competitor"})
        self.assertFalse(self.account.health_date)
        self.run_cron("ir_cron_compute_health")
        self.assertEqual((self.account.health_score, self.account.health_state), (61, "watch"))
        self.assertEqual(
            (self.healthy.health_score, self.healthy.health_date), (100, date(2026, 6, 30))
        )

    @freeze_time("2026-06-30")
    def test_weights_are_configurable(self):
        company = self.env.company
        company.write({"ams_health_weight_risk": 0, "ams_health_weight_dso": 0})
        self.account.write({"at_risk": True, "at_risk_reason": "unhappy"})
        self.account._compute_account_health()
        # left: overdue 20 x 0.25, credit notes 10 x 0.3846, out of 70 weight points
        self.assertEqual(self.account.health_score, 87)  # 100 - 100 x 8.846 / 70 = 87.36
        with self.assertRefused(ValidationError, "weights must be zero or positive"):
            company.ams_health_weight_trend = -1

    @freeze_time("2026-06-30")
    def test_revenue_drop_and_late_checkin(self):
        drop = self.create_account("Drop KG", self.budi, since=date(2025, 1, 1))
        paid = self.create_invoice(drop, date(2025, 2, 1), 10000.0)
        self.pay(paid, 10000.0, date(2025, 2, 2))
        this_year = self.create_invoice(drop, date(2026, 2, 1), 2500.0)
        self.pay(this_year, 2500.0, date(2026, 2, 2))
        drop._compute_account_health()
        # revenue -75% -> trend 1.0 x 15; check-in due 31 Jan 2025, 515 days late -> 10
        self.assertEqual(drop.health_score, 75)
        # whole lines, so that 75.0% is not found in 175.0%
        self.assertEqual(
            drop.health_reasons.splitlines(),
            [
                "Revenue trend: 75.0% below last year to date ($\xa02,500.00 vs "
                "$\xa010,000.00) (-15.0 points)",
                "Overdue check-in: check-in 515 days late (-10.0 points)",
            ],
        )

    @freeze_time("2026-06-30")
    def test_the_scheduled_action_scores_the_accounts_in_batches(self):
        accounts = self.account | self.healthy
        self.assertEqual(accounts.mapped("health_date"), [False, False])
        run = "ir_cron_compute_health"
        self.assertEqual(self.run_scheduled_action(run, batch_size=1), (1, 1))
        self.assertEqual(accounts.mapped("health_date"), [date(2026, 6, 30), False])
        self.assertEqual(self.run_scheduled_action(run, batch_size=1), (1, 0))
        self.assertEqual((self.account.health_score, self.healthy.health_score), (76, 100))
        # done for today: the next run takes nothing
        self.assertEqual(self.run_scheduled_action(run, batch_size=1), (0, 0))

    @freeze_time("2026-06-30")
    def test_the_reasons_are_shown_to_whoever_sees_the_figures(self):
        """The reasons quote the receivables and the latest assessment: the account's
        manager and sales directors read them, a colleague and an internal user do not
        (the same rule as the account's figures)."""
        self.account._compute_account_health()
        reasons = self.account.health_reasons
        self.assertIn("Overdue receivables: $\xa01,000.00 overdue of $\xa04,000.00 open", reasons)
        for user, shown in (
            (self.anna, True),
            (self.director, True),
            (self.budi, False),
            (self.internal, False),
        ):
            with self.subTest(user=user.login):
                partner = self.account.with_user(user)
                self.assertEqual(partner.health_reasons, reasons if shown else False)
                self.assertEqual(partner.account_figures_visible, shown)
                # the stored text is the system's
                with self.assertRaises(AccessError):
                    partner.read(["health_reasons_text"])

    def test_the_update_keeps_the_reasons_written_before(self):
        """18.0.1.0.3 renames the stored column (pre-migrate): the reasons of 18.0.1.0.2
        are shown after the update, before the health job runs again."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            "UPDATE res_partner SET health_reasons_text = 'Overdue check-in' WHERE id = %s",
            [self.account.id],
        )
        sql.rename_column(cr, "res_partner", "health_reasons_text", "health_reasons")
        script = load_script(
            file_path(f"{MODULE}/migrations/18.0.1.0.3/pre-migrate.py"), "ams_pre_migrate"
        )
        script.migrate(cr, "18.0.1.0.2")
        self.assertFalse(sql.column_exists(cr, "res_partner", "health_reasons"))
        self.env.invalidate_all()
        self.assertEqual(self.account.health_reasons, "Overdue check-in")
        # a new installation has nothing to rename
        script.migrate(cr, False)
        self.assertTrue(sql.column_exists(cr, "res_partner", "health_reasons_text"))
