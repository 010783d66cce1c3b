"""The access matrix: every model the module adds, for every kind of user and operation,
then the record rules (own versus others' records, other companies).

The expected rights live in ``MATRIX`` below, one line per model. Letters: r = read,
w = write, c = create, u = unlink (delete); "-" = nothing. Columns: Account Manager,
Sales Director, Commission Accountant, plain internal user, portal user. A sales director
is an account manager too; record rules then narrow what each may see (tested below).
"""

from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import GROUP_MANAGER
from .common import AccountManagerCommon

USERS = ("manager", "director", "accountant", "internal", "portal")
# model                                       manager director accountant internal portal
MATRIX = """
account.manager.tier                          r       rwcu     r          r        -
account.manager.ownership                     r       rc       r          -        -
account.manager.assignment.rule               r       rwcu     -          -        -
account.manager.team.member                   rwcu    rwcu     r          r        -
account.manager.account.plan                  rwcu    rwcu     -          -        -
account.manager.account.plan.contact          rwcu    rwcu     -          -        -
account.manager.account.plan.action           rwcu    rwcu     -          -        -
account.manager.assessment                    rwcu    rwcu     -          -        -
account.manager.reassign.wizard               -       rwcu     -          -        -
account.manager.quota                         r       rwcu     r          -        -
account.manager.quota.plan                    -       rwcu     -          -        -
account.manager.quota.plan.line               -       rwcu     -          -        -
account.manager.performance.event             r       r        -          -        -
account.manager.forecast                      rwcu    rwcu     -          -        -
account.manager.forecast.line                 rwcu    rwcu     -          -        -
account.manager.commission.plan               r       rwcu     r          -        -
account.manager.commission.tier               r       rwcu     r          -        -
account.manager.commission.override           r       rwcu     r          -        -
account.manager.commission.bonus              r       rwcu     r          -        -
account.manager.commission.assignment         r       rwcu     r          -        -
account.manager.commission.adjustment         r       rwcu     rwcu       -        -
account.manager.commission.line               r       rwcu     rwcu       -        -
account.manager.commission.settlement         r       rwc      rwc        -        -
account.manager.settle.wizard                 -       rwcu     rwcu       -        -
account.manager.settle.wizard.line            -       rwcu     rwcu       -        -
account.manager.quarterly.report.wizard       rwcu    rwcu     rwcu       -        -
account.manager.revenue.report                r       r        r          -        -
account.manager.revenue.day                   -       -        -          -        -
account.manager.product.cost                  r       r        r          r        -
account.manager.dispute.wizard                rwcu    rwcu     -          -        -
"""
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}


def expected_matrix():
    matrix = {}
    for line in MATRIX.strip().splitlines():
        model, *rights = line.split()
        matrix[model] = dict(zip(USERS, rights, strict=True))
    return matrix


@tagged("post_install", "-at_install")
class TestAccessMatrix(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "manager": cls.anna,
            "director": cls.director,
            "accountant": cls.accountant,
            "internal": cls.internal,
            "portal": cls.portal,
        }

    def test_matrix_covers_every_model_of_the_module(self):
        models = self.env["ir.model.data"].search(
            [("module", "=", "account_manager_suite"), ("model", "=", "ir.model")]
        )
        ours = {
            model.model
            for model in self.env["ir.model"].browse(models.mapped("res_id"))
            if self.env[model.model]._original_module == "account_manager_suite"
            and not self.env[model.model]._abstract
        }
        self.assertEqual(ours, set(expected_matrix()))

    def test_model_access_per_group(self):
        for model, rights in expected_matrix().items():
            for who, letters in rights.items():
                for letter, operation in OPERATIONS.items():
                    with self.subTest(model=model, user=who, operation=operation):
                        allowed = self.env[model].with_user(self.users[who]).has_access(operation)
                        self.assertEqual(allowed, letter in letters)


