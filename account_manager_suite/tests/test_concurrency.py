"""Two transactions at once on the same records, with real database cursors: closing a
quota period, billing a settlement, computing and settling a period's commissions."""

from datetime import date

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID
from odoo import api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase
from odoo.tests import get_db_name
from odoo.tests import tagged


def create_account_manager(env, name, login):
    return env["res.users"].create(
        {
            "name": name,
            "login": login,
            "groups_id": [(6, 0, env.ref("account_manager_suite.group_account_manager").ids)],
        }
    )


def configure_commission_books(env):
    """Give the company a commission expense account, an accrued-commissions account and
    an accrual journal; return what it had, to write back when the test cleans up."""
    company = env.company
    Account = env["account.account"]
    fields = (
        "ams_commission_expense_account_id",
        "ams_commission_accrual_account_id",
        "ams_commission_journal_id",
    )
    old = {name: company[name].id for name in fields}
    company.write(
        {
            "ams_commission_expense_account_id": Account.search(
                [("account_type", "=", "expense")], limit=1
            ).id,
            "ams_commission_accrual_account_id": Account.search(
                [("account_type", "=", "liability_current")], limit=1
            ).id,
            "ams_commission_journal_id": env["account.journal"]
            .search([("type", "=", "general"), ("company_id", "=", company.id)], limit=1)
            .id,
        }
    )
    return old


@tagged("post_install", "-at_install")
class TestConcurrentClose(BaseCase):
    """Runs on committed data with real, separate database cursors (and cleans up)."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            user = create_account_manager(env, "Concurrent AM", "concurrent_am")
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


@tagged("post_install", "-at_install")
class TestConcurrentSettlement(BaseCase):
    """Two commission accountants billing the same settlement at once: one bill only."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.company
            self.old_config = configure_commission_books(env)
            user = create_account_manager(env, "Concurrent Earner", "concurrent_earner")
            plan = env["account.manager.commission.plan"].create(
                {"name": "Concurrent plan", "base_rate": 5.0}
            )
            settlement = env["account.manager.commission.settlement"].create(
                {
                    "user_id": user.id,
                    "date_from": date(2024, 1, 1),
                    "date_to": date(2024, 3, 31),
                    "company_id": company.id,
                    "state": "approved",
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "user_id": user.id,
                                "plan_id": plan.id,
                                "date_from": date(2024, 1, 1),
                                "date_to": date(2024, 3, 31),
                                "rule_type": "bonus",
                                "amount": 250.0,
                                "company_id": company.id,
                            },
                        )
                    ],
                }
            )
            self.ids = {"user": user.id, "plan": plan.id, "settlement": settlement.id}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            user = env["res.users"].browse(self.ids["user"])
            moves = env["account.move"].search([("partner_id", "=", user.partner_id.id)]) | (
                env["account.move"].search([("line_ids.partner_id", "=", user.partner_id.id)])
            )
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            settlement = env["account.manager.commission.settlement"].browse(self.ids["settlement"])
            # settled lines are locked against deletion: remove the fixture in SQL
            cr.execute(
                "DELETE FROM account_manager_commission_line WHERE settlement_id = %s",
                (settlement.id,),
            )
            settlement.invalidate_recordset()
            settlement.unlink()
            env["account.manager.commission.plan"].browse(self.ids["plan"]).unlink()
            user.unlink()
            env.company.write(self.old_config)

    def test_two_cursors_bill_the_same_settlement(self):
        Settlement = "account.manager.commission.settlement"
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            env1[Settlement].browse(self.ids["settlement"]).action_create_bill()
            with self.assertRaisesRegex(UserError, "Someone else is settling"):
                env2[Settlement].browse(self.ids["settlement"]).action_create_bill()
            cr2.rollback()
            cr1.commit()
            with self.assertRaisesRegex(UserError, "billed already"):
                env2[Settlement].browse(self.ids["settlement"]).action_create_bill()
            cr2.rollback()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            user = env["res.users"].browse(self.ids["user"])
            bills = env["account.move"].search(
                [("move_type", "=", "in_invoice"), ("partner_id", "=", user.partner_id.id)]
            )
            self.assertEqual(len(bills), 1)
            self.assertEqual(bills.amount_total, 250.0)


