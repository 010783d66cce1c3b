"""The health score of an account: signals in, score and reasons out.

Plain Python without Odoo, tested without a database (tests/test_health_scoring.py). Each
signal is a value between 0 (fine) and 1 (worst); the score is 100 minus the weighted share
of the signals. The reasons name each signal that cost points, with the figures it was
computed from; putting them into words (labels, money, dates) is the caller's job.

>>> result = score(Signals(open_amount=1000.0, overdue=250.0, invoiced=12000.0), {"overdue": 1})
>>> result.score, result.state, [(r.key, r.points) for r in result.reasons]
(75, 'good', [('overdue', 25.0)])
"""

from dataclasses import dataclass
from dataclasses import field
from decimal import ROUND_HALF_UP
from decimal import Decimal

# the signals, in the order their reasons are listed
KEYS = ("overdue", "dso", "credit_notes", "trend", "checkin", "risk", "satisfaction")
# the score from which an account is healthy, or to watch (below: critical)
GOOD, WATCH = 70, 40


@dataclass(frozen=True)
class Signals:
    """What the books and the chatter say about one account.

    :param invoiced: revenue invoiced in the last 12 months
    :param refunded: credit notes of the last 12 months (a positive amount)
    :param open_amount: open receivables today
    :param overdue: the part of them past due
    :param this_year: revenue of the year to date
    :param last_year: revenue of the same period last year
    :param days_late: days the check-in is late (0: not late)
    :param cadence_days: the account's check-in cadence
    :param at_risk: flagged at risk by its account manager
    :param satisfaction_gap: how far the last assessment of the last 12 months is from
        ideal, 0 to 1 (None: not assessed)
    :param assessment: the figures of that assessment, passed on to its reason
    """

    invoiced: float = 0.0
    refunded: float = 0.0
    open_amount: float = 0.0
    overdue: float = 0.0
    this_year: float = 0.0
    last_year: float = 0.0
    days_late: int = 0
    cadence_days: int = 1
    at_risk: bool = False
    satisfaction_gap: float | None = None
    assessment: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Reason:
    """A signal that cost points: its key (one of ``KEYS``), the points it cost and the
    figures behind it (e.g. ``{"dso": 121.7}``)."""

    key: str
    points: float
    figures: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Health:
    score: int
    state: str
    reasons: list


def score(signals, weights):
    """The health of an account from its ``signals`` and the company's ``weights`` (a
    weight, zero or positive, per key of ``KEYS``; missing keys weigh nothing)."""
    total = sum(weights.get(key, 0) for key in KEYS)
    lost, reasons = 0.0, []
    for key, (value, figures) in _signal_values(signals).items():
        points = 100.0 * weights.get(key, 0) * value / total if total else 0.0
        if points > 0:
            lost += points
            reasons.append(Reason(key, points, figures))
    result = int(_half_up(100.0 - lost))
    return Health(result, state_of(result), reasons)


def state_of(result):
    return "good" if result >= GOOD else "watch" if result >= WATCH else "critical"


def _signal_values(s):
    """Each signal present, as (value between 0 and 1, figures), in the order of KEYS."""
    values = {}
    revenue = s.invoiced - s.refunded
    if s.open_amount > 0:
        values["overdue"] = (
            _clamp(s.overdue / s.open_amount),
            {"overdue": s.overdue, "open": s.open_amount},
        )
        if revenue > 0:
            dso = s.open_amount / revenue * 365
            values["dso"] = (_clamp((dso - 30) / 60), {"dso": dso})
        else:
            values["dso"] = (1.0, {"dso": None})
    if s.invoiced > 0 and s.refunded > 0:
        ratio = s.refunded / s.invoiced
        values["credit_notes"] = (_clamp(ratio / 0.2), {"ratio": ratio})
    if s.last_year > 0 and s.this_year < s.last_year:
        change = (s.this_year - s.last_year) / s.last_year
        values["trend"] = (
            _clamp(-change / 0.5),
            {"drop": -change, "now": s.this_year, "then": s.last_year},
        )
    if s.days_late > 0:
        values["checkin"] = (
            _clamp(s.days_late / max(s.cadence_days, 1)),
            {"days": s.days_late},
        )
    if s.at_risk:
        values["risk"] = (1.0, {})
    if s.satisfaction_gap is not None:
        values["satisfaction"] = (_clamp(s.satisfaction_gap), dict(s.assessment))
    return values


def _clamp(value):
    return min(1.0, max(0.0, value))


def _half_up(value, digits=0):
    """``value`` rounded half away from zero at ``digits`` decimals, from its shortest
    decimal representation (as people would round the figure they read)."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))
