"""Issue 14, the doors left open after the first pass: formulas typed into names and
written to workbooks, one's own quota, plan and review, taking or back-dating ownership,
deleting computed commission lines, and the narrowed team rule on existing databases."""

import io
from datetime import date

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError
from odoo.modules.migration import load_script
from odoo.tests import HttpCase
from odoo.tests import tagged
from odoo.tools import file_path

from . import test_security_rpc
from .common import MODULE
from .security_common import SecurityCommon

# texts that a spreadsheet would run: a link, a sum, a function call, a negation
FORMULAS = ('=HYPERLINK("http://x","y")', "=1+1", "@SUM(1,2)", "+1+1", "-1+2")
Q2 = (date(2026, 4, 1), date(2026, 6, 30))


@tagged("post_install", "-at_install")
class TestRemainingDoors(SecurityCommon, HttpCase):
    """What issue 14 left open: formulas in workbooks, one's own quota, plan and review,
    taking or back-dating ownership, and deleting computed commission lines."""

    rpc = test_security_rpc.TestOverHttp.rpc
    fresh = test_security_rpc.TestOverHttp.fresh

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hyperlink = cls.create_account(FORMULAS[0], cls.anna, since=date(2025, 1, 1))
        cls.sum = cls.create_account(FORMULAS[1], cls.anna, since=date(2025, 1, 1))
        cls.free = cls.create_account("Ohne Betreuer GmbH")
        cls.create_invoice(cls.hyperlink, date(2026, 5, 10), 3000.0)
        cls.create_invoice(cls.sum, date(2026, 5, 12), 2000.0)
        # a director who also sells: a quota and a plan of their own
        cls.director_plan = cls.create_plan("Director 4 %", 4.0, cls.director)
        Quota = cls.env["account.manager.quota"]
        quarter = {"period_type": "quarter", "date_from": Q2[0], "date_to": Q2[1]}
        cls.anna_q2, cls.director_q2, cls.anna_q3 = Quota.create(
            [
                {"user_id": cls.anna.id, "target": 30000.0, **quarter},
                {"user_id": cls.director.id, "target": 50000.0, **quarter},
                {
                    **quarter,
                    "user_id": cls.anna.id,
                    "target": 30000.0,
                    "date_from": date(2026, 7, 1),
                    "date_to": date(2026, 9, 30),
                },
            ]
        )
        Event = cls.env["account.manager.performance.event"].sudo()
        event = {"old_state": "on_track", "new_state": "probation", "reason": "two misses"}
        cls.anna_event = Event.create({"user_id": cls.anna.id, **event})
        cls.director_event = Event.create({"user_id": cls.director.id, **event})

    # ------------------------------------------------------------------ workbooks

    def _cells(self, content):
        book = openpyxl.load_workbook(io.BytesIO(content))
        return book, [cell for sheet in book for row in sheet.iter_rows() for cell in row]

    def assertText(self, cells, text, where):
        found = [cell for cell in cells if cell.value == text]
        self.assertTrue(found, f"{where}: {text!r} is written")
        for cell in found:
            self.assertEqual(cell.data_type, "s", f"{where}: {text!r} in {cell.coordinate} is text")

    def test_workbooks_write_typed_formulas_as_text(self):
        self.anna.name = FORMULAS[2]
        self.team.name = FORMULAS[3]
        self.budi.name = FORMULAS[4]
        self.budi_account.account_team_member_ids = [
            Command.create({"user_id": self.anna.id, "role": "backup"})
        ]
        wizard = self.env["account.manager.quarterly.report.wizard"].create(
            {"year": 2026, "quarter": "2"}
        )
        forecast = self.env["account.manager.forecast"].create({"year": 2026})
        accounts = self.hyperlink | self.sum | self.budi_account
        reports = [
            ("action_report_quarterly_results_xlsx", wizard, FORMULAS[:4]),
            ("action_report_annual_forecast_xlsx", forecast, FORMULAS[2:]),
            # the accounts, their managers and the team member (a sales team is not on it)
            ("action_report_account_status_xlsx", accounts, FORMULAS[:3] + FORMULAS[4:]),
        ]
        for xmlid, records, texts in reports:
            report = self.env.ref(f"{MODULE}.{xmlid}")
            content, _kind = report._render_xlsx(report.report_name, records.ids, {})
            book, cells = self._cells(content)
            for text in texts:
                with self.subTest(report=xmlid, text=text):
                    self.assertText(cells, text, xmlid)
        # a sheet per account, named after it without what Excel refuses in a sheet name
        self.assertCountEqual(
            book.sheetnames,
            ["Summary", '=HYPERLINK("http   x","y")', "=1+1", "Budi Kolonial KG"],
        )
        self.assertEqual(book['=HYPERLINK("http   x","y")']["A1"].value, FORMULAS[0])

    # ------------------------------------------------------------------ one's own pay

    def test_nobody_changes_their_own_quota_plan_or_review(self):
        quota = "account.manager.quota"
        plan = "account.manager.commission.plan"
        assignment = "account.manager.commission.assignment"
        event = "account.manager.performance.event"
        anna_assignment = self.plan.assignment_ids
        director_assignment = self.director_plan.assignment_ids
        refused = [
            ("anna", quota, "write", self.anna_q2.ids, {"target": 1.0}),
            ("anna", plan, "write", self.plan.ids, {"base_rate": 50.0}),
            ("anna", assignment, "write", anna_assignment.ids, {"date_to": "2025-01-31"}),
            ("anna", assignment, "unlink", anna_assignment.ids),
            ("anna", event, "write", self.anna_event.ids, {"new_state": "on_track"}),
            ("anna", event, "unlink", self.anna_event.ids),
            # a director is an account manager too: another director sets their figures
            ("director", quota, "write", self.director_q2.ids, {"target": 1.0}),
            ("director", quota, "unlink", self.director_q2.ids),
            (
                "director",
                quota,
                "create",
                {
                    "user_id": self.director.id,
                    "target": 1.0,
                    "period_type": "quarter",
                    "date_from": "2026-07-01",
                    "date_to": "2026-09-30",
                },
            ),
            # moving anna's quota over to themself
            ("director", quota, "write", self.anna_q3.ids, {"user_id": self.director.id}),
            ("director", plan, "write", self.director_plan.ids, {"base_rate": 50.0}),
            ("director", plan, "write", self.director_plan.ids, {"ote_amount": 1.0}),
            (
                "director",
                "account.manager.commission.tier",
                "create",
                {"plan_id": self.director_plan.id, "attainment_from": 0.0, "rate": 50.0},
            ),
            ("director", assignment, "write", director_assignment.ids, {"date_to": False}),
            ("director", assignment, "unlink", director_assignment.ids),
            # nor joining a better plan
            (
                "director",
                assignment,
                "create",
                {
                    "plan_id": self.plan.id,
                    "user_id": self.director.id,
                    "date_from": "2024-01-01",
                    "date_to": "2024-12-31",
                },
            ),
            ("director", event, "write", self.director_event.ids, {"new_state": "on_track"}),
            ("director", event, "unlink", self.director_event.ids),
        ]
        snapshot = (
            "SELECT (SELECT array_agg(target ORDER BY id) FROM account_manager_quota), "
            "(SELECT array_agg(user_id ORDER BY id) FROM account_manager_quota), "
            "(SELECT array_agg(base_rate || '/' || coalesce(ote_amount, 0) ORDER BY id) "
            " FROM account_manager_commission_plan), "
            "(SELECT array_agg(id::text || '/' || user_id || '/' || coalesce(date_to::text, '-') "
            " ORDER BY id) FROM account_manager_commission_assignment), "
            "(SELECT count(*) FROM account_manager_commission_tier), "
            "(SELECT array_agg(new_state ORDER BY id) FROM account_manager_performance_event)"
        )
        before = self.fresh(snapshot)
        for login, model, method, *args in refused:
            with self.subTest(user=login, model=model, method=method, args=args):
                _result, error = self.rpc(login, model, method, *args)
                self.assertEqual(error, "odoo.exceptions.AccessError")
        self.assertEqual(self.fresh(snapshot), before)
        # the director sets a colleague's target and plan; the system closes their own
        _result, error = self.rpc("director", quota, "write", self.anna_q2.ids, {"target": 32000.0})
        self.assertFalse(error)
        _result, error = self.rpc("director", plan, "write", self.plan.ids, {"base_rate": 6.0})
        self.assertFalse(error)
        self.assertEqual(
            self.fresh("SELECT target FROM account_manager_quota WHERE id = %s", self.anna_q2.id),
            [(32000.0,)],
        )
        self.assertEqual(
            self.fresh(
                "SELECT base_rate FROM account_manager_commission_plan WHERE id = %s", self.plan.id
            ),
            [(6.0,)],
        )

    # ------------------------------------------------------------------ ownership

    def test_nobody_takes_or_back_dates_an_account(self):
        periods = "SELECT partner_id, user_id, date_from, date_to FROM account_manager_ownership "
        periods += "WHERE partner_id IN %s ORDER BY partner_id, date_from"
        accounts = tuple((self.free | self.budi_account | self.hyperlink).ids)
        before = self.fresh(periods, accounts)
        back = {"context": {"account_manager_effective_date": "2020-01-01"}}
        anna = {"account_manager_id": self.anna.id}
        for ids, kwargs in (
            (self.free.ids, {}),  # no owner yet: the hand-over rules assign it
            (self.free.ids, back),
            (self.budi_account.ids, {}),  # a colleague's
        ):
            with self.subTest(ids=ids, **kwargs):
                _result, error = self.rpc("anna", "res.partner", "write", ids, anna, **kwargs)
                self.assertEqual(error, "odoo.exceptions.AccessError")
        # nor a customer born hers, back-dated
        _result, error = self.rpc(
            "anna",
            "res.partner",
            "create",
            {"name": "Neu Kunde AG", "is_company": True, **anna},
            **back,
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        # her own account, "re-assigned" to herself from 2020: nothing changes
        _result, error = self.rpc("anna", "res.partner", "write", self.hyperlink.ids, anna, **back)
        self.assertFalse(error)
        self.assertEqual(self.fresh(periods, accounts), before)
        self.assertEqual(
            self.fresh(
                "SELECT id, account_manager_id FROM res_partner WHERE id IN %s ORDER BY id",
                tuple((self.free | self.budi_account).ids),
            ),
            sorted([(self.free.id, None), (self.budi_account.id, self.budi.id)]),
        )
        self.assertFalse(self.fresh("SELECT id FROM res_partner WHERE name = 'Neu Kunde AG'"))
        # a director assigns, back-dated
        _result, error = self.rpc("director", "res.partner", "write", self.free.ids, anna, **back)
        self.assertFalse(error)
        self.assertEqual(
            self.fresh(periods, (self.free.id,)),
            [(self.free.id, self.anna.id, date(2020, 1, 1), None)],
        )

    # ------------------------------------------------------------------ computed lines

    def test_computed_lines_go_only_with_their_recomputation(self):
        Line = self.env["account.manager.commission.line"].with_user(self.director)
        first = Line._compute_period(self.anna, *Q2)
        self.assertEqual(sorted(first.mapped("amount")), [100.0, 150.0])
        # the period computed again (a director's proposal does this) replaces its lines
        again = Line._compute_period(self.anna, *Q2)
        self.assertFalse(first.exists())
        self.assertEqual(sorted(again.mapped("amount")), [100.0, 150.0])
        lines = "SELECT count(*) FROM account_manager_commission_line WHERE id IN %s"
        for login in ("director", "comm_accountant", "anna"):
            for target in (again[:1], self.anna_line):  # draft, alone or in a settlement
                with self.subTest(user=login, line=target.id):
                    _result, error = self.rpc(
                        login, "account.manager.commission.line", "unlink", target.ids
                    )
                    self.assertEqual(error, "odoo.exceptions.AccessError")
        kept = again | self.anna_line
        self.assertEqual(self.fresh(lines, tuple(kept.ids)), [(len(kept),)])
        with self.assertRaises(AccessError):
            again.with_user(self.accountant).unlink()

    # ------------------------------------------------------------------ migration

    def test_migration_narrows_the_team_rule_of_existing_databases(self):
        rule = self.env.ref(f"{MODULE}.account_manager_team_member_rule_manager")
        installed = (rule.name, rule.domain_force)
        rule.write(
            {
                "name": "Account team: managers edit own and team accounts",
                "domain_force": "['|', ('partner_id.account_manager_id', '=', user.id), "
                "('partner_id.account_team_member_ids.user_id', '=', user.id)]",
            }
        )
        script = load_script(
            file_path(f"{MODULE}/migrations/18.0.1.0.1/post-migrate.py"), "ams_post_migrate"
        )
        script.migrate(self.env.cr, "18.0.1.0.0")
        rule.invalidate_recordset()
        # the same rule as a new installation gets from the XML
        self.assertEqual((rule.name, rule.domain_force), installed)
        self.assertEqual(installed[1], "[('partner_id.account_manager_id', '=', user.id)]")
