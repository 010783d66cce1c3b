"""The benchmark's own test (``make bench-test``, tools/bench_test.sh): its data set is
what the ORM writes, and the module's attainment of every manager equals the plain SQL
floor over the same ledger.

It lives with the benchmark, not in the addon (whose tests must run where the addon is
deployed without this repository), and runs with pytest-odoo against a database holding
the module, as the addon's suite does: ``make bench-test [BENCH_TEST_DB=…]``.
"""

import sys
from pathlib import Path

from odoo.tests import TransactionCase
from odoo.tests import tagged

# the benchmark's modules, beside this file (as python tools/benchmark imports them)
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_data
import bench_measure


@tagged("post_install", "-at_install")
class TestBenchmarkSmoke(TransactionCase):
    def test_smoke_run_at_size_s(self):
        built = bench_data.build(self.env, "S")
        self.assertEqual(len(built["managers"]), 20)
        self.assertEqual(len(built["customers"]), 2000)
        self.env.cr.execute(
            "SELECT COUNT(*) FROM account_move_line aml JOIN account_move am ON am.id = "
            "aml.move_id JOIN res_partner p ON p.id = am.partner_id WHERE p.name LIKE "
            "'Bench Customer%%' AND aml.display_type = 'product'"
        )
        self.assertGreaterEqual(self.env.cr.fetchone()[0], 50_000)

        # the copies hold exactly the rows the ORM posts for the same documents
        self.assertEqual(bench_data.verify(self.env), [])

        steps = bench_measure.run(self.env, "S", oca=False, append=False)
        # (a) equals (e), manager by manager, and there is revenue to compare
        self.assertEqual(steps["a"].mismatches, [])
        self.assertEqual(len(steps["a"].revenue), 20)
        self.assertGreater(sum(steps["a"].revenue.values()), 0)
        # a fixed number of queries for the quarter, whatever the number of invoices
        self.assertLess(steps["a"].queries, 40)
        self.assertLess(steps["b"].queries, 60)
        self.assertLess(steps["c"].queries, 80)
        # (g) one invoice queued: its manager's quarter again, the same total as (b)
        self.assertTrue(steps["g"].same_total, steps["g"].note)
        # the write floor of (b) writes as many rows as (b) (and is rolled back: the lines
        # below are one per invoice line)
        self.assertEqual(steps["w"].rows, steps["b"].rows)
        self.assertGreater(steps["w"].rows, 0)
        self.assertLess(steps["g"].queries, 60)
        # the flat 5 % plan: commission = 5 % of each line, rounded per line
        lines = self.env["account.manager.commission.line"].search(
            [("date_from", "=", built["quarter"][0])]
        )
        # there are lines to check (a computation that wrote none would pass the loop
        # below): one per invoice line, and 5 % of the quarter's revenue in all, to within
        # the rounding of each line (half a cent a line)
        self.assertGreater(len(lines), 1000)
        self.assertEqual(len(lines), len(lines.move_line_id))
        revenue = sum(steps["a"].revenue.values())
        self.assertLessEqual(abs(sum(lines.mapped("amount")) - 0.05 * revenue), 0.005 * len(lines))
        for line in lines[:200]:
            self.assertAlmostEqual(line.amount, round(-line.move_line_id.balance * 0.05, 2))
