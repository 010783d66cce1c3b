"""Issue 14: what a customer or a colleague types is shown as text everywhere; nobody
widens their own rights, approves their own pay or types an amount.

- ``TestEscaping``: texts with ``<script>``, ``<img onerror>`` and ``"><svg onload>`` in
  every place a user types them, rendered on every screen and report that shows them.
- ``TestOverHttp``: the portal user renames themself; JSON-RPC per group (team, workflow
  fields, amounts, approve/bill, personnel fields listed from ``fields_get``), with the
  database checked from a new cursor afterwards; a browser tour over the DOM.
- ``TestRecordRules``: every ``ir.rule`` of the module, listed from its xml ids, is
  mutated (widened to everything, or an all-rule narrowed to nothing) and must change
  what some user sees.
"""

import io
import json
import re
from datetime import date

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.modules.migration import load_script
from odoo.tests import HttpCase
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools import file_path

from .common import GROUP_MANAGER
from .common import MODULE
from .common import AccountManagerCommon

PAYLOAD = (
    "Hansa AG<script>alert('ams-xss')</script>"
    "<img src=x onerror=\"document.title='XSS'\">\"><svg onload=alert('ams-xss')>"
)
# the injected elements, unescaped (escaped they read &lt;script&gt; …)
INJECTED = re.compile(r"<script[^>]*>[^<]*ams-xss|<img\b[^>]*\bonerror|<svg\b[^>]*\bonload", re.I)
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


