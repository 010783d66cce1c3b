"""The health score as a pure function: signals in, score and reasons out, no database."""

import doctest
import os
import unittest

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from odoo.addons.account_manager_suite.health import scoring
from odoo.addons.account_manager_suite.health.scoring import Signals
from odoo.addons.account_manager_suite.health.scoring import score

# hypothesis examples per property: a tenth under mutmut (make mutate runs them once per
# mutant, the exact tests are the ones meant to kill the mutants)
EXAMPLES = 20 if "MUTANT_UNDER_TEST" in os.environ else 200
# mutmut runs the suite more than once in one process, each time with a new TestCase
# instance (the properties use nothing of ``self``)
SUPPRESSED = [HealthCheck.too_slow, HealthCheck.differing_executors]

# the company's default weights (res_company.HEALTH_WEIGHT_FIELDS)
WEIGHTS = {
    "overdue": 20,
    "dso": 15,
    "credit_notes": 10,
    "trend": 15,
    "checkin": 10,
    "risk": 15,
    "satisfaction": 15,
}
amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False)
signals = st.builds(
    Signals,
    invoiced=amounts,
    refunded=amounts,
    open_amount=amounts,
    overdue=amounts,
    this_year=amounts,
    last_year=amounts,
    days_late=st.integers(min_value=0, max_value=5000),
    cadence_days=st.integers(min_value=1, max_value=365),
    at_risk=st.booleans(),
    satisfaction_gap=st.none() | st.floats(min_value=0, max_value=1),
)
weights = st.fixed_dictionaries({key: st.integers(min_value=0, max_value=100) for key in WEIGHTS})


