"""Bad input across the module: each case is refused with a message that names the field
(or the thing to fix), and the database is the same afterwards.

``CASES`` is the table: a label, the call, the expected exception and a pattern of its
message. Every call runs in a savepoint, rolled back when it is refused, as one web
request's transaction is. That rollback undoes whatever the call wrote in it, so "nothing
was written" is checked where it can fail: a fingerprint of every table the module writes
(and of the partners, companies, messages and journal entries it touches) as another
database connection sees them, before and after (``common.committed_fingerprint``). A write
that escaped the rollback (through a cursor of its own) changes it, as
``test_the_fingerprint_sees_a_write_that_escaped`` proves; a commit inside the test's
transaction is refused by Odoo's test case itself.
"""

from datetime import date
from datetime import timedelta

from odoo import SUPERUSER_ID
from odoo import Command
from odoo import api
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AccountManagerCommon
from .common import committed_fingerprint

Q2 = {"period_type": "quarter", "date_from": date(2026, 4, 1), "date_to": date(2026, 6, 30)}


@tagged("post_install", "-at_install")
class TestRefusals(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Quota = cls.env["account.manager.quota"]
        cls.account = cls.create_account("Refusal AG", cls.anna, since=date(2026, 1, 1))
        cls.contact = cls.env["res.partner"].create(
            {"name": "Rita Refusal", "parent_id": cls.account.id}
        )
        cls.quota = Quota.create({"user_id": cls.anna.id, "target": 1000, **Q2})
        cls.closed = Quota.create(
            {
                "user_id": cls.budi.id,
                "target": 500,
                "period_type": "quarter",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
            }
        )
        cls.closed.action_close()
        cls.plan = cls.env["account.manager.commission.plan"].create(
            {"name": "Flat", "base_rate": 5.0, "period_type": "quarter"}
        )
        cls.assignment = cls.env["account.manager.commission.assignment"].create(
            {"plan_id": cls.plan.id, "user_id": cls.anna.id, "date_from": date(2026, 1, 1)}
        )
        cls.quota_plan = cls.env["account.manager.quota.plan"].create(
            {"name": "Plan 2026", "year": 2026, "period_type": "quarter"}
        )
        cls.archived = cls.clara.copy({"login": "gone", "active": False})
        cls.archived.active = False

    def fingerprint(self):
        return committed_fingerprint(self.env.cr.dbname)

    def cases(self):
        anna, budi = self.anna, self.budi
        Quota = self.env["account.manager.quota"]
        Plan = self.env["account.manager.commission.plan"]
        Assignment = self.env["account.manager.commission.assignment"]
        company = self.env.company
        return [
            # quotas
            ("negative quota target", lambda: Quota.create(
                {"user_id": budi.id, "target": -5, **Q2}), ValidationError, "Target .* positive"),
            ("zero quota target", lambda: Quota.create(
                {"user_id": budi.id, "target": 0, **Q2}), ValidationError, "Target .* positive"),
            ("quota ending before it starts", lambda: Quota.create(
                {"user_id": budi.id, "target": 9, "period_type": "quarter",
                 "date_from": date(2026, 6, 30), "date_to": date(2026, 4, 1)}),
             ValidationError, r"ends \(To"),
            ("quota not a whole quarter", lambda: Quota.create(
                {"user_id": budi.id, "target": 9, "period_type": "quarter",
                 "date_from": date(2026, 4, 15), "date_to": date(2026, 7, 14)}),
             ValidationError, "whole calendar"),
            ("overlapping quota", lambda: Quota.create({"user_id": anna.id, "target": 9, **Q2}),
             ValidationError, "already has a .* quota overlapping"),
            ("closing a closed quota twice", lambda: self.closed.action_close(),
             UserError, "already closed"),
            ("re-opening an open quota", lambda: self.quota.action_reopen(),
             UserError, "is not closed"),
            ("changing the target of a closed quota", lambda: self.closed.write({"target": 1}),
             UserError, "is closed: its figures are frozen"),
            ("deleting a closed quota", lambda: self.closed.unlink(),
             UserError, "re-open first"),
            ("quota for an archived user", lambda: Quota.create(
                {"user_id": self.archived.id, "target": 9, **Q2}), ValidationError, "archived"),
            ("quota for a portal user", lambda: Quota.create(
                {"user_id": self.portal.id, "target": 9, **Q2}), ValidationError, "portal"),
            # quota plans
            ("quota plan year 20", lambda: self.quota_plan.write({"year": 20}),
             ValidationError, "not a valid year"),
            ("quota plan weights not numbers", lambda: self.quota_plan.write(
                {"weighting": "weights", "weights": "a,b,c,d"}), ValidationError,
             "must be numbers separated by commas"),
            ("quota plan with two weights for four quarters", lambda: self.quota_plan.write(
                {"weighting": "weights", "weights": "50,50"}), ValidationError, "needs 4 weights"),
            ("negative annual target", lambda: self.quota_plan.write(
                {"line_ids": [Command.create({"user_id": budi.id, "annual_target": -1})]}),
             ValidationError, "Annual Target .* positive"),
            ("generating quotas without targets", lambda: self.quota_plan.action_generate_quotas(),
             UserError, "at least one account manager"),
            # commission plans
            ("base rate above 100 %", lambda: Plan.create({"name": "X", "base_rate": 150}),
             ValidationError, "percentage between 0 and 100"),
            ("negative base rate", lambda: Plan.create({"name": "X", "base_rate": -1}),
             ValidationError, "percentage between 0 and 100"),
            ("negative cap", lambda: Plan.create({"name": "X", "cap_amount": -10}),
             ValidationError, "Cap per Period cannot be negative"),
            ("tiered plan without tiers", lambda: Plan.create(
                {"name": "X", "tier_mode": "marginal"}), ValidationError, "add at least one tier"),
            ("first tier not at 0 %", lambda: Plan.create(
                {"name": "X", "tier_mode": "marginal", "tier_ids": [
                    Command.create({"attainment_from": 10, "attainment_to": 0, "rate": 2})]}),
             ValidationError, "must start at 0"),
            ("tiers with a gap", lambda: Plan.create(
                {"name": "X", "tier_mode": "retroactive", "tier_ids": [
                    Command.create({"attainment_from": 0, "attainment_to": 50, "rate": 2}),
                    Command.create({"attainment_from": 60, "attainment_to": 0, "rate": 5})]}),
             ValidationError, "gap or overlap"),
            ("override for both a category and a tier", lambda: self.plan.write(
                {"override_ids": [Command.create({"categ_id": self.env.ref(
                    "product.product_category_all").id, "tier_id": self.tier_key.id,
                    "rate": 3})]}), ValidationError, "exactly one"),
            ("negative quota bonus", lambda: self.plan.write(
                {"bonus_ids": [Command.create({"threshold": 100, "amount": -50})]}),
             ValidationError, "positive Amount"),
            ("plan assignment ending before it starts", lambda: Assignment.create(
                {"plan_id": self.plan.id, "user_id": budi.id, "date_from": date(2026, 5, 1),
                 "date_to": date(2026, 4, 1)}), ValidationError, r"ends \(To\) before"),
            ("overlapping plan assignment", lambda: Assignment.create(
                {"plan_id": self.plan.id, "user_id": anna.id, "date_from": date(2026, 3, 1)}),
             ValidationError, "already has a commission plan"),
            ("commissions of a manager without plan", lambda: self.env[
                "account.manager.commission.line"]._compute_period(
                    budi, date(2026, 4, 1), date(2026, 6, 30)),
             UserError, "no commission plan"),
            ("settling without accounting configuration", lambda: self.env[
                "account.manager.commission.settlement"]._propose(
                    date(2026, 1, 1), date(2026, 3, 31)),
             UserError, "Configure .* before accruing"),
            # accounts and ownership
            ("tier with a zero check-in cadence", lambda: self.tier_key.write(
                {"checkin_cadence_days": 0}), ValidationError, "Check-in Cadence .* at least 1"),
            ("archived user as account manager", lambda: self.account.write(
                {"account_manager_id": self.archived.id}), ValidationError, "archived"),
            ("re-assignment dated before the current owner", lambda: self.account.with_context(
                account_manager_effective_date=date(2025, 6, 1))._set_account_manager(
                    budi, date(2025, 6, 1)), ValidationError, "cannot be earlier"),
            ("re-assignment wizard without accounts", lambda: self.env[
                "account.manager.reassign.wizard"].create(
                    {"to_user_id": budi.id}).action_apply(), UserError, "at least one account"),
            ("ownership period ending before it starts", lambda: self.account.ownership_ids[
                :1].sudo().write({"date_to": date(2025, 1, 1)}), ValidationError,
             r"end date \(To"),
            ("account plan reviewed before it starts", lambda: self.env[
                "account.manager.account.plan"].create(
                {"name": "P", "partner_id": self.account.id, "date_start": date(2026, 5, 1),
                 "review_date": date(2026, 4, 1)}), ValidationError, "Review Date"),
            ("account plan on a contact person", lambda: self.env[
                "account.manager.account.plan"].create(
                {"name": "P", "partner_id": self.contact.id}), ValidationError,
             "belongs to the account"),
            ("account team member on a contact", lambda: self.env[
                "account.manager.team.member"].create(
                {"partner_id": self.contact.id, "user_id": budi.id}), ValidationError,
             "Account teams belong to the account"),
            ("fixed assignment rule without manager", lambda: self.env[
                "account.manager.assignment.rule"].create({"name": "R", "method": "fixed"}),
             ValidationError, "fill in Account Manager"),
            # company settings
            ("zero misses before probation", lambda: company.write(
                {"ams_probation_periods": 0}), ValidationError, "at least 1"),
            ("attainment threshold of 0 %", lambda: company.write(
                {"ams_probation_threshold": 0}), ValidationError, "Attainment Threshold"),
            ("pipeline probability of 150 %", lambda: company.write(
                {"ams_probability_draft": 150}), ValidationError, "between 0 and 100"),
            ("negative kick-off delay", lambda: company.write(
                {"ams_kickoff_delay_days": -2}), ValidationError, "Kick-off Activity Delay"),
            ("all health weights zero", lambda: company.write(
                {f"ams_health_weight_{w}": 0 for w in (
                    "overdue", "dso", "credit_notes", "trend", "checkin", "risk", "satisfaction")}),
             ValidationError, "at least one\\s+must be positive"),
            # customer assessments
            ("assessment dated tomorrow", lambda: self.env["account.manager.assessment"].create(
                {"partner_id": self.account.id, "date": date.today() + timedelta(days=1),
                 "satisfaction": "4", "relationship": "good"}),
             ValidationError, "Date of the assessment .* is in the future"),
            ("assessment of a contact person", lambda: self.env["account.manager.assessment"]
                .create({"partner_id": self.contact.id, "satisfaction": "4",
                         "relationship": "good"}),
             ValidationError, "not to its contact"),
            # report wizards
            ("quarterly report for year 20", lambda: self.env[
                "account.manager.quarterly.report.wizard"].create({"year": 20, "quarter": "1"}),
             ValidationError, "not a valid report year"),
            ("forecast for year 99999", lambda: self.env["account.manager.forecast"].create(
                {"year": 99999}), ValidationError, "not a valid year"),
            # permissions
            ("a manager sets their own quota", lambda: Quota.with_user(anna).create(
                {"user_id": anna.id, "target": 1, "period_type": "quarter",
                 "date_from": date(2026, 7, 1), "date_to": date(2026, 9, 30)}),
             AccessError, "not allowed to create"),
            ("a manager re-assigns an account", lambda: self.account.with_user(anna).write(
                {"account_manager_id": budi.id}), AccessError, "Only a Sales Director"),
            # RPC calls with wrong types
            ("text for a monetary target", lambda: Quota.create(
                {"user_id": budi.id, "target": "a lot", **Q2}), ValidationError,
             r"Target expects a number, not 'a lot'"),
            ("garbage for a date", lambda: self.quota.write({"date_from": "next spring"}),
             ValidationError, r"From expects a date written YYYY-MM-DD, not 'next spring'"),
            ("a name for a record id", lambda: self.assignment.write({"user_id": "Budi"}),
             ValidationError, r"Account Manager expects the id of a record"),
            ("an unknown period type", lambda: Quota.create(
                {"user_id": budi.id, "target": 1, **Q2, "period_type": "fortnight"}),
             ValidationError, r"Period Type expects one of month, quarter, year"),
            ("text for a number of months", lambda: self.plan.write(
                {"new_business_months": "twelve"}), ValidationError,
             r"New Business Months expects a whole number, not 'twelve'"),
            ("a list for a name", lambda: self.plan.write({"name": ["Flat"]}),
             ValidationError, r"Name expects text"),
        ]  # fmt: skip

    def test_bad_input_is_refused_and_nothing_is_written(self):
        cases = self.cases()
        self.assertEqual(len(cases), 54)
        for label, call, exception, pattern in cases:
            with self.subTest(label):
                before = self.fingerprint()
                with self.assertRaises(exception) as caught:
                    with self.env.cr.savepoint():
                        call()
                self.env.invalidate_all()
                self.assertRegex(str(caught.exception), pattern)
                self.assertEqual(self.fingerprint(), before)

    def test_the_fingerprint_sees_a_write_that_escaped(self):
        """The check above can fail: a refused call that wrote through a cursor of its own
        (committed, as a logging helper might) before refusing changes the fingerprint,
        although the refused transaction was rolled back; and a call that commits the
        request's own cursor is refused by the test case, not passed."""

        def escapes(name):
            with self.env.registry.cursor() as other:
                other.execute("SET LOCAL lock_timeout = '10s'")
                api.Environment(other, SUPERUSER_ID, {})["account.manager.tier"].create(
                    {"name": name, "code": name}
                )
            raise ValidationError("refused after writing elsewhere")  # pylint: disable=translation-required

        before = self.fingerprint()
        try:
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                escapes("ESCAPED")
            after = self.fingerprint()
        finally:
            with self.env.registry.cursor() as other:
                other.execute("DELETE FROM account_manager_tier WHERE code = 'ESCAPED'")
        self.assertNotEqual(after, before)
        self.assertEqual(after["account_manager_tier"][0], before["account_manager_tier"][0] + 1)
        self.assertEqual(self.fingerprint(), before, "cleaned up")
        with self.assertRaisesRegex(AssertionError, "Cannot commit"):
            with self.assertRefused(ValidationError, "never reached"):
                self.env["account.manager.tier"].create({"name": "Committed", "code": "C"})
                self.env.cr.commit()  # pylint: disable=invalid-commit