@tagged("post_install", "-at_install")
class TestConcurrentCommissions(BaseCase):
    """The queue job computing a manager's commissions while a settlement of the same
    period is proposed: never the same period's lines twice."""

    Q1 = (date(2024, 1, 1), date(2024, 3, 31))
    Line = "account.manager.commission.line"
    Settlement = "account.manager.commission.settlement"

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.old_config = configure_commission_books(env)
            user = create_account_manager(env, "Concurrent Owner", "concurrent_owner")
            plan = env["account.manager.commission.plan"].create(
                {
                    "name": "Concurrent 5%",
                    "base_rate": 5.0,
                    "assignment_ids": [(0, 0, {"user_id": user.id, "date_from": self.Q1[0]})],
                }
            )
            customer = env["res.partner"].create({"name": "Concurrent Customer", "is_company": 1})
            customer._set_account_manager(user, self.Q1[0], reason="initial", force=True)
            quota = env["account.manager.quota"].create(
                {
                    "user_id": user.id,
                    "target": 2000.0,
                    "period_type": "quarter",
                    "date_from": self.Q1[0],
                    "date_to": self.Q1[1],
                }
            )
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": date(2024, 2, 10),
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "Consulting",
                                "quantity": 1,
                                "price_unit": 1000.0,
                                "tax_ids": [(5, 0, 0)],
                                "account_id": env["account.account"]
                                .search([("account_type", "=", "income")], limit=1)
                                .id,
                            },
                        )
                    ],
                }
            )
            invoice.action_post()
            quota.action_close()
            self.assertTrue(invoice.ams_commission_pending)
            self.ids = {
                "user": user.id,
                "plan": plan.id,
                "customer": customer.id,
                "quota": quota.id,
                "invoice": invoice.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            user = env["res.users"].browse(self.ids["user"])
            settlements = env["account.manager.commission.settlement"].search(
                [("user_id", "=", user.id)]
            )
            moves = settlements.accrual_move_id | env["account.move"].browse(self.ids["invoice"])
            moves.filtered(lambda m: m.state == "posted").button_draft()
            # the lines, settled or not, and the settlements: the fixture goes in SQL
            cr.execute("DELETE FROM account_manager_commission_line WHERE user_id = %s", (user.id,))
            cr.execute(
                "DELETE FROM account_manager_commission_settlement WHERE user_id = %s", (user.id,)
            )
            env.invalidate_all()
            moves.with_context(force_delete=True).unlink()
            env["account.manager.performance.event"].search([("user_id", "=", user.id)]).unlink()
            quota = env["account.manager.quota"].browse(self.ids["quota"])
            quota.activity_ids.unlink()
            quota.write({"state": "open"})
            quota.unlink()
            env["account.manager.commission.plan"].browse(self.ids["plan"]).unlink()
            customer = env["res.partner"].browse(self.ids["customer"])
            env["account.manager.ownership"].search([("partner_id", "=", customer.id)]).unlink()
            customer.unlink()
            user.unlink()
            env.company.write(self.old_config)

    def assertPaidOnce(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            lines = env["account.manager.commission.line"].search(
                [("user_id", "=", self.ids["user"])]
            )
            self.assertEqual([(line.rule_type, line.amount) for line in lines], [("base", 50.0)])
            settlement = env["account.manager.commission.settlement"].search(
                [("user_id", "=", self.ids["user"])]
            )
            self.assertEqual(len(settlement), 1)
            self.assertEqual(settlement.amount_total, 50.0)
            self.assertEqual(settlement.line_ids, lines)

    def test_queue_job_and_settlement_proposal_at_once(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            env1[self.Line]._cron_recompute_changed_invoices()
            with self.assertRaisesRegex(UserError, "being computed by someone else"):
                env2[self.Settlement]._propose(*self.Q1)
            cr2.rollback()
            cr1.commit()
            env2.invalidate_all()
            env2[self.Settlement]._propose(*self.Q1)
            cr2.commit()
        self.assertPaidOnce()

    def test_proposal_started_before_the_queue_job_committed(self):
        """The proposal's transaction saw the ledger before the job's lines were committed:
        it fails to serialize (Odoo retries such a request) instead of adding the period's
        lines a second time, and succeeds when retried."""
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            self.assertFalse(env2[self.Line].search([("user_id", "=", self.ids["user"])]))
            env1[self.Line]._cron_recompute_changed_invoices()
            cr1.commit()
            with self.assertRaises(SerializationFailure):
                env2[self.Settlement]._propose(*self.Q1)
            cr2.rollback()
            env2.invalidate_all()
            env2[self.Settlement]._propose(*self.Q1)
            cr2.commit()
        self.assertPaidOnce()

    def test_queue_job_steps_aside_while_a_settlement_is_proposed(self):
        """The job finds the manager busy: it leaves the invoice queued and comes back in
        a minute, without an error; the proposal computed the period itself."""
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            env2[self.Settlement]._propose(*self.Q1)
            cron = env1.ref("account_manager_suite.ir_cron_recompute_changed_invoices")
            triggers = env1["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
            env1[self.Line]._cron_recompute_changed_invoices()
            self.assertTrue(env1["account.move"].browse(self.ids["invoice"]).ams_commission_pending)
            self.assertEqual(
                env1["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1
            )
            cr1.commit()
            cr2.commit()
            # its next run finds the period settled: nothing is added
            env1.invalidate_all()
            env1[self.Line]._cron_recompute_changed_invoices()
            self.assertFalse(
                env1["account.move"].browse(self.ids["invoice"]).ams_commission_pending
            )
            cr1.commit()
        self.assertPaidOnce()

    def test_queue_job_started_before_a_proposal_committed(self):
        """The job's transaction saw the ledger before a proposal of the same period was
        committed: it leaves the invoice queued, quietly, and its next run adds nothing."""
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            self.assertTrue(env1["account.move"].browse(self.ids["invoice"]).ams_commission_pending)
            env2[self.Settlement]._propose(*self.Q1)
            cr2.commit()
            with self.assertNoLogs("odoo.sql_db", "ERROR"):
                env1[self.Line]._cron_recompute_changed_invoices()
            self.assertTrue(env1["account.move"].browse(self.ids["invoice"]).ams_commission_pending)
            cr1.rollback()
            env1.invalidate_all()
            env1[self.Line]._cron_recompute_changed_invoices()
            self.assertFalse(
                env1["account.move"].browse(self.ids["invoice"]).ams_commission_pending
            )
            cr1.commit()
        self.assertPaidOnce()