@tagged("post_install", "-at_install")
class TestRecordRules(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        q2 = {"period_type": "quarter", "date_from": date(2026, 4, 1), "date_to": date(2026, 6, 30)}
        cls.anna_account = cls.create_account("Anna's AG", cls.anna)
        cls.budi_account = cls.create_account("Budi's GmbH", cls.budi)
        Quota = cls.env["account.manager.quota"]
        cls.anna_quota = Quota.create({"user_id": cls.anna.id, "target": 1000, **q2})
        cls.budi_quota = Quota.create({"user_id": cls.budi.id, "target": 2000, **q2})
        cls.plan = cls.env["account.manager.commission.plan"].create(
            {"name": "Flat", "base_rate": 5.0}
        )
        # lines and settlements are the system's: written in superuser mode (workflow_guard)
        Line = cls.env["account.manager.commission.line"].sudo()
        common = {
            "plan_id": cls.plan.id,
            "date_from": date(2026, 4, 1),
            "date_to": date(2026, 6, 30),
            "rule_type": "base",
            "company_id": cls.env.company.id,
        }
        cls.anna_line = Line.create({**common, "user_id": cls.anna.id, "amount": 50.0})
        cls.budi_line = Line.create({**common, "user_id": cls.budi.id, "amount": 70.0})
        Settlement = cls.env["account.manager.commission.settlement"].sudo()
        period = {"date_from": date(2026, 4, 1), "date_to": date(2026, 6, 30)}
        cls.anna_settlement = Settlement.create(
            {"user_id": cls.anna.id, "company_id": cls.env.company.id, **period}
        )
        cls.budi_settlement = Settlement.create(
            {"user_id": cls.budi.id, "company_id": cls.env.company.id, **period}
        )
        Event = cls.env["account.manager.performance.event"].sudo()  # written by the system
        event = {"old_state": "on_track", "new_state": "probation", "reason": "two misses"}
        cls.anna_event = Event.create({"user_id": cls.anna.id, **event})
        cls.budi_event = Event.create({"user_id": cls.budi.id, **event})
        # a second company with its own manager, quota and commission line
        cls.other = cls.setup_other_company()["company"]
        cls.eve = new_test_user(
            cls.env,
            "eve",
            groups=GROUP_MANAGER,
            name="Eve Other",
            company_id=cls.other.id,
            company_ids=[cls.other.id],
        )
        cls.eve_quota = Quota.with_company(cls.other).create(
            {"user_id": cls.eve.id, "target": 3000, "company_id": cls.other.id, **q2}
        )
        other_plan = cls.plan.copy({"company_id": cls.other.id})
        cls.eve_line = Line.create(
            {**common, "user_id": cls.eve.id, "plan_id": other_plan.id, "company_id": cls.other.id}
        )

    def _visible(self, user, records):
        """Which of ``records`` ``user`` finds with a search (record rules applied)."""
        return self.env[records._name].with_user(user).search([("id", "in", records.ids)])

    def test_own_versus_others_records(self):
        cases = [
            (self.anna_quota, self.budi_quota),
            (self.anna_line, self.budi_line),
            (self.anna_settlement, self.budi_settlement),
            (self.anna_event, self.budi_event),
            (self.anna_account.ownership_ids, self.budi_account.ownership_ids),
        ]
        for own, others in cases:
            with self.subTest(model=own._name):
                self.assertEqual(self._visible(self.anna, own | others), own)
                self.assertEqual(self._visible(self.director, own | others), own | others)
                with self.assertRaises(AccessError):
                    others.with_user(self.anna).read(["user_id"])

    def test_accountant_sees_all_commissions_but_no_performance(self):
        lines = self.anna_line | self.budi_line
        self.assertEqual(self._visible(self.accountant, lines), lines)
        settlements = self.anna_settlement | self.budi_settlement
        self.assertEqual(self._visible(self.accountant, settlements), settlements)
        with self.assertRaises(AccessError):
            self._visible(self.accountant, self.anna_event)

    def test_manager_cannot_change_their_own_figures(self):
        # refused by the access rights, or first by the guard of one's own pay and review
        with self.assertRefused(
            AccessError, "top-secret records|not allowed to|nobody changes their own"
        ):
            self.anna_quota.with_user(self.anna).write({"target": 1.0})
        with self.assertRefused(
            AccessError, "top-secret records|not allowed to|only through the buttons"
        ):
            # refused by the access rights, or first by the workflow guard (amounts are computed)
            self.anna_line.with_user(self.anna).write({"amount": 1000.0})
        self.assertEqual((self.anna_quota.target, self.anna_line.amount), (1000.0, 50.0))

    def test_other_company_records_stay_hidden(self):
        for record in (self.eve_quota, self.eve_line):
            with self.subTest(model=record._name):
                self.assertFalse(self._visible(self.director, record))
                self.assertFalse(self._visible(self.accountant, record))
                self.assertEqual(self._visible(self.eve, record), record)
                with self.assertRaises(AccessError):
                    record.with_user(self.director).read(["user_id"])