class TestHealthScoring(unittest.TestCase):
    def test_doctest(self):
        self.assertEqual(doctest.testmod(scoring).failed, 0)

    def test_the_books_of_test_health(self):
        # the account of test_health.py: 61 points, four reasons
        health = score(
            Signals(
                invoiced=13000.0,
                refunded=1000.0,
                open_amount=4000.0,
                overdue=1000.0,
                this_year=12000.0,
                last_year=8000.0,
                at_risk=True,
            ),
            WEIGHTS,
        )
        self.assertEqual((health.score, health.state), (61, "watch"))
        self.assertEqual(
            [(reason.key, round(reason.points, 2)) for reason in health.reasons],
            [("overdue", 5.0), ("dso", 15.0), ("credit_notes", 3.85), ("risk", 15.0)],
        )
        self.assertEqual(health.reasons[0].figures, {"overdue": 1000.0, "open": 4000.0})
        self.assertAlmostEqual(health.reasons[1].figures["dso"], 4000.0 / 12000.0 * 365)

    def test_no_signal_is_a_full_score(self):
        health = score(Signals(invoiced=500.0, this_year=500.0), WEIGHTS)
        self.assertEqual((health.score, health.state, health.reasons), (100, "good", []))

    def test_open_receivables_without_revenue_cost_the_whole_dso_weight(self):
        health = score(Signals(open_amount=100.0), WEIGHTS)
        # nothing overdue: the overdue signal is 0 and costs no point
        self.assertEqual(
            [(r.key, r.points, r.figures) for r in health.reasons], [("dso", 15.0, {"dso": None})]
        )
        self.assertEqual((health.score, health.state), (85, "good"))

    def test_states_at_their_bounds(self):
        self.assertEqual(
            [scoring.state_of(s) for s in (100, 70, 69, 40, 39, 0)],
            ["good", "good", "watch", "watch", "critical", "critical"],
        )

    def reason(self, key, **signals):
        """The points and figures of the reason ``key`` with that signal's weight only
        (its points are 100 x its value), or None when it cost nothing."""
        reasons = score(Signals(**signals), {key: 1}).reasons
        self.assertLessEqual(len(reasons), 1)
        return (round(reasons[0].points, 9), reasons[0].figures) if reasons else None

    def test_each_signal_at_its_bounds(self):
        r = self.reason
        self.assertEqual(
            r("overdue", open_amount=1000.0, overdue=250.0),
            (25.0, {"overdue": 250.0, "open": 1000.0}),
        )
        self.assertIsNone(r("overdue", overdue=250.0))  # nothing open: no signal
        # DSO: open / (invoiced - refunded) x 365; from 30 days (0) to 90 days (1)
        for open_amount, points in ((3000.0, None), (6000.0, 50.0), (9000.0, 100.0), (12e3, 100.0)):
            got = r("dso", invoiced=36600.0, refunded=100.0, open_amount=open_amount)
            self.assertEqual(got and got[0], points, open_amount)
        self.assertEqual(r("dso", invoiced=36500.0, open_amount=6000.0)[1], {"dso": 60.0})
        self.assertEqual(
            r("dso", invoiced=100.0, refunded=100.0, open_amount=1.0), (100.0, {"dso": None})
        )
        # credit notes: 20 % of the invoiced is the worst
        self.assertEqual(
            r("credit_notes", invoiced=10000.0, refunded=1000.0), (50.0, {"ratio": 0.1})
        )
        self.assertEqual(r("credit_notes", invoiced=10000.0, refunded=3000.0)[0], 100.0)
        self.assertIsNone(r("credit_notes", refunded=3000.0))
        # the trend: a drop of half of last year's is the worst; no drop, no signal
        self.assertEqual(
            r("trend", this_year=750.0, last_year=1000.0),
            (50.0, {"drop": 0.25, "now": 750.0, "then": 1000.0}),
        )
        self.assertEqual(r("trend", this_year=100.0, last_year=1000.0)[0], 100.0)
        self.assertIsNone(r("trend", this_year=1000.0, last_year=1000.0))
        self.assertIsNone(r("trend", this_year=0.0, last_year=0.0))
        # the check-in: a whole cadence late is the worst
        self.assertEqual(r("checkin", days_late=15, cadence_days=30), (50.0, {"days": 15}))
        self.assertEqual(r("checkin", days_late=2, cadence_days=0)[0], 100.0)  # at least 1 day
        self.assertIsNone(r("checkin", days_late=0, cadence_days=30))
        self.assertEqual(r("risk", at_risk=True), (100.0, {}))
        self.assertIsNone(r("risk"))
        self.assertEqual(
            r("satisfaction", satisfaction_gap=0.4, assessment={"satisfaction": "3"}),
            (40.0, {"satisfaction": "3"}),
        )
        self.assertEqual(r("satisfaction", satisfaction_gap=1.5)[0], 100.0)
        self.assertIsNone(r("satisfaction", satisfaction_gap=0.0))
        self.assertIsNone(r("satisfaction"))

    def test_the_score_rounds_half_up_and_weighs_each_signal(self):
        # 37.5 points lost of the overdue weight alone: 62.5 is 63 (not 62, half to even)
        health = score(Signals(open_amount=1000.0, overdue=375.0), {"overdue": 1})
        self.assertEqual((health.score, health.state), (63, "watch"))
        # weights 1 and 3: the overdue signal 0.5 costs 12.5 points, the risk 75
        health = score(Signals(open_amount=1000.0, overdue=500.0, at_risk=True),
                       {"overdue": 1, "risk": 3})  # fmt: skip
        self.assertEqual(
            [(x.key, x.points) for x in health.reasons], [("overdue", 12.5), ("risk", 75.0)]
        )
        self.assertEqual((health.score, health.state), (13, "critical"))  # 12.5 is 13
        self.assertEqual((scoring._half_up(2.345, 2), scoring._half_up(-0.5)), (2.35, -1.0))
        self.assertEqual([scoring._clamp(v) for v in (-0.5, 0.3, 1.5)], [0.0, 0.3, 1.0])

    def test_zero_weights_cost_nothing(self):
        health = score(
            Signals(open_amount=100.0, overdue=100.0, at_risk=True), dict.fromkeys(WEIGHTS, 0)
        )
        self.assertEqual((health.score, health.reasons), (100, []))

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SUPPRESSED)
    @given(signals, weights)
    def test_score_is_within_0_and_100_and_the_reasons_add_up(self, signal, weight):
        health = score(signal, weight)
        self.assertTrue(0 <= health.score <= 100)
        self.assertEqual(health.state, scoring.state_of(health.score))
        lost = sum(reason.points for reason in health.reasons)
        self.assertLessEqual(abs(100 - lost - health.score), 0.5 + 1e-9)
        self.assertTrue(all(reason.points > 0 for reason in health.reasons))
        keys = [reason.key for reason in health.reasons]
        self.assertEqual(keys, [key for key in scoring.KEYS if key in keys])

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SUPPRESSED)
    @given(signals, weights)
    def test_flagging_at_risk_never_raises_the_score(self, signal, weight):
        flagged = Signals(**{**signal.__dict__, "at_risk": True})
        unflagged = Signals(**{**signal.__dict__, "at_risk": False})
        self.assertLessEqual(score(flagged, weight).score, score(unflagged, weight).score)
