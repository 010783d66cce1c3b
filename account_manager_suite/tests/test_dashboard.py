"""The Account Management dashboard in Odoo's Dashboards app (spreadsheet_dashboard)."""

from datetime import date

from lxml import etree

from odoo.tests import tagged

from .common import MODULE
from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestDashboard(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hansa = cls.create_account(
            "Hansa AG", cls.anna, since=date(2025, 1, 1), tier=cls.tier_key
        )
        cls.elbe = cls.create_account("Elbe KG", cls.anna, since=date(2025, 1, 1))
        cls.jaya = cls.create_account(
            "PT Jaya", cls.budi, since=date(2025, 1, 1), tier=cls.tier_small
        )
        cls.create_invoice(cls.hansa, date(2026, 2, 10), 5000.0)
        cls.create_invoice(cls.elbe, date(2026, 3, 5), 3000.0)
        cls.create_invoice(cls.hansa, date(2026, 5, 10), 6000.0)
        cls.create_invoice(cls.jaya, date(2026, 4, 20), 3500.0)
        cls.create_invoice(cls.jaya, date(2026, 6, 1), 500.0, refund=True)
        Quota = cls.env["account.manager.quota"]
        for user, start, end, target in (
            (cls.anna, date(2026, 1, 1), date(2026, 3, 31), 10000.0),
            (cls.anna, date(2026, 4, 1), date(2026, 6, 30), 12000.0),
            (cls.budi, date(2026, 4, 1), date(2026, 6, 30), 5000.0),
        ):
            Quota.create(
                {
                    "user_id": user.id,
                    "target": target,
                    "period_type": "quarter",
                    "date_from": start,
                    "date_to": end,
                }
            )
        cls.elbe.write(
            {
                "at_risk": True,
                "at_risk_reason": "delivery",
                "at_risk_note": "Two late deliveries.",
                "remediation_plan": "Weekly delivery calls.",
                "remediation_deadline": date(2026, 12, 20),
            }
        )
        cls.create_plan("Flat 5%", 5.0, cls.anna | cls.budi)
        Line = cls.env["account.manager.commission.line"]
        Line._compute_period(cls.anna | cls.budi, date(2026, 1, 1), date(2026, 3, 31))
        Line._compute_period(cls.anna | cls.budi, date(2026, 4, 1), date(2026, 6, 30))
        cls.dashboard = cls.env.ref(f"{MODULE}.spreadsheet_dashboard_account_management")

    def _pivot(self, pivot, user):
        """What the spreadsheet's pivot reads: its model, domain, groupings, measures,
        as ``user``."""
        groupbys = [
            f"{g['fieldName']}:{g['granularity']}" if g.get("granularity") else g["fieldName"]
            for g in pivot["rows"] + pivot["columns"]
        ]
        fields = [m["fieldName"] for m in pivot["measures"] if m["fieldName"] != "__count"]
        groups = (
            self.env[pivot["model"]]
            .with_user(user)
            .read_group(pivot["domain"], fields, groupbys, lazy=False)
        )

        def label(group, name):
            value = group[name] if name in group else group[name.split(":")[0]]
            return value[1] if isinstance(value, tuple) else value

        return {
            tuple(label(g, name) for name in groupbys): tuple(
                g[m["fieldName"]] for m in pivot["measures"]
            )
            for g in groups
        }

    def test_dashboard_opens_in_the_dashboards_app(self):
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(self.dashboard.dashboard_group_id.name, "Account Management")
        self.assertEqual(self.dashboard.group_ids, self.env.ref(f"{MODULE}.group_sales_director"))
        # the Dashboards app lists it for a director, not for an account manager
        Group = self.env["spreadsheet.dashboard.group"]
        for user, shown in ((self.director, True), (self.anna, False)):
            self.env.invalidate_all()  # each user reads the groups afresh, with their rules
            seen = Group.with_user(user).search([]).published_dashboard_ids
            self.assertEqual(self.dashboard in seen, shown, user.name)
        data = self.dashboard.with_user(self.director).get_readonly_dashboard()
        snapshot = data["snapshot"]
        self.assertEqual(
            [pivot["name"] for pivot in snapshot["pivots"].values()],
            [
                "Attainment by Account Manager and Quarter",
                "Revenue by Customer Tier",
                "Accounts at Risk",
                "Check-ins Overdue",
                "Commission Accrued",
            ],
        )
        # every pivot is shown on the sheet, and every model and field it reads exists
        contents = [cell["content"] for cell in snapshot["sheets"][0]["cells"].values()]
        for pivot_id, pivot in snapshot["pivots"].items():
            self.assertIn(f"=PIVOT({pivot_id})", contents)
            model = self.env[pivot["model"]]
            for group in pivot["rows"] + pivot["columns"]:
                self.assertIn(group["fieldName"], model._fields)
            for measure in pivot["measures"]:
                self.assertTrue(
                    measure["fieldName"] == "__count" or measure["fieldName"] in model._fields
                )

    def test_figures_equal_the_attainment_analysis(self):
        pivots = self.dashboard.with_user(self.director).get_readonly_dashboard()["snapshot"][
            "pivots"
        ]
        attainment = pivots["1"]
        # the attainment analysis as a director opens it: refreshed, its default filter
        # (quarters) and its pivot view's rows, columns and measures
        action = self.env["account.manager.quota"].with_user(self.director).action_open_attainment()
        self.assertEqual(action["res_model"], attainment["model"])
        arch = etree.fromstring(self.env[action["res_model"]].get_view(view_type="pivot")["arch"])
        self.assertEqual(
            [g["fieldName"] for g in attainment["rows"]],
            [f.get("name") for f in arch.xpath("//field[@type='row']")],
        )
        self.assertEqual(
            [(g["fieldName"], g["granularity"]) for g in attainment["columns"]],
            [(f.get("name"), f.get("interval")) for f in arch.xpath("//field[@type='col']")],
        )
        measures = [f.get("name") for f in arch.xpath("//field[@type='measure']")]
        self.assertEqual(
            [m["fieldName"] for m in attainment["measures"]],
            [m for m in measures if m != "attainment"],  # a ratio: the sheet divides
        )
        self.assertEqual(attainment["domain"], [["period_type", "=", "quarter"]])
        self.assertEqual(
            self._pivot(attainment, self.director),
            {
                ("Anna Becker", "Q1 2026"): (10000.0, 8000.0),
                ("Anna Becker", "Q2 2026"): (12000.0, 6000.0),
                ("Budi Santoso", "Q2 2026"): (5000.0, 3000.0),
            },
        )
        self.assertEqual(
            self._pivot(pivots["2"], self.director),
            {("Key / National Account", "2026"): (11000.0,), ("Standard", "2026"): (3000.0,),
             ("Small", "2026"): (3000.0,)},
        )  # fmt: skip
        self.assertEqual(self._pivot(pivots["3"], self.director), {("Anna Becker",): (1,)})
        self.assertEqual(
            self._pivot(pivots["5"], self.director),
            {
                ("Anna Becker", "Q1 2026"): (400.0,),
                ("Anna Becker", "Q2 2026"): (300.0,),
                ("Budi Santoso", "Q2 2026"): (150.0,),
            },
        )
        # check-ins: none logged since 2025, every account is overdue
        self.assertEqual(
            self._pivot(pivots["4"], self.director),
            {("Anna Becker",): (2,), ("Budi Santoso",): (1,)},
        )