def quarter_of(day):
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    end_month = start.month + 2
    end = date(day.year + (end_month == 12), end_month % 12 + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


class SecurityCommon(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        accrued = cls.env["account.account"].create(
            {"name": "Accrued commissions", "code": "2190SEC", "account_type": "liability_current"}
        )
        company.write(
            {
                "ams_commission_expense_account_id": cls.company_data["default_account_expense"].id,
                "ams_commission_accrual_account_id": accrued.id,
                "ams_commission_journal_id": cls.company_data["default_journal_misc"].id,
            }
        )
        # a sales team named by a colleague, shown on the quarterly results and forecast
        cls.team = cls.env["crm.team"].create(
            {"name": PAYLOAD, "member_ids": [Command.link(cls.anna.id)]}
        )
        cls.evil = cls.create_account(PAYLOAD, cls.anna, since=date(2025, 1, 1))
        cls.budi_account = cls.create_account("Budi Kolonial KG", cls.budi)
        cls.contact = cls.env["res.partner"].create({"name": PAYLOAD, "parent_id": cls.evil.id})
        cls.plan = cls.create_plan("Security 5 %", 5.0, cls.anna)
        cls.plan.write({"ote_amount": 90000.0, "base_salary": 60000.0})
        # budi earns under a plan of his own: its OTE is his pay
        cls.budi_plan = cls.create_plan("Budi 6 %", 6.0, cls.budi)
        cls.budi_plan.write({"ote_amount": 120000.0, "base_salary": 80000.0})
        # a quarter settled: revenue of the evil customer (anna) and of budi's account
        cls.create_invoice(cls.evil, date(2026, 1, 10), 10000.0)
        cls.create_invoice(cls.budi_account, date(2026, 2, 10), 4000.0)
        Quota = cls.env["account.manager.quota"]
        quarter = {"period_type": "quarter", "date_from": Q1[0], "date_to": Q1[1]}
        cls.q1_quotas = Quota.create(
            [
                {"user_id": cls.anna.id, "target": 20000.0, **quarter},
                {"user_id": cls.budi.id, "target": 20000.0, **quarter},
            ]
        )
        cls.q1_quotas.with_user(cls.director).action_close()
        Settlement = cls.env["account.manager.commission.settlement"]
        settlements = Settlement.with_user(cls.director)._propose(*Q1)
        cls.anna_settlement = settlements.filtered(lambda s: s.user_id == cls.anna).sudo()
        cls.budi_settlement = settlements.filtered(lambda s: s.user_id == cls.budi).sudo()
        cls.anna_line = cls.anna_settlement.line_ids
        cls.budi_line = cls.budi_settlement.line_ids


@tagged("post_install", "-at_install")
class TestEscaping(SecurityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Assessment = cls.env["account.manager.assessment"].with_user(cls.anna)
        cls.assessment = Assessment.create(
            {
                "partner_id": cls.evil.id,
                "date": date(2026, 2, 1),
                "satisfaction": "2",
                "relationship": "strained",
                "note": PAYLOAD,
            }
        )
        cls.account_plan = (
            cls.env["account.plan"]
            .with_user(cls.anna)
            .create(
                {
                    "name": PAYLOAD,
                    "partner_id": cls.evil.id,
                    "customer_goals": PAYLOAD,
                    "value_proposition": PAYLOAD,
                    "objectives": PAYLOAD,
                    "contact_ids": [
                        Command.create({"partner_id": cls.contact.id, "role": PAYLOAD})
                    ],
                    "action_ids": [
                        Command.create(
                            {
                                "name": PAYLOAD,
                                "user_id": cls.anna.id,
                                "date_deadline": "2026-09-01",
                            }
                        )
                    ],
                }
            )
        )
        cls.evil.with_user(cls.anna).write(
            {
                "at_risk": True,
                "at_risk_reason": "competitor",
                "at_risk_note": PAYLOAD,
                "remediation_plan": PAYLOAD,
                "account_team_member_ids": [
                    Command.create({"user_id": cls.clara.id, "role": "backup", "note": PAYLOAD})
                ],
            }
        )
        # approved, then the manager disputes a line with a reason that is markup
        cls.anna_settlement.with_user(cls.director).action_approve()
        wizard = (
            cls.env["account.manager.dispute.wizard"]
            .with_user(cls.anna)
            .create({"line_ids": [Command.set(cls.anna_line.ids)], "note": PAYLOAD})
        )
        wizard.action_confirm()
        # the running quarter, for My Quarter
        today = date.today()
        start, end = quarter_of(today)
        cls.create_invoice(cls.evil, today.replace(day=1), 108000.0)
        cls.quota = cls.env["account.manager.quota"].create(
            {
                "user_id": cls.anna.id,
                "target": 100000.0,
                "period_type": "quarter",
                "date_from": start,
                "date_to": end,
            }
        )

    def assertClean(self, html, where):
        html = str(html or "")
        found = INJECTED.search(html)
        self.assertFalse(
            found, f"{where}: injected markup rendered unescaped: {found and found[0]}"
        )

    def _html_values(self, user, view_xmlid, records):
        """The values of every Html field of ``view_xmlid`` as the web client reads them."""
        view = self.env.ref(view_xmlid)
        records = records.with_user(user)
        described = records.get_views([(view.id, view.type)])["models"][records._name]["fields"]
        spec = {name: {} for name, info in described.items() if info["type"] == "html"}
        return [
            (name, value)
            for row in records.web_read({**spec, "display_name": {}})
            for name, value in row.items()
            if name in spec
        ]

    def test_no_html_field_of_the_module_skips_the_sanitizer(self):
        for model in self.env.registry.values():
            for field in model._fields.values():
                if field.type == "html" and getattr(field, "_module", None) == MODULE:
                    with self.subTest(field=f"{model._name}.{field.name}"):
                        self.assertTrue(field.sanitize, "Html fields of the module are sanitized")

    def test_my_quarter_shows_the_names_as_text(self):
        html = self.quota.with_user(self.anna).top_accounts_html
        self.assertClean(html, "My Quarter")
        self.assertIn("Hansa AG&lt;script&gt;", html)
        # one format for every amount: the company currency's, as format_amount writes it
        self.assertIn("$&nbsp;108,000.00", html)
        for name, value in self._html_values(
            self.anna, f"{MODULE}.view_account_manager_quota_dashboard", self.quota
        ):
            self.assertClean(value, f"My Quarter field {name}")

    def test_screens_show_the_texts_as_text(self):
        screens = [
            (self.anna, f"{MODULE}.view_res_partner_account_kanban", self.evil),
            (self.anna, f"{MODULE}.view_res_partner_account_list", self.evil),
            (self.anna, f"{MODULE}.view_res_partner_form", self.evil | self.contact),
            (self.anna, f"{MODULE}.view_account_manager_quota_dashboard", self.quota),
            (self.anna, f"{MODULE}.view_account_manager_commission_line_list", self.anna_line),
            (
                self.director,
                f"{MODULE}.view_account_manager_commission_settlement_form",
                (self.anna_settlement),
            ),
        ]
        for user, xmlid, records in screens:
            for name, value in self._html_values(user, xmlid, records):
                with self.subTest(screen=xmlid, field=name):
                    self.assertClean(value, f"{xmlid} {name}")
        # the account plan's own rich text keeps its paragraphs, loses the scripts
        for field in ("customer_goals", "value_proposition", "objectives"):
            self.assertClean(self.account_plan[field], f"account plan {field}")

    def test_chatter_and_activities_show_the_texts_as_text(self):
        messages = (
            self.evil.message_ids
            | self.anna_settlement.message_ids
            | self.account_plan.message_ids
            | self.quota.message_ids
        )
        self.assertIn("&lt;script&gt;", "".join(self.anna_settlement.message_ids.mapped("body")))
        self.assertIn("&lt;script&gt;", "".join(self.evil.message_ids.mapped("body")))
        for message in messages:
            with self.subTest(message=message.id):
                self.assertClean(message.body, f"message {message.id} on {message.model}")
        activities = self.evil.activity_ids | self.anna_settlement.activity_ids
        self.assertGreaterEqual(len(activities), 2, "the remediation and the dispute to-do")
        for activity in activities:
            with self.subTest(activity=activity.summary):
                self.assertClean(activity.note, f"activity {activity.summary}")
        self.assertIn("&lt;script&gt;", "".join(activities.mapped("note")))

    def test_reports_show_the_texts_as_text(self):
        forecast = self.env["account.manager.forecast"].create({"year": 2026})
        wizard = self.env["account.manager.quarterly.report.wizard"].create(
            {"year": 2026, "quarter": "1"}
        )
        reports = [
            ("action_report_quarterly_results", wizard),
            ("action_report_annual_forecast", forecast),
            ("action_report_account_status", self.evil),
            ("action_report_account_plan", self.account_plan),
            ("action_report_commission_statement", self.anna_settlement),
        ]
        for xmlid, records in reports:
            with self.subTest(report=xmlid):
                report = self.env.ref(f"{MODULE}.{xmlid}")
                html = report._render_qweb_html(report.report_name, records.ids)[0].decode()
                self.assertIn("&lt;script&gt;", html, "the typed text is in the report")
                self.assertClean(html, xmlid)


@tagged("post_install", "-at_install")
class TestOverHttp(SecurityCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.logins = {
            "manager": "anna",
            "director": "director",
            "accountant": "comm_accountant",
            "internal": "plain",
            "portal": "portal_user",
        }
        Event = cls.env["account.manager.performance.event"].sudo()
        event = {"old_state": "on_track", "new_state": "probation", "reason": "two misses"}
        cls.anna_event = Event.create({"user_id": cls.anna.id, **event})
        cls.budi_event = Event.create({"user_id": cls.budi.id, **event})
        (cls.anna | cls.budi).sudo().write({"ams_performance_state": "probation"})

    # ------------------------------------------------------------------ helpers

    def rpc(self, login, model, method, *args, **kwargs):
        """``(result, error name)`` of a real JSON-RPC call by ``login``."""
        if getattr(self, "_rpc_login", None) != login:
            self.authenticate(login, login)
            self._rpc_login = login
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        return body.get("result"), body.get("error", {}).get("data", {}).get("name")

    def fresh(self, query, *params):
        """Rows read from a new cursor: what the database kept, not the ORM's cache."""
        with self.env.registry.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall()

    def _value_for(self, record, name):
        field = record._fields[name]
        others = {
            "res.users": self.director,
            "res.partner": self.budi_account,
            "res.company": self.env.company,
            "account.move": self.budi_settlement.accrual_move_id,
            "account.move.line": self.budi_settlement.accrual_move_id.line_ids[:1],
            "account.manager.commission.settlement": self.budi_settlement,
            "account.manager.commission.plan": self.budi_plan,
            "account.manager.commission.line": self.budi_line,
        }
        if field.type == "many2one":
            return others[field.comodel_name].id
        if field.type in ("one2many", "many2many"):
            return [Command.set(others[field.comodel_name].ids)]
        if field.type == "selection":
            keys = [key for key, _label in field._description_selection(self.env)]
            return next(key for key in keys if key != record[name])
        return {
            "boolean": not record[name],
            "monetary": 12345.0,
            "float": 12345.0,
            "integer": 7,
            "date": "2026-05-05",
            "datetime": "2026-05-05 10:00:00",
        }.get(field.type, "typed")

    # ------------------------------------------------------------------ the portal

    def test_portal_user_renames_themself_and_the_manager_sees_text(self):
        partner = self.portal.partner_id
        partner.write({"street": "Hafenstr. 1", "city": "Hamburg", "country_id": self.germany.id})
        partner._set_account_manager(self.anna, date(2025, 1, 1), reason="initial", force=True)
        today = date.today()
        start, end = quarter_of(today)
        quota = self.env["account.manager.quota"].create(
            {
                "user_id": self.anna.id,
                "target": 1000.0,
                "period_type": "quarter",
                "date_from": start,
                "date_to": end,
            }
        )
        self.authenticate("portal_user", "portal_user")
        page = self.url_open("/my/account")
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text)[1]
        response = self.url_open(
            "/my/account",
            data={
                "csrf_token": csrf,
                "name": PAYLOAD,
                "phone": "+49 40 123456",
                "email": "portal@example.com",
                "street": "Hafenstr. 1",
                "city": "Hamburg",
                "zipcode": "20457",
                "country_id": str(self.germany.id),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.fresh("SELECT name FROM res_partner WHERE id = %s", partner.id), [(PAYLOAD,)]
        )
        partner.invalidate_recordset()
        # invoiced after the change (Odoo refuses a new name once invoices are issued)
        self.create_invoice(partner, today.replace(day=1), 500.0)
        quota.invalidate_recordset()
        html = quota.with_user(self.anna).top_accounts_html
        self.assertIn("Hansa AG&lt;script&gt;", html)
        self.assertFalse(INJECTED.search(html))
        # the account's screens get the name as a value, which the web client shows as text
        row = partner.with_user(self.anna).web_read({"display_name": {}, "name": {}})[0]
        self.assertEqual(row["name"], PAYLOAD)

    # ------------------------------------------------------------------ account teams

    def test_nobody_joins_a_colleagues_account_team(self):
        Member = self.env["account.team.member"]
        # anna sits on budi's team already: that does not let her change it
        budi_team = Member.create(
            [
                {"partner_id": self.budi_account.id, "user_id": self.anna.id, "role": "backup"},
                {"partner_id": self.budi_account.id, "user_id": self.clara.id, "role": "other"},
            ]
        )
        own = Member.create(
            {"partner_id": self.evil.id, "user_id": self.clara.id, "role": "technical"}
        )
        count = "SELECT count(*) FROM account_team_member WHERE partner_id = %s"
        before = self.fresh(count, self.budi_account.id)
        users = {"manager": self.anna, "accountant": self.accountant, "internal": self.internal}
        users["portal"] = self.portal
        for who, login in self.logins.items():
            if who == "director":
                continue
            with self.subTest(user=who):
                user = users[who]
                vals = {"partner_id": self.budi_account.id, "user_id": user.id}
                _result, error = self.rpc(login, "account.team.member", "create", {**vals})
                self.assertEqual(error, "odoo.exceptions.AccessError")
                _result, error = self.rpc(
                    login, "account.team.member", "write", budi_team[1].ids, {"role": "technical"}
                )
                self.assertEqual(error, "odoo.exceptions.AccessError")
                _result, error = self.rpc(login, "account.team.member", "unlink", budi_team.ids)
                self.assertEqual(error, "odoo.exceptions.AccessError")
        # nor by moving a membership of her own account over to the colleague's
        _result, error = self.rpc(
            "anna", "account.team.member", "write", own.ids, {"partner_id": self.budi_account.id}
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        # nor through the account's form (res.partner write with commands)
        _result, error = self.rpc(
            "anna",
            "res.partner",
            "write",
            self.budi_account.ids,
            {"account_team_member_ids": [Command.create({"user_id": self.anna.id})]},
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        self.assertEqual(self.fresh(count, self.budi_account.id), before)
        self.assertEqual(
            self.fresh("SELECT partner_id, role FROM account_team_member WHERE id = %s", own.id),
            [(self.evil.id, "technical")],
        )
        # the owner changes her own team; a director any team
        _result, error = self.rpc(
            "anna",
            "account.team.member",
            "create",
            {"partner_id": self.evil.id, "user_id": self.budi.id},
        )
        self.assertFalse(error)
        _result, error = self.rpc(
            "director",
            "account.team.member",
            "create",
            {"partner_id": self.budi_account.id, "user_id": self.clara.id, "role": "technical"},
        )
        self.assertFalse(error)
        self.assertEqual(self.fresh(count, self.budi_account.id), [(before[0][0] + 1,)])

    # ------------------------------------------------------------------ workflow and money

    def _snapshot(self):
        return (
            self.fresh(
                "SELECT id, state, amount_total, approved_by_id, bill_id, accrual_move_id, "
                "release_move_id FROM account_manager_commission_settlement ORDER BY id"
            ),
            self.fresh(
                "SELECT id, state, amount, base_amount, rate, settlement_id, disputed, user_id "
                "FROM account_manager_commission_line ORDER BY id"
            ),
            self.fresh(
                "SELECT id, state, target, actual_amount, closed_by_id, closed_date "
                "FROM account_manager_quota ORDER BY id"
            ),
        )

    def test_workflow_fields_and_amounts_are_written_by_nobody(self):
        records = (self.anna_settlement, self.anna_line, self.q1_quotas[:1])
        before = self._snapshot()
        for who, login in self.logins.items():
            for record in records:
                for name in record._ams_workflow_fields:
                    value = self._value_for(record, name)
                    with self.subTest(user=who, model=record._name, field=name):
                        _result, error = self.rpc(
                            login, record._name, "write", record.ids, {name: value}
                        )
                        self.assertEqual(error, "odoo.exceptions.AccessError")
            # nor by creating a record that says so
            settlement = {
                "user_id": self.anna.id,
                "date_from": "2026-04-01",
                "date_to": "2026-06-30",
                "company_id": self.env.company.id,
                "state": "approved",
            }
            line = {
                "user_id": self.anna.id,
                "plan_id": self.plan.id,
                "date_from": "2026-04-01",
                "date_to": "2026-06-30",
                "rule_type": "base",
                "amount": 5000.0,
                "company_id": self.env.company.id,
            }
            for model, vals in (
                ("account.manager.commission.settlement", settlement),
                ("account.manager.commission.line", line),
            ):
                with self.subTest(user=who, create=model):
                    _result, error = self.rpc(login, model, "create", vals)
                    self.assertEqual(error, "odoo.exceptions.AccessError")
        self.assertEqual(self._snapshot(), before)

    def test_approving_and_billing_stay_with_their_roles(self):
        settlement = self.anna_settlement
        Settlement = "account.manager.commission.settlement"
        for login in ("comm_accountant", "anna", "plain", "portal_user"):
            with self.subTest(approve=login):
                _result, error = self.rpc(login, Settlement, "action_approve", settlement.ids)
                self.assertEqual(error, "odoo.exceptions.AccessError")
        self.assertEqual(
            self.fresh(
                f"SELECT state, approved_by_id FROM {settlement._table} WHERE id = %s",
                settlement.id,
            ),
            [("draft", None)],
        )
        # nobody approves their own pay: a director with a settlement of their own
        own = (
            self.env[Settlement]
            .sudo()
            .create(
                {
                    "user_id": self.director.id,
                    "date_from": date(2026, 4, 1),
                    "date_to": date(2026, 6, 30),
                    "company_id": self.env.company.id,
                }
            )
        )
        _result, error = self.rpc("director", Settlement, "action_approve", own.ids)
        self.assertEqual(error, "odoo.exceptions.AccessError")
        _result, error = self.rpc("director", Settlement, "action_approve", settlement.ids)
        self.assertFalse(error)
        for login in ("director", "anna", "plain", "portal_user"):
            with self.subTest(bill=login):
                _result, error = self.rpc(login, Settlement, "action_create_bill", settlement.ids)
                self.assertEqual(error, "odoo.exceptions.AccessError")
        rows = self.fresh(
            f"SELECT id, state, approved_by_id, bill_id FROM {settlement._table} "
            "WHERE id IN %s ORDER BY id",
            tuple((settlement | own).ids),
        )
        self.assertEqual(
            rows,
            [(settlement.id, "approved", self.director.id, None), (own.id, "draft", None, None)],
        )
        _result, error = self.rpc(
            "comm_accountant", Settlement, "action_create_bill", settlement.ids
        )
        self.assertFalse(error)
        self.assertEqual(
            self.fresh(f"SELECT state FROM {settlement._table} WHERE id = %s", settlement.id),
            [("billed",)],
        )

    # ------------------------------------------------------------------ personnel data

    def _personnel_fields(self):
        """What says how a manager is reviewed or paid, listed from ``fields_get``: the
        fields the module adds to users, every field of performance events, commission
        lines and quotas, and the money on commission plans."""
        Users = self.env["res.users"]
        user_fields = [
            name
            for name in Users.fields_get()
            if getattr(Users._fields.get(name), "_module", "") == MODULE
        ]
        self.assertIn("ams_performance_state", user_fields)
        plan_money = [
            name
            for name, info in self.env["account.manager.commission.plan"].fields_get().items()
            if info["type"] == "monetary"
        ]
        self.assertIn("ote_amount", plan_money)
        self.assertIn("base_salary", plan_money)
        every = {
            model: list(self.env[model].fields_get())
            for model in (
                "account.manager.performance.event",
                "account.manager.commission.line",
                "account.manager.quota",
            )
        }
        return [
            ("res.users", self.anna, self.budi, user_fields),
            ("account.manager.commission.plan", self.plan, self.budi_plan, plan_money),
            (
                "account.manager.performance.event",
                self.anna_event,
                self.budi_event,
                every["account.manager.performance.event"],
            ),
            (
                "account.manager.commission.line",
                self.anna_line,
                self.budi_line,
                every["account.manager.commission.line"],
            ),
            (
                "account.manager.quota",
                self.q1_quotas[0],
                self.q1_quotas[1],
                every["account.manager.quota"],
            ),
        ]

    def test_personnel_fields_are_read_by_the_manager_and_directors_only(self):
        for model, own, colleague, names in self._personnel_fields():
            for name in names:
                with self.subTest(model=model, field=name):
                    result, error = self.rpc("anna", model, "read", colleague.ids, [name])
                    self.assertTrue(
                        error == "odoo.exceptions.AccessError" or not (result and result[0][name]),
                        f"anna read {model}.{name} of a colleague: {result}",
                    )
                    result, error = self.rpc("anna", model, "read", own.ids, [name])
                    self.assertFalse(error, f"anna reads her own {model}.{name}")
                    result, error = self.rpc("director", model, "read", colleague.ids, [name])
                    self.assertFalse(error, f"a director reads {model}.{name}")
        # nor learnt by searching or grouping on the status
        state = "ams_performance_state"
        probation = [[state, "=", "probation"]]
        for method, args in (
            ("search_count", [probation]),
            ("read_group", [[], [state], [state]]),
        ):
            with self.subTest(method=method):
                _result, error = self.rpc("anna", "res.users", method, *args)
                self.assertEqual(error, "odoo.exceptions.AccessError")
        result, error = self.rpc(
            "anna",
            "account.manager.performance.event",
            "search_read",
            [["new_state", "=", "probation"]],
            ["user_id"],
        )
        self.assertEqual([row["user_id"][0] for row in result], self.anna.ids)
        # the figures themselves, as each reads them
        self.assertEqual(
            self.rpc("anna", "res.users", "read", self.anna.ids, [state])[0][0][state], "probation"
        )
        self.assertEqual(
            self.rpc("director", "res.users", "read", self.budi.ids, [state])[0][0][state],
            "probation",
        )
        self.assertEqual(
            self.rpc(
                "anna", "account.manager.commission.plan", "read", self.plan.ids, ["ote_amount"]
            )[0][0]["ote_amount"],
            90000.0,
        )
        # the accountant: the money, not the reviews
        self.assertEqual(
            self.rpc(
                "comm_accountant",
                "account.manager.commission.line",
                "read",
                self.budi_line.ids,
                ["amount"],
            )[0][0]["amount"],
            240.0,  # 6 % of 4,000.00
        )
        for model, record, name in (
            ("res.users", self.budi, state),
            ("account.manager.performance.event", self.budi_event, "new_state"),
        ):
            with self.subTest(accountant=model):
                _result, error = self.rpc("comm_accountant", model, "read", record.ids, [name])
                self.assertEqual(error, "odoo.exceptions.AccessError")

    def test_my_quarter_shows_the_managers_own_status_only(self):
        own, colleague = self.q1_quotas
        name = "user_performance_state"
        self.assertEqual(
            self.rpc("anna", own._name, "read", own.ids, [name])[0][0][name], "probation"
        )
        self.assertFalse(
            self.rpc("comm_accountant", own._name, "read", colleague.ids, [name])[0][0][name]
        )
        self.assertEqual(
            self.rpc("director", own._name, "read", colleague.ids, [name])[0][0][name],
            "probation",
        )

    # ------------------------------------------------------------------ the browser

    def test_tour_no_injected_element_in_the_dom(self):
        today = date.today()
        start, end = quarter_of(today)
        self.create_invoice(self.evil, today.replace(day=1), 108000.0)
        self.env["account.manager.quota"].create(
            {
                "user_id": self.anna.id,
                "target": 100000.0,
                "period_type": "quarter",
                "date_from": start,
                "date_to": end,
            }
        )
        self.env["account.manager.assessment"].create(
            {
                "partner_id": self.evil.id,
                "satisfaction": "2",
                "relationship": "strained",
                "note": PAYLOAD,
            }
        )
        for url in (
            "/odoo/action-account_manager_suite.action_server_my_quarter",
            f"/odoo/action-account_manager_suite.action_my_accounts/{self.evil.id}",
        ):
            with self.subTest(url=url):
                self.start_tour(
                    url, "account_manager_suite_no_injection", login="anna", timeout=300
                )


@tagged("post_install", "-at_install")
class TestRecordRuleMutations(SecurityCommon):
    """Each record rule of the module matters: widened to everything (or, for a rule that
    grants everything, narrowed to nothing), what some user may read, write, create or
    delete changes. The rules are listed from their xml ids, so a new rule is covered
    too, and fails here until the fixtures give it something to decide."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        for account, owner in ((cls.evil, cls.anna), (cls.budi_account, cls.budi)):
            env["account.plan"].create(
                {
                    "name": f"Plan {owner.name}",
                    "partner_id": account.id,
                    "contact_ids": [Command.create({"partner_id": account.id, "role": "CEO"})],
                    "action_ids": [
                        Command.create(
                            {"name": "Call", "user_id": owner.id, "date_deadline": "2026-09-01"}
                        )
                    ],
                }
            )
            env["account.manager.assessment"].create(
                {"partner_id": account.id, "satisfaction": "4", "relationship": "good"}
            )
            env["account.team.member"].create(
                {"partner_id": account.id, "user_id": cls.clara.id, "role": "other"}
            )
            env["account.manager.commission.adjustment"].create(
                {"user_id": owner.id, "amount": 10.0, "reason": "Correction"}
            )
            env["account.manager.performance.event"].sudo().create(
                {
                    "user_id": owner.id,
                    "old_state": "on_track",
                    "new_state": "probation",
                    "reason": "two misses",
                }
            )
        # another company, with one record of every kind
        data = cls.setup_other_company()
        other = cls.other = data["company"]
        cls.eve = new_test_user(
            env,
            "eve",
            groups=GROUP_MANAGER,
            name="Eve Other",
            company_id=other.id,
            company_ids=[other.id],
        )
        oenv = env(context={**env.context, "allowed_company_ids": [other.id]})
        cls.tier_standard.copy({"company_id": other.id, "code": "OTH", "name": "Other"})
        account = oenv["res.partner"].create(
            {"name": "Andere AG", "is_company": True, "company_id": other.id}
        )
        account._set_account_manager(cls.eve, date(2025, 1, 1), reason="initial", force=True)
        oenv["account.team.member"].create({"partner_id": account.id, "user_id": cls.eve.id})
        oenv["account.plan"].with_company(other).create(
            {
                "name": "Andere plan",
                "partner_id": account.id,
                "company_id": other.id,
                "contact_ids": [Command.create({"partner_id": account.id})],
                "action_ids": [
                    Command.create(
                        {"name": "Visit", "user_id": cls.eve.id, "date_deadline": "2026-09-01"}
                    )
                ],
            }
        )
        oenv["account.manager.assessment"].with_company(other).create(
            {
                "partner_id": account.id,
                "satisfaction": "3",
                "relationship": "good",
                "company_id": other.id,
            }
        )
        oenv["account.manager.product.cost"].sudo().create(
            {
                "product_id": cls.product_a.id,
                "company_id": other.id,
                "date": "2025-01-01",
                "cost": 1.0,
            }
        )
        oenv["account.manager.assignment.rule"].create(
            {"name": "Andere", "company_id": other.id, "method": "fixed", "user_id": cls.eve.id}
        )
        oenv["account.manager.quota.plan"].create(
            {
                "name": "Andere",
                "year": 2027,
                "company_id": other.id,
                "line_ids": [Command.create({"user_id": cls.eve.id, "annual_target": 4000.0})],
            }
        )
        oenv["account.manager.quota"].create(
            {
                "user_id": cls.eve.id,
                "target": 3000,
                "company_id": other.id,
                "period_type": "quarter",
                "date_from": Q1[0],
                "date_to": Q1[1],
            }
        )
        oenv["account.manager.performance.event"].sudo().create(
            {
                "user_id": cls.eve.id,
                "old_state": "on_track",
                "new_state": "probation",
                "reason": "x",
                "company_id": other.id,
            }
        )
        commission_plan = oenv["account.manager.commission.plan"].create(
            {
                "name": "Andere",
                "base_rate": 5.0,
                "company_id": other.id,
                "assignment_ids": [
                    Command.create({"user_id": cls.eve.id, "date_from": "2025-01-01"})
                ],
            }
        )
        line = {
            "user_id": cls.eve.id,
            "plan_id": commission_plan.id,
            "date_from": Q1[0],
            "date_to": Q1[1],
            "rule_type": "base",
            "amount": 1.0,
            "company_id": other.id,
        }
        oenv["account.manager.commission.line"].sudo().create(line)
        oenv["account.manager.commission.adjustment"].create(
            {"user_id": cls.eve.id, "amount": 5.0, "reason": "Korrektur", "company_id": other.id}
        )
        oenv["account.manager.commission.settlement"].sudo().create(
            {"user_id": cls.eve.id, "date_from": Q1[0], "date_to": Q1[1], "company_id": other.id}
        )
        invoice = oenv["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": account.id,
                "company_id": other.id,
                "invoice_date": date(2026, 1, 15),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Beratung",
                            "price_unit": 700.0,
                            "tax_ids": [Command.clear()],
                            "account_id": data["default_account_revenue"].id,
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        cls.probe_users = (
            cls.anna | cls.budi | cls.clara | cls.director | cls.accountant | cls.eve | cls.internal
        )

    def _decisions(self, model, perms):
        """What each probe user may do on each record of ``model``, rules only."""
        records = self.env[model].sudo().with_context(active_test=False).search([])
        self.env.flush_all()
        seen = {}
        for user in self.probe_users:
            Rule = (
                self.env["ir.rule"]
                .with_user(user)
                .with_context(allowed_company_ids=user.company_ids.ids)
            )
            for perm in perms:
                domain = Rule._compute_domain(model, perm)
                allowed = records.filtered_domain(domain) if domain else records
                seen[(user.login, perm)] = set(allowed.ids)
        return seen

    def test_every_rule_of_the_module_decides_something(self):
        rules = self.env["ir.rule"].browse(
            self.env["ir.model.data"]
            .search([("module", "=", MODULE), ("model", "=", "ir.rule")])
            .mapped("res_id")
        )
        self.assertGreaterEqual(len(rules), 44)
        idle = []
        for rule in rules:
            perms = [p for p in ("read", "write", "create", "unlink") if rule[f"perm_{p}"]]
            model = rule.model_id.model
            original = rule.domain_force
            grants_all = "".join(original.split()) in ("[(1,'=',1)]", '[(1,"=",1)]')
            before = self._decisions(model, perms)
            rule.domain_force = "[(0, '=', 1)]" if grants_all else "[(1, '=', 1)]"
            after = self._decisions(model, perms)
            rule.domain_force = original
            if before == after:
                idle.append(rule.get_external_id()[rule.id])
        self.assertFalse(idle, "rules that decide nothing for the fixtures (untested)")


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


# texts that a spreadsheet would run: a link, a sum, a function call, a negation
FORMULAS = ('=HYPERLINK("http://x","y")', "=1+1", "@SUM(1,2)", "+1+1", "-1+2")
Q2 = (date(2026, 4, 1), date(2026, 6, 30))


@tagged("post_install", "-at_install")
class TestRemainingDoors(SecurityCommon, HttpCase):
    """What issue 14 left open: formulas in workbooks, one's own quota, plan and review,
    taking or back-dating ownership, and deleting computed commission lines."""

    rpc = TestOverHttp.rpc
    fresh = TestOverHttp.fresh

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
        rule = self.env.ref(f"{MODULE}.account_team_member_rule_manager")
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
