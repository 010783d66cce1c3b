"""The module's KPIs in Odoo's digest e-mails, each recipient reading their own scope."""

from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import date_utils

from .common import AccountManagerCommon

KPIS = ("attainment", "revenue", "at_risk", "checkin_overdue", "commission")


@tagged("post_install", "-at_install")
class TestDigest(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.quarter_start, cls.quarter_end = date_utils.get_quarter(cls.today)
        long_ago = cls.quarter_start - timedelta(days=400)
        # Anna: an old account never checked in (overdue), a new one at risk; Budi: an
        # old account at risk and overdue
        cls.anna_old = cls.create_account("Alt GmbH", cls.anna, since=long_ago)
        cls.anna_new = cls.create_account("Neu AG", cls.anna, since=cls.today)
        cls.budi_old = cls.create_account("PT Lama", cls.budi, since=long_ago)
        for account in cls.anna_new | cls.budi_old:
            account.write(
                {
                    "at_risk": True,
                    "at_risk_reason": "competitor",
                    "at_risk_note": "A competitor offered lower rates.",
                    "remediation_plan": "Present a volume price proposal.",
                    "remediation_deadline": cls.today + timedelta(days=14),
                }
            )
        cls.create_invoice(cls.anna_old, cls.quarter_start, 4000.0)
        cls.create_invoice(cls.anna_new, cls.today, 1000.0)
        cls.create_invoice(cls.budi_old, cls.quarter_start, 3000.0)
        cls.create_invoice(cls.budi_old, cls.quarter_start - timedelta(days=1), 9999.0)  # before
        for user, target in ((cls.anna, 10000.0), (cls.budi, 5000.0)):
            cls.env["account.manager.quota"].create(
                {
                    "user_id": user.id,
                    "target": target,
                    "period_type": "quarter",
                    "date_from": cls.quarter_start,
                    "date_to": cls.quarter_end,
                }
            )
        cls.create_plan("Flat 5%", 5.0, cls.anna | cls.budi, since=long_ago)
        cls.env["account.manager.commission.line"]._compute_period(
            cls.anna | cls.budi, cls.quarter_start, cls.quarter_end
        )
        cls.digest = cls.env["digest.digest"].create(
            {"name": "Weekly", **{f"kpi_ams_{kpi}": True for kpi in KPIS}}
        )

    def _values(self, user):
        """The KPIs as ``user`` reads them for the running quarter up to today."""
        digest = self.digest.with_user(user).with_context(
            start_datetime=datetime.combine(self.quarter_start, time.min),
            end_datetime=datetime.combine(self.today, time(23, 59)),
        )
        values = {kpi: digest[f"kpi_ams_{kpi}_value"] for kpi in KPIS}
        digest.invalidate_model()  # as the digest does between recipients and periods
        return values

    def test_manager_reads_their_own_figures(self):
        values = self._values(self.anna)
        self.assertAlmostEqual(values.pop("attainment"), 50.0)  # 5,000 of 10,000
        self.assertEqual(
            values, {"revenue": 5000.0, "at_risk": 1, "checkin_overdue": 1, "commission": 250.0}
        )
        values = self._values(self.budi)
        self.assertAlmostEqual(values.pop("attainment"), 60.0)  # 3,000 of 5,000
        self.assertEqual(
            values, {"revenue": 3000.0, "at_risk": 1, "checkin_overdue": 1, "commission": 150.0}
        )

    def test_director_reads_every_manager(self):
        values = self._values(self.director)
        self.assertAlmostEqual(values.pop("attainment"), 100.0 * 8000.0 / 15000.0)
        self.assertEqual(
            values, {"revenue": 8000.0, "at_risk": 2, "checkin_overdue": 2, "commission": 400.0}
        )

    def test_digest_mail_shows_the_kpis_to_their_users_only(self):
        company = self.env.company
        names = {f"kpi_ams_{kpi}" for kpi in KPIS}
        for user in (self.anna, self.director):
            kpis = {kpi["kpi_name"]: kpi for kpi in self.digest._compute_kpis(company, user)}
            self.assertEqual(names & set(kpis), names)
            self.assertIn("account_manager_suite.", kpis["kpi_ams_revenue"]["kpi_action"])
        # a user outside Account Management gets the digest without them
        kpis = {kpi["kpi_name"] for kpi in self.digest._compute_kpis(company, self.internal)}
        self.assertFalse(names & kpis)
        # the e-mail renders with them
        self.assertTrue(self.digest._action_send_to_user(self.anna, tips_count=0))
        mail = self.env["mail.mail"].search(
            [("subject", "ilike", "Weekly")], order="id desc", limit=1
        )
        self.assertIn("Revenue Attributed", mail.body_html)
        self.assertIn("Overdue Check-ins", mail.body_html)
