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

    def test_zero_weights_cost_nothing(self):
        health = score(
            Signals(open_amount=100.0, overdue=100.0, at_risk=True), dict.fromkeys(WEIGHTS, 0)
        )
        self.assertEqual((health.score, health.reasons), (100, []))

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(signals, weights)
    def test_flagging_at_risk_never_raises_the_score(self, signal, weight):
        flagged = Signals(**{**signal.__dict__, "at_risk": True})
        unflagged = Signals(**{**signal.__dict__, "at_risk": False})
        self.assertLessEqual(score(flagged, weight).score, score(unflagged, weight).score)
