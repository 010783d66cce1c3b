"""Periods that must not overlap, written by two transactions at once with real database
cursors: PostgreSQL's exclusion constraints let one commit and give the other the clear
message, where a Python check would have let both through (neither sees the other's
uncommitted row)."""

import threading
import time
from contextlib import closing
from datetime import date

import psycopg2.errors

from odoo import SUPERUSER_ID
from odoo import api
from odoo import sql_db
from odoo.exceptions import ValidationError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase
from odoo.tests import get_db_name
from odoo.tests import tagged
from odoo.tools import SQL

from .test_concurrency import create_account_manager


@tagged("post_install", "-at_install")
class TestConcurrentPeriods(BaseCase):
    """Runs on committed data with real, separate database cursors (and cleans up)."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            user = create_account_manager(env, "Guarded AM", "guarded_am")
            partner = env["res.partner"].create({"name": "Guarded Account", "is_company": True})
            plan = env["account.manager.commission.plan"].create(
                {"name": "Guarded plan", "base_rate": 5.0}
            )
            self.user_id, self.partner_id, self.plan_id = user.id, partner.id, plan.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["account.manager.quota"].search([("user_id", "=", self.user_id)]).unlink()
            env["account.manager.commission.plan"].browse(self.plan_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()
            env["res.users"].browse(self.user_id).unlink()

    def race(self, write):
        """``write(env, first)`` in two transactions at once: both begin, the first
        writes, the second writes while the first has not committed yet (it waits on the
        database), then the first commits. Return the second's error message, if any."""
        errors, backend = [], []
        began = threading.Event()

        def second():
            with self.registry.cursor() as cr2:
                env2 = api.Environment(cr2, SUPERUSER_ID, {})
                cr2.execute("SELECT pg_backend_pid()")  # its snapshot: before the first commits
                backend.append(cr2.fetchone()[0])
                began.set()
                try:
                    write(env2, first=False)
                except ValidationError as error:
                    errors.append(str(error))
                    cr2.rollback()

        with self.registry.cursor() as cr1:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            cr1.execute("SELECT 1")
            thread = threading.Thread(target=second)
            write(env1, first=True)
            thread.start()
            self.assertTrue(began.wait(30))
            self.wait_for_lock(backend[0], thread)  # the second waits on the database
            cr1.commit()
        thread.join(60)
        self.assertFalse(thread.is_alive())
        return errors

    def wait_for_lock(self, pid, thread, timeout=30.0):
        """Until the backend ``pid`` waits on a lock (the first's uncommitted row), or its
        thread is done (it did not wait: the test's assertions then fail), polled from a
        connection of its own (a transaction sees one snapshot of pg_stat_activity), in
        place of a fixed pause that was either too long or, under load, too short."""
        deadline = time.monotonic() + timeout
        with closing(sql_db.db_connect(get_db_name()).cursor()) as cr:
            while time.monotonic() < deadline and thread.is_alive():
                cr.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
                waiting = cr.fetchone()
                cr.rollback()
                if waiting and waiting[0] == "Lock":
                    return
                time.sleep(0.02)

    def count_overlaps(self, table, columns):
        same = SQL(" AND ").join(
            SQL("b.%s = a.%s", SQL.identifier(column), SQL.identifier(column)) for column in columns
        )
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    """
                    SELECT COUNT(*) FROM %(table)s a JOIN %(table)s b ON %(same)s AND a.id < b.id
                     AND daterange(a.date_from, a.date_to, '[]')
                      && daterange(b.date_from, b.date_to, '[]')
                    """,
                    table=SQL.identifier(table),
                    same=same,
                )
            )
            return cr.fetchone()[0]

    def test_two_cursors_insert_overlapping_quotas(self):
        def write(env, first):
            env["account.manager.quota"].create(
                {
                    "user_id": self.user_id,
                    "target": 1000.0 if first else 2000.0,
                    "period_type": "quarter",
                    "date_from": date(2024, 1, 1),
                    "date_to": date(2024, 3, 31),
                }
            )

        errors = self.race(write)
        self.assertEqual(len(errors), 1)
        self.assertRegex(errors[0], "Guarded AM already has a quarter quota overlapping 2024-01-01")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            quotas = env["account.manager.quota"].search([("user_id", "=", self.user_id)])
            self.assertEqual(quotas.mapped("target"), [1000.0])
        self.assertEqual(
            self.count_overlaps("account_manager_quota", ["user_id", "period_type", "company_id"]),
            0,
        )

    def test_two_cursors_insert_overlapping_plan_assignments(self):
        def write(env, first):
            env["account.manager.commission.assignment"].create(
                {
                    "plan_id": self.plan_id,
                    "user_id": self.user_id,
                    "date_from": date(2024, 1, 1) if first else date(2024, 3, 1),
                }
            )

        errors = self.race(write)
        self.assertEqual(len(errors), 1)
        self.assertRegex(errors[0], "Guarded AM already has a commission plan on some of these")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            assignments = env["account.manager.commission.assignment"].search(
                [("user_id", "=", self.user_id)]
            )
            self.assertEqual(assignments.mapped("date_from"), [date(2024, 1, 1)])
        self.assertEqual(
            self.count_overlaps("account_manager_commission_assignment", ["user_id", "company_id"]),
            0,
        )

    def test_two_cursors_insert_overlapping_ownership_periods(self):
        def write(env, first):
            # the history writer's own insert, as two writers would issue it at once
            env["account.manager.ownership"].with_context(_ams_history_written=True).create(
                {
                    "partner_id": self.partner_id,
                    "user_id": self.user_id,
                    "date_from": date(2024, 1, 1) if first else date(2024, 5, 1),
                    "reason": "initial",
                }
            )

        errors = self.race(write)
        self.assertEqual(len(errors), 1)
        self.assertRegex(errors[0], "Ownership periods of Guarded Account overlap")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            periods = env["account.manager.ownership"].search(
                [("partner_id", "=", self.partner_id)]
            )
            self.assertEqual(periods.mapped("date_from"), [date(2024, 1, 1)])
        self.assertEqual(self.count_overlaps("account_manager_ownership", ["partner_id"]), 0)

    def test_two_managers_given_the_same_account_at_once_through_the_writer(self):
        """Two directors hand the same account over at the same time through the one
        writer of the history (``res.partner._set_account_manager``): it locks the account,
        so the second waits for the first; once the first commits, the second is refused
        (the serialization failure Odoo retries, or the overlap the database guards), and
        the history holds one owner at a time."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            other = create_account_manager(env, "Guarded AM 2", "guarded_am_2")
            self.addCleanup(self._unlink_user, other.id)
        owners = {True: self.user_id, False: other.id}
        refused = []

        def write(env, first):
            partner = env["res.partner"].browse(self.partner_id)
            user = env["res.users"].browse(owners[first])
            try:
                partner._set_account_manager(user, date(2024, 1, 1), reason="initial", force=True)
                env.flush_all()
            except (ValidationError, psycopg2.errors.SerializationFailure) as error:
                refused.append(type(error).__name__)
                env.cr.rollback()
                raise ValidationError(str(error)) from error

        errors = self.race(write)
        self.assertEqual(len(errors), 1, refused)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            periods = env["account.manager.ownership"].search(
                [("partner_id", "=", self.partner_id)]
            )
            # the first writer's owner, from the first day, alone
            self.assertEqual(
                [(p.user_id.id, p.date_from, p.date_to) for p in periods],
                [(self.user_id, date(2024, 1, 1), False)],
            )
            self.assertEqual(
                env["res.partner"].browse(self.partner_id).account_manager_id.id, self.user_id
            )
        self.assertEqual(self.count_overlaps("account_manager_ownership", ["partner_id"]), 0)

    def _unlink_user(self, user_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["account.manager.ownership"].search([("user_id", "=", user_id)]).unlink()
            env["res.users"].browse(user_id).unlink()
