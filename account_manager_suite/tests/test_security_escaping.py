"""Issue 14: what a customer or a colleague types is shown as text everywhere.

- ``TestEscaping``: texts with ``<script>``, ``<img onerror>`` and ``"><svg onload>`` in
  every place a user types them, rendered on every screen and report that shows them.
"""

from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common import MODULE
from .security_common import INJECTED
from .security_common import PAYLOAD
from .security_common import SecurityCommon
from .security_common import quarter_of


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
            cls.env["account.manager.account.plan"]
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

    def _text_values(self, user, view_xmlid, records):
        """The character values of ``view_xmlid``'s fields and of the records its
        many2one fields show, as the web client reads them."""
        view = self.env.ref(view_xmlid)
        records = records.with_user(user)
        described = records.get_views([(view.id, view.type)])["models"][records._name]["fields"]
        spec = {
            name: {"fields": {"display_name": {}}} if info["type"] == "many2one" else {}
            for name, info in described.items()
            if info["type"] in ("char", "text", "many2one")
        }
        texts = []
        for row in records.web_read({**spec, "display_name": {}}):
            for value in row.values():
                if isinstance(value, dict):
                    value = value.get("display_name")
                if isinstance(value, str):
                    texts.append(value)
        return texts

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
        # the texts typed with markup reach the screens that show them as values (plain
        # strings, which the web client writes as text; the tours check the DOM), never
        # as markup of the server's making
        for user, xmlid, records in screens[:3] + screens[4:5]:
            with self.subTest(screen=xmlid, values="text"):
                texts = self._text_values(user, xmlid, records)
                self.assertIn(PAYLOAD, texts, f"{xmlid} shows the typed name")
                self.assertTrue(all(type(text) is str for text in texts))
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
