"""The module is installed as declared: metadata, groups, menus, access rules."""

import struct

from lxml import etree

from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools import file_open

MODULE = "account_manager_suite"


@tagged("post_install", "-at_install")
class TestModule(TransactionCase):
    def test_manifest_metadata_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", MODULE)])
        self.assertEqual(module.state, "installed")
        self.assertEqual(module.latest_version, "18.0.1.0.3")
        self.assertTrue(module.application)
        self.assertEqual(module.license, "LGPL-3")
        self.assertEqual(
            set(module.dependencies_id.mapped("name")),
            {"sale_management", "account", "report_xlsx", "digest", "spreadsheet_dashboard"},
        )

    def test_every_scheduled_action_is_run_through_its_record_by_a_test(self):
        """A new scheduled action fails here until a test runs it with
        ``AccountManagerCommon.run_cron`` (``method_direct_trigger``) and asserts its
        effect; the test named beside each one does."""
        tested = {
            "ir_cron_schedule_checkins": "test_checkin.py::test_the_daily_job_schedules_...",
            "ir_cron_compute_health": "test_health.py::test_the_nightly_job_scores_...",
            "ir_cron_refresh_quotas": "test_quota.py::test_the_hourly_job_refreshes_...",
            "ir_cron_recompute_commissions": "test_commission_queue.py::test_cron_keeps_...",
            "ir_cron_recompute_changed_invoices": "settlement_common.py::run_queue (its tests)",
            "ir_cron_compact_revenue_summary": "test_revenue_summary.py::test_compaction_...",
        }
        crons = self.env["ir.model.data"].search(
            [("module", "=", MODULE), ("model", "=", "ir.cron")]
        )
        self.assertEqual(set(crons.mapped("name")), set(tested))
        for name in tested:
            cron = self.env.ref(f"{MODULE}.{name}")
            method = cron.code.removeprefix("model.").removesuffix("()")
            self.assertTrue(callable(getattr(self.env[cron.model_id.model], method, None)), name)

    def test_groups_exist_and_imply_each_other(self):
        manager = self.env.ref(f"{MODULE}.group_account_manager")
        director = self.env.ref(f"{MODULE}.group_sales_director")
        accountant = self.env.ref(f"{MODULE}.group_commission_accountant")
        self.assertEqual(
            (manager | director | accountant).mapped("category_id.name"),
            ["Account Management"],
        )
        self.assertIn(self.env.ref("sales_team.group_sale_salesman"), manager.implied_ids)
        self.assertIn(self.env.ref("base.group_partner_manager"), manager.implied_ids)
        self.assertIn(manager, director.trans_implied_ids)
        self.assertIn(
            self.env.ref("sales_team.group_sale_salesman_all_leads"), director.trans_implied_ids
        )
        self.assertIn(self.env.ref("account.group_account_invoice"), accountant.trans_implied_ids)
        self.assertNotIn(director, manager.trans_implied_ids)
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group(f"{MODULE}.group_sales_director"))

    def test_every_module_model_has_access_rules(self):
        own = self.env["ir.model.data"].search(
            [("module", "=", MODULE), ("model", "=", "ir.model")]
        )
        # abstract models (the attribution engine, report models) have no records to guard
        own_models = (
            self.env["ir.model"]
            .browse(own.mapped("res_id"))
            .filtered(lambda m: not self.env[m.model]._abstract)
        )
        self.assertGreaterEqual(len(own_models), 20, "the module declares its own models")
        access = self.env["ir.model.access"].search([("model_id", "in", own_models.ids)])
        missing = own_models - access.model_id
        self.assertFalse(
            missing, f"models without a line in ir.model.access.csv: {missing.mapped('model')}"
        )
        # Every model is readable by somebody of the module's groups (or internal users).
        for model in own_models:
            groups = access.filtered(lambda a, m=model: a.model_id == m and a.perm_read)
            self.assertTrue(groups, f"{model.model} is readable by no group")

    def test_top_menu(self):
        root = self.env.ref(f"{MODULE}.menu_account_management_root")
        self.assertEqual(root.name, "Account Management")
        self.assertFalse(root.parent_id)
        self.assertIn(self.env.ref(f"{MODULE}.group_account_manager"), root.groups_id)

    def test_app_icon(self):
        """The app icon: an SVG in Odoo 18's style (flat shapes on a 50-unit square, no
        tile) and the PNG rendered from it at 128 x 128 that the menu and the Apps list
        show."""
        module = self.env["ir.module.module"].search([("name", "=", MODULE)])
        self.assertEqual(module.icon, f"/{MODULE}/static/description/icon.png")
        root = self.env.ref(f"{MODULE}.menu_account_management_root")
        self.assertEqual(root.web_icon, f"{MODULE},static/description/icon.png")
        with file_open(f"{MODULE}/static/description/icon.png", "rb") as handle:
            png = handle.read()
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", png[16:24])
        self.assertEqual((width, height), (128, 128))
        with file_open(f"{MODULE}/static/description/icon.svg") as handle:
            svg = etree.fromstring(handle.read().encode())
        self.assertEqual(svg.get("viewBox"), "0 0 50 50")
        fills = {node.get("fill") for node in svg.iter() if node.get("fill")}
        self.assertTrue(fills <= {"#985184", "#FBB945", "#FC868B", "#F86126"}, fills)

    def test_default_tiers_cadence(self):
        tiers = self.env["account.manager.tier"].search([("company_id", "=", False)])
        self.assertEqual(
            {t.code: t.checkin_cadence_days for t in tiers},
            {"KEY": 14, "STR": 21, "STD": 30, "SML": 90},
        )
