"""Two directors closing the same quota period at once: one succeeds, the other is told."""

from datetime import date

from odoo import SUPERUSER_ID
from odoo import api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase
from odoo.tests import get_db_name
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestConcurrentClose(BaseCase):
    """Runs on committed data with real, separate database cursors (and cleans up)."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            user = env["res.users"].create(
                {
                    "name": "Concurrent AM",
                    "login": "concurrent_am",
                    "groups_id": [
                        (6, 0, env.ref("account_manager_suite.group_account_manager").ids)
                    ],
                }
            )
            quota = env["account.manager.quota"].create(
                {
                    "user_id": user.id,
                    "target": 1000.0,
                    "period_type": "quarter",
                    "date_from": date(2024, 1, 1),
                    "date_to": date(2024, 3, 31),
                }
            )
            self.user_id, self.quota_id = user.id, quota.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["account.manager.performance.event"].search(
                [("user_id", "=", self.user_id)]
            ).unlink()
            quota = env["account.manager.quota"].browse(self.quota_id)
            quota.activity_ids.unlink()
            quota.write({"state": "open"})
            quota.unlink()
            env["res.users"].browse(self.user_id).unlink()

    def test_two_cursors_close_the_same_period(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            env1["account.manager.quota"].browse(self.quota_id).action_close()
            with self.assertRaisesRegex(UserError, "Someone else is closing"):
                env2["account.manager.quota"].browse(self.quota_id).action_close()
            cr2.rollback()
            cr1.commit()
            with self.assertRaisesRegex(UserError, "already closed"):
                env2["account.manager.quota"].browse(self.quota_id).action_close()
            cr2.rollback()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            quota = env["account.manager.quota"].browse(self.quota_id)
            self.assertEqual(quota.state, "closed")
            self.assertEqual(quota.actual_amount, 0.0)
