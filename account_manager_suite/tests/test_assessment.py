"""Customer satisfaction and relationship quality: assessed, kept, attributed, in health."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestAssessment(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.create_account("Zufrieden AG", cls.anna, since=date(2025, 1, 1))
        cls.other = cls.create_account("Andere GmbH", cls.budi, since=date(2025, 1, 1))
        cls.Assessment = cls.env["account.manager.assessment"]

    def assess(self, user, partner, day, satisfaction, relationship, note=None):
        with freeze_time(day.isoformat()):
            return self.Assessment.with_user(user).create(
                {
                    "partner_id": partner.id,
                    "date": day,
                    "satisfaction": satisfaction,
                    "relationship": relationship,
                    "note": note,
                }
            )

    def test_assessments_are_kept_attributed_and_logged(self):
        first = self.assess(
            self.anna, self.account, date(2026, 3, 10), "4", "good", "Happy with delivery"
        )
        self.assertEqual(first.account_manager_id, self.anna)
        self.assertEqual((first.satisfaction_score, first.relationship_score), (4, 4))
        # in the account's chatter, where it counts as the last contact
        message = self.account.message_ids[:1]
        self.assertIn("satisfaction 4/5 (Satisfied), relationship Good", message.body)
        self.assertIn("Happy with delivery", message.body)
        self.assertEqual(message.author_id, self.anna.partner_id)
        self.assertEqual(self.account.last_contact_date, date(2026, 3, 10))
        # the account goes to Budi from April: his assessment is his
        with freeze_time("2026-04-01"):
            self.account.with_user(self.director)._set_account_manager(
                self.budi, date(2026, 4, 1), reason="reassignment"
            )
        second = self.assess(self.budi, self.account, date(2026, 5, 4), "2", "strained")
        self.assertEqual(second.account_manager_id, self.budi)
        self.assertEqual(
            (self.account.satisfaction, self.account.relationship, self.account.satisfaction_date),
            ("2", "strained", date(2026, 5, 4)),
        )
        self.assertEqual(self.account.assessment_ids, second | first)
        # per manager, the average of what their customers said in their time
        by_manager = dict(
            self.Assessment._read_group(
                [("partner_id", "=", self.account.id)],
                ["account_manager_id"],
                ["satisfaction_score:avg"],
            )
        )
        self.assertEqual(by_manager, {self.anna: 4.0, self.budi: 2.0})
        # the new assessment is in the account's health at once:
        # (0.75 + 1.0) / 2 x 15 points = 13.125, out of 100
        self.assertEqual(self.account.health_score, 87)
        self.assertEqual(
            self.account.health_reasons,
            "Customer satisfaction: satisfaction 2/5, relationship Strained on 2026-05-04 "
            "(-13.1 points)",
        )

    def test_health_reads_the_latest_assessment_of_the_last_twelve_months(self):
        self.assess(self.anna, self.account, date(2025, 3, 1), "1", "strained")
        with freeze_time("2026-03-02"):
            self.account._compute_account_health()
        # a year and a day ago: stale (what is left is the check-in, late since then)
        self.assertNotIn("Customer satisfaction", self.account.health_reasons)
        self.assertIn("Overdue check-in", self.account.health_reasons)
        self.assess(self.anna, self.account, date(2026, 3, 2), "5", "strong")
        self.assertEqual(self.account.health_score, 100)
        self.assess(self.anna, self.account, date(2026, 3, 3), "3", "neutral")
        # (0.5 + 0.5) / 2 x 15 = 7.5 points: 92.5, rounded half up
        self.assertEqual(self.account.health_score, 93)
        self.assertIn("satisfaction 3/5, relationship Neutral", self.account.health_reasons)

    def test_bad_input_and_access(self):
        contact = self.env["res.partner"].create(
            {"name": "Frau Kunde", "parent_id": self.account.id}
        )
        count = self.Assessment.search_count([])
        with freeze_time("2026-03-10"):
            with self.assertRefused(ValidationError, "Date .* is in the future"):
                self.Assessment.create(
                    {
                        "partner_id": self.account.id,
                        "date": date(2026, 3, 11),
                        "satisfaction": "3",
                        "relationship": "good",
                    }
                )
            with self.assertRefused(ValidationError, "choose the company as Account"):
                self.Assessment.create(
                    {
                        "partner_id": contact.id,
                        "satisfaction": "3",
                        "relationship": "good",
                    }
                )
            with self.assertRefused(ValidationError, "Customer Satisfaction"):
                self.Assessment.create(
                    {"partner_id": self.account.id, "satisfaction": "7", "relationship": "good"}
                )
            # a manager assesses their own accounts, not a colleague's
            with self.assertRefused(AccessError, "top-secret records|not allowed to"):
                self.assess(self.anna, self.other, date(2026, 3, 10), "5", "strong")
        self.assertEqual(self.Assessment.search_count([]), count)
        theirs = self.assess(self.budi, self.other, date(2026, 3, 10), "5", "strong")
        with self.assertRaises(AccessError):
            theirs.with_user(self.anna).read(["satisfaction"])
        self.assertFalse(self.other.with_user(self.anna).satisfaction)
        self.assertEqual(self.other.with_user(self.director).satisfaction, "5")
        # the form opens from the account, for the account
        action = self.account.with_user(self.anna).action_record_assessment()
        self.assertEqual(
            (action["res_model"], action["context"]["default_partner_id"]),
            ("account.manager.assessment", self.account.id),
        )
