"""The module's read-only entry points run on a read-only cursor, so that Odoo 18 can serve
them from a PostgreSQL replica (``--db_replica_host``), and none of them writes.

Through HTTP, as the web client calls them: in test mode Odoo opens a read-only request's
cursor with ``SET TRANSACTION READ ONLY`` (``odoo.sql_db.TestCursor``), so a write fails in
PostgreSQL, and Odoo logs "retrying with a read/write cursor" and runs the request again on
the primary; a call that is not routed read-only runs on a read/write cursor. A spy on the
attribution engine records which kind of cursor its queries ran on.
"""

import json
from contextlib import contextmanager
from datetime import date
from datetime import timedelta
from unittest.mock import patch

import psycopg2.errors
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo import http
from odoo.tests import HttpCase
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AccountManagerCommon

ACCOUNT_FIELDS = {
    "display_name": {},
    "revenue_this_year": {},
    "receivable_amount": {},
    "overdue_amount": {},
    "open_quotation_count": {},
}
QUOTA_FIELDS = {"actual_amount": {}, "attainment": {}, "refreshed_at": {}, "top_accounts_html": {}}


@tagged("post_install", "-at_install")
class TestReplica(AccountManagerCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = date.today()
        cls.q_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        cls.account = cls.create_account("Replica GmbH", cls.anna, since=date(2025, 1, 1))
        cls.create_invoice(cls.account, cls.q_start, 2500.0)
        cls.quota = cls.env["account.manager.quota"].create(
            {
                "user_id": cls.anna.id,
                "period_type": "quarter",
                "date_from": cls.q_start,
                "date_to": cls.q_start + relativedelta(months=3, days=-1),
                "target": 10000.0,
            }
        )

    # ------------------------------------------------------------------ helpers

    @contextmanager
    def engine_spy(self):
        """The kinds of cursor (True: read-only) the engine's revenue query ran on."""
        engine = type(self.env["account.manager.revenue"])
        original = engine._revenue
        readonly = []

        def _revenue(model, *args, **kwargs):
            readonly.append(model.env.cr.readonly)
            return original(model, *args, **kwargs)

        with patch.object(engine, "_revenue", _revenue):
            yield readonly

    @contextmanager
    def on_replica(self):
        """Asserts that the requests inside ran read-only to the end: the engine on a
        read-only cursor, no write retried on the primary."""
        self.env.flush_all()
        with self.engine_spy() as readonly, self.assertNoLogs("odoo.http", "WARNING"):
            yield readonly
        self.assertTrue(readonly, "the engine was not asked")
        self.assertEqual(set(readonly), {True})

    def call(self, model, method, args, kwargs=None, route="call_kw"):
        return self.make_jsonrpc_request(
            f"/web/dataset/{route}/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def download(self, report_xmlid, ids, converter):
        report = self.env.ref(report_xmlid)
        url = f"/report/{converter}/{report.report_name}/{','.join(map(str, ids))}"
        response = self.url_open(
            "/report/download",
            data={
                "data": json.dumps([url, converter if converter == "xlsx" else "qweb-pdf"]),
                "context": "{}",
                # the token of the authenticated test session, as the web client sends it
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        response.raise_for_status()
        return response

    # ------------------------------------------------------------------ tests

    def test_my_accounts_and_my_quarter_read_on_the_replica(self):
        self.authenticate("anna", "anna")
        refreshed = self.quota.refreshed_at
        with self.on_replica():
            accounts = self.call(
                "res.partner",
                "web_search_read",
                [],
                {
                    "domain": [("account_manager_id", "=", self.anna.id)],
                    "specification": ACCOUNT_FIELDS,
                },
            )
            action = self.call(
                "account.manager.quota", "action_open_my_quarter", [], route="call_button"
            )
            quota = self.call(
                "account.manager.quota", "web_read", [[action["res_id"]]], {
                    "specification": QUOTA_FIELDS
                }
            )  # fmt: skip
            self.call(
                "account.manager.commission.line",
                "web_search_read",
                [],
                {"domain": [("user_id", "=", self.anna.id)], "specification": {"amount": {}}},
            )
        self.assertEqual(
            [(r["display_name"], r["revenue_this_year"]) for r in accounts["records"]],
            [("Replica GmbH", 2500.0)],
        )
        self.assertEqual(action["res_id"], self.quota.id)
        self.assertEqual(quota[0]["actual_amount"], 2500.0)
        self.assertAmounts(quota[0]["top_accounts_html"], [2500.0])
        # opening the dashboard no longer refreshes (writes) the quota
        self.quota.invalidate_recordset()
        self.assertEqual(self.quota.refreshed_at, refreshed)

    def test_analyses_and_forecast_read_on_the_replica(self):
        self.authenticate("director", "director")
        with self.on_replica():
            action = self.call(
                "account.manager.quota", "action_open_attainment", [], route="call_button"
            )
            groups = self.call(
                "account.manager.quota",
                "web_read_group",
                [],
                {"domain": [], "fields": ["actual_amount:sum"], "groupby": ["user_id"]},
            )
            revenue = self.call(
                "account.manager.revenue.report",
                "web_read_group",
                [],
                {"domain": [], "fields": ["amount:sum"], "groupby": ["user_id"]},
            )
            forecast = self.call(
                "account.manager.forecast",
                "onchange",
                [[], {"year": self.q_start.year}, [], {
                    "year": {}, "line_ids": {"fields": {"user_id": {}, "actual": {}}}
                }],
            )  # fmt: skip
        self.assertEqual(action["res_model"], "account.manager.quota")
        self.assertEqual(
            [(g["user_id"][0], g["actual_amount"]) for g in groups["groups"]],
            [(self.anna.id, 2500.0)],
        )
        self.assertEqual(
            [(g["user_id"][0], g["amount"]) for g in revenue["groups"]], [(self.anna.id, 2500.0)]
        )
        lines = [cmd[2] for cmd in forecast["value"]["line_ids"] if cmd[0] == 0]
        self.assertEqual(
            [(line["user_id"], line["actual"]) for line in lines if line["actual"]],
            [(self.anna.id, 2500.0)],
        )

    def test_report_downloads_read_on_the_replica(self):
        self.authenticate("director", "director")
        wizard = self.env["account.manager.quarterly.report.wizard"].create(
            {"year": self.q_start.year, "quarter": str((self.q_start.month - 1) // 3 + 1)}
        )
        with self.on_replica():
            status = self.download(
                "account_manager_suite.action_report_account_status_xlsx", self.account.ids, "xlsx"
            )
            results = self.download(
                "account_manager_suite.action_report_quarterly_results_xlsx", wizard.ids, "xlsx"
            )
        for response in (status, results):
            self.assertEqual(
                response.headers["Content-Type"],
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            self.assertEqual(response.content[:2], b"PK")

    @mute_logger("odoo.addons.web.controllers.report", "odoo.addons.report_xlsx.controllers.main")
    def test_report_of_a_record_not_replicated_yet_runs_on_the_primary(self):
        self.authenticate("director", "director")
        missing = self.env["account.manager.quarterly.report.wizard"].search([], order="id desc")
        missing_id = (missing[:1].id or 0) + 1000
        with self.assertLogs("odoo.http", "WARNING") as logs:
            self.download(
                "account_manager_suite.action_report_quarterly_results_xlsx", [missing_id], "xlsx"
            )
        self.assertIn("not on the replica yet, retrying with a read/write cursor", logs.output[0])

    def test_dashboards_do_not_write_and_the_schedule_does(self):
        self.env.cr.flush()  # what the test's own cursor has pending, before going read-only
        refreshed = self.quota.refreshed_at
        with self.registry.cursor(readonly=True) as cr:  # SET TRANSACTION READ ONLY
            quotas = self.env(cr=cr)["account.manager.quota"]
            quotas.with_user(self.anna).action_open_my_quarter()
            quotas.with_user(self.director).action_open_attainment()
            # the harness refuses a write: the Refresh button writes, on the primary
            with (
                self.assertRaises(psycopg2.errors.ReadOnlySqlTransaction),
                mute_logger("odoo.sql_db"),
            ):
                quotas.browse(self.quota.id).action_refresh()
        self.quota.invalidate_recordset()
        self.assertEqual((self.quota.actual_amount, self.quota.refreshed_at), (2500.0, refreshed))
        # the scheduled write brings the figures up to date
        self.create_invoice(self.account, self.q_start, 1000.0)
        # as the scheduler runs it: the figures refreshed before its last run are due (the
        # refresh above may fall in the same second as the run: Odoo's datetimes have none)
        last_run = fields.Datetime.now() + timedelta(seconds=1)
        self.env["account.manager.quota"].with_context(
            lastcall=last_run
        )._cron_refresh_open_quotas()
        self.assertEqual((self.quota.actual_amount, self.quota.attainment), (3500.0, 35.0))

    def test_read_only_entry_points_are_marked(self):
        marked = {
            "account.manager.quota": ["action_open_my_quarter", "action_open_attainment"],
            "res.partner": ["action_print_account_status", "action_view_account_plans"],
            "account.manager.forecast": ["onchange"],
        }
        for model, methods in marked.items():
            for method in methods:
                self.assertTrue(
                    getattr(getattr(type(self.env[model]), method), "_readonly", False),
                    f"{model}.{method} is not @api.readonly",
                )
