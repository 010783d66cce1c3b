"""Account plans: validation and the printable plan (HTML and PDF through wkhtmltopdf)."""

import shutil
from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestAccountPlan(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.create_account("Plan AG", cls.anna, tier=cls.tier_key)
        cls.account.account_team_member_ids = [
            (0, 0, {"user_id": cls.budi.id, "role": "project_manager"})
        ]
        cls.decider = cls.env["res.partner"].create(
            {"name": "Petra Prokura", "parent_id": cls.account.id}
        )
        cls.plan = cls.env["account.manager.account.plan"].create(
            {
                "name": "Growth 2027",
                "partner_id": cls.account.id,
                "date_start": date(2026, 10, 1),
                "review_date": date(2027, 1, 15),
                "customer_goals": "<p>Halve delivery times</p>",
                "value_proposition": "<p>Framework contract for three years</p>",
                "contact_ids": [
                    (
                        0,
                        0,
                        {
                            "partner_id": cls.decider.id,
                            "role": "Signs contracts",
                            "influence": "high",
                            "attitude": "supporter",
                        },
                    )
                ],
                "action_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Site visit",
                            "user_id": cls.anna.id,
                            "date_deadline": date(2026, 11, 30),
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Offer",
                            "user_id": cls.budi.id,
                            "date_deadline": date(2026, 12, 15),
                            "state": "done",
                        },
                    ),
                ],
            }
        )

    def test_review_before_start_and_contact_as_account_are_refused(self):
        with self.assertRefused(ValidationError, "Review Date .* is before its Start"):
            self.plan.review_date = date(2026, 9, 1)
        with self.assertRefused(ValidationError, "not to its contact"):
            self.env["account.manager.account.plan"].create(
                {"name": "x", "partner_id": self.decider.id}
            )
        self.assertEqual(self.plan.review_date, date(2027, 1, 15))
        self.assertEqual(self.plan.open_action_count, 1)

    def test_printed_plan_shows_its_content(self):
        report = self.env.ref("account_manager_suite.action_report_account_plan")
        html, _kind = report._render_qweb_html(report.report_name, self.plan.ids)
        html = html.decode()
        for text in (
            "Growth 2027",
            "Plan AG",
            "Anna Becker",
            "Budi Santoso",
            "Project Manager",
            "Halve delivery times",
            "Framework contract",
            "Petra Prokura",
            "Signs contracts",
            "Site visit",
            "Offer",
            "11/30/2026",
        ):
            self.assertIn(text, html)

    def test_pdf_renders_with_wkhtmltopdf(self):
        self.assertTrue(shutil.which("wkhtmltopdf"), "wkhtmltopdf is required (make setup)")
        report = self.env.ref("account_manager_suite.action_report_account_plan")
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, self.plan.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 5000)
