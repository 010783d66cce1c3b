"""Issue 14: over HTTP, nobody widens their own rights, approves their own pay or types
an amount.

- ``TestOverHttp``: the portal user renames themself; JSON-RPC per group (team, workflow
  fields, amounts, approve/bill, personnel fields listed from ``fields_get``), with the
  database checked from a new cursor afterwards; a browser tour over the DOM.
"""

import re
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase
from odoo.tests import tagged

from .common import BrowserTours
from .security_common import INJECTED
from .security_common import PAYLOAD
from .security_common import JsonRpcMixin
from .security_common import SecurityCommon
from .security_common import quarter_of

# the account teams' model
TEAM = "account.manager.team.member"


@tagged("post_install", "-at_install")
class TestOverHttp(JsonRpcMixin, BrowserTours, SecurityCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_reviews()

    # ------------------------------------------------------------------ helpers

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
        # the manager's screens in a real browser: the name as text, nothing injected
        for url in (
            "/odoo/action-account_manager_suite.action_server_my_quarter",
            f"/odoo/action-account_manager_suite.action_my_accounts/{partner.id}",
        ):
            with self.subTest(url=url):
                self.start_tour(url, "account_manager_suite_no_injection", login="anna")

    # ------------------------------------------------------------------ account teams

    def test_nobody_joins_a_colleagues_team_through_a_default(self):
        """The account given as a default of the context is checked before the row exists
        (the record rules alone would see it only afterwards)."""
        count = "SELECT count(*) FROM account_manager_team_member WHERE partner_id = %s"
        before = self.fresh(count, self.budi_account.id)
        with self.assertRaisesRegex(AccessError, "Only the account manager of Budi Kolonial KG"):
            self.env[TEAM].with_user(self.anna).with_context(
                default_partner_id=self.budi_account.id
            ).create({"user_id": self.anna.id})
        _result, error = self.rpc(
            "anna",
            TEAM,
            "create",
            {"user_id": self.anna.id},
            context={"default_partner_id": self.budi_account.id},
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        self.assertEqual(self.fresh(count, self.budi_account.id), before)

    def test_nobody_joins_a_colleagues_account_team(self):
        Member = self.env[TEAM]
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
        count = "SELECT count(*) FROM account_manager_team_member WHERE partner_id = %s"
        before = self.fresh(count, self.budi_account.id)
        users = {"manager": self.anna, "accountant": self.accountant, "internal": self.internal}
        users["portal"] = self.portal
        for who, login in self.logins.items():
            if who == "director":
                continue
            with self.subTest(user=who):
                user = users[who]
                vals = {"partner_id": self.budi_account.id, "user_id": user.id}
                _result, error = self.rpc(login, TEAM, "create", {**vals})
                self.assertEqual(error, "odoo.exceptions.AccessError")
                _result, error = self.rpc(
                    login, TEAM, "write", budi_team[1].ids, {"role": "technical"}
                )
                self.assertEqual(error, "odoo.exceptions.AccessError")
                _result, error = self.rpc(login, TEAM, "unlink", budi_team.ids)
                self.assertEqual(error, "odoo.exceptions.AccessError")
        # nor by moving a membership of her own account over to the colleague's
        _result, error = self.rpc(
            "anna", TEAM, "write", own.ids, {"partner_id": self.budi_account.id}
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
            self.fresh(
                "SELECT partner_id, role FROM account_manager_team_member WHERE id = %s", own.id
            ),
            [(self.evil.id, "technical")],
        )
        # the owner changes her own team; a director any team
        _result, error = self.rpc(
            "anna", TEAM, "create", {"partner_id": self.evil.id, "user_id": self.budi.id}
        )
        self.assertFalse(error)
        _result, error = self.rpc(
            "director",
            TEAM,
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
            "/odoo/action-account_manager_suite.action_my_accounts",
            f"/odoo/action-account_manager_suite.action_my_accounts/{self.evil.id}",
            "/odoo/action-account_manager_suite.action_account_manager_commission_line",
        ):
            with self.subTest(url=url):
                self.start_tour(
                    url, "account_manager_suite_no_injection", login="anna", timeout=300
                )
