"""Issue 14: nobody types an amount of their own pay.

- ``TestAdjustments``: a manual correction is a line of its own kind, with a reason, an
  author and a director's approval, paid on the statement.
"""

from datetime import date

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MODULE
from .security_common import INJECTED
from .security_common import PAYLOAD
from .security_common import SecurityCommon


@tagged("post_install", "-at_install")
class TestAdjustments(SecurityCommon):
    """A manual correction is a line of its own kind, with a reason, an author and a
    director's approval; never an edited amount."""

    def test_an_adjustment_is_approved_by_a_director_and_paid_on_the_statement(self):
        Adjustment = self.env["account.manager.commission.adjustment"]
        vals = {"user_id": self.anna.id, "date": date(2026, 5, 10), "amount": 150.0}
        with self.assertRaises(AccessError):
            Adjustment.with_user(self.anna).create({**vals, "reason": "mine"})
        adjustment = Adjustment.with_user(self.accountant).create({**vals, "reason": PAYLOAD})
        self.assertEqual(adjustment.author_id, self.accountant)
        for user in (self.accountant, self.anna):
            with self.subTest(approver=user.login), self.assertRaises(AccessError):
                adjustment.with_user(user).action_approve()
        with self.assertRaises(AccessError):
            adjustment.with_user(self.accountant).write({"state": "approved"})
        with self.assertRaises(AccessError):
            adjustment.with_user(self.accountant).write({"author_id": self.director.id})
        # a director's own adjustment waits for another director
        own = Adjustment.with_user(self.director).create({**vals, "reason": "Bonus"})
        with self.assertRaises(AccessError):
            own.with_user(self.director).action_approve()
        adjustment.with_user(self.director).action_approve()
        line = adjustment.line_id
        self.assertEqual(
            (line.rule_type, line.amount, line.date_from, line.date_to, line.user_id),
            ("adjustment", 150.0, date(2026, 4, 1), date(2026, 6, 30), self.anna),
        )
        self.assertEqual((adjustment.state, adjustment.approved_by_id), ("approved", self.director))
        body = adjustment.message_ids[:1].body
        self.assertIn("&lt;script&gt;", body)
        self.assertFalse(INJECTED.search(body))
        with self.assertRaises(AccessError):
            line.with_user(self.director).write({"amount": 1500.0})
        with self.assertRaises(AccessError):
            line.with_user(self.accountant).unlink()
        with self.assertRaises(UserError):
            adjustment.with_user(self.director).write({"amount": 1500.0})
        # it survives the period's computation, and is paid with it
        quota = self.env["account.manager.quota"].create(
            {
                "user_id": self.anna.id,
                "target": 1000.0,
                "period_type": "quarter",
                "date_from": date(2026, 4, 1),
                "date_to": date(2026, 6, 30),
            }
        )
        quota.with_user(self.director).action_close()
        settlement = (
            self.env["account.manager.commission.settlement"]
            .with_user(self.director)
            ._propose(date(2026, 4, 1), date(2026, 6, 30))
        )
        self.assertEqual(settlement.line_ids, line)
        self.assertEqual(settlement.amount_total, 150.0)
        report = self.env.ref(f"{MODULE}.action_report_commission_statement")
        html = report._render_qweb_html(report.report_name, settlement.ids)[0].decode()
        self.assertIn("o_ams_adjustments", html)
        self.assertIn("Hansa AG&lt;script&gt;", html)
        self.assertIn("Carl Count", html)
        self.assertFalse(INJECTED.search(html))
