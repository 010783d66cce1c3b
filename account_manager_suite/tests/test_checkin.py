"""Check-ins: last contact from the chatter, due check-ins scheduled once."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestCheckins(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.checkin = cls.env.ref("account_manager_suite.mail_activity_type_checkin")
        cls.key = cls.create_account("Key AG", cls.anna, since=date(2026, 1, 1), tier=cls.tier_key)
        cls.small = cls.create_account(
            "Small KG", cls.budi, since=date(2026, 1, 1), tier=cls.tier_small
        )
        cls.contact = cls.env["res.partner"].create({"name": "Kim Key", "parent_id": cls.key.id})

    def checkin_activities(self, partners):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("activity_type_id", "=", self.checkin.id),
            ]
        )

    def test_cadence_from_tier_and_next_checkin(self):
        self.assertEqual(self.key.checkin_cadence_days, 14)
        self.assertEqual(self.small.checkin_cadence_days, 90)
        self.assertEqual(self.key.next_checkin_date, date(2026, 1, 15))
        self.key.account_tier_id = self.tier_standard
        self.assertEqual(self.key.checkin_cadence_days, 30)
        self.key.checkin_cadence_days = 7  # per-account override
        self.assertEqual(self.key.next_checkin_date, date(2026, 1, 8))

    def test_cadence_zero_or_negative_is_refused(self):
        for days in (0, -5):
            with self.assertRefused(ValidationError, "Check-in Cadence .* at least 1 day"):
                self.key.checkin_cadence_days = days
            with self.assertRefused(ValidationError, "Check-in Cadence .* at least 1 day"):
                self.tier_key.checkin_cadence_days = days
        self.assertEqual(self.key.checkin_cadence_days, 14)
        self.assertEqual(self.tier_key.checkin_cadence_days, 14)

    def test_cron_schedules_due_checkins_once(self):
        with freeze_time("2026-02-01"):
            created = self.env["res.partner"]._cron_schedule_checkins()
            self.assertEqual(created, 1)  # Key is due (15 Jan), Small not (1 Apr)
            activity = self.checkin_activities(self.key | self.small)
            self.assertEqual(activity.res_id, self.key.id)
            self.assertEqual(activity.user_id, self.anna)
            self.assertEqual(activity.date_deadline, date(2026, 2, 1))
            self.assertEqual(self.env["res.partner"]._cron_schedule_checkins(), 0)
            self.assertEqual(len(self.checkin_activities(self.key)), 1)
        with freeze_time("2026-02-03 10:00:00"):
            activity.action_feedback(feedback="Visited them, all good")
        self.assertEqual(self.key.last_contact_date, date(2026, 2, 3))
        self.assertEqual(self.key.next_checkin_date, date(2026, 2, 17))
        with freeze_time("2026-02-10"):
            self.assertEqual(self.env["res.partner"]._cron_schedule_checkins(), 0)
        with freeze_time("2026-04-02"):
            self.assertEqual(self.env["res.partner"]._cron_schedule_checkins(), 2)

    def test_the_scheduled_action_takes_the_due_accounts_in_batches(self):
        with freeze_time("2026-04-02"):  # both due: Key since 15 Jan, Small since 1 Apr
            run = "ir_cron_schedule_checkins"
            self.assertEqual(self.run_scheduled_action(run, batch_size=1), (1, 1))
            self.assertEqual(self.checkin_activities(self.key | self.small).res_id, self.key.id)
            self.assertEqual(self.run_scheduled_action(run, batch_size=1), (1, 0))
            self.assertEqual(len(self.checkin_activities(self.key | self.small)), 2)
            self.assertEqual(self.run_scheduled_action(run, batch_size=1), (0, 0))
            self.assertEqual(len(self.checkin_activities(self.key | self.small)), 2)

    def test_the_daily_job_schedules_the_due_checkins(self):
        """``ir_cron_schedule_checkins`` through its record: Key (due 15 Jan) gets its
        activity, Small (due 1 Apr) none, and a second run adds nothing."""
        with freeze_time("2026-02-01"):
            self.run_cron("ir_cron_schedule_checkins")
            activity = self.checkin_activities(self.key | self.small)
            self.assertEqual(
                (activity.res_id, activity.user_id, activity.date_deadline),
                (self.key.id, self.anna, date(2026, 2, 1)),
            )
            self.run_cron("ir_cron_schedule_checkins")
            self.assertEqual(self.checkin_activities(self.key | self.small), activity)

    def test_last_contact_counts_people_not_tracking(self):
        with freeze_time("2026-03-03 12:00:00"):
            self.contact.message_post(
                body="Call notes", message_type="comment", subtype_xmlid="mail.mt_note"
            )
        self.assertEqual(self.key.last_contact_date, date(2026, 3, 3))
        with freeze_time("2026-03-20 12:00:00"):
            self.key._message_log(body="a tracking-like log")
        self.key.last_contact_date = False
        self.key._refresh_last_contact()
        self.assertEqual(self.key.last_contact_date, date(2026, 3, 3))
