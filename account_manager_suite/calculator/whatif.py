"""What-if figures for the manager, from the same calculator.

``what_if(period, rows)``: the commission the rows (a quotation's lines) would add to
the period if invoiced in it, with the attainment and the standard rate before and
after (the rate the plan states: the tier reached, or the base rate).
``next_steps(period)``: the revenue left to the next tier and to the next
bonus, and what each further ``step`` of standard revenue earns.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .data import Row
from .engine import DEFAULT_CALCULATOR
from .engine import decimal_of
from .tiers import linear_rate
from .tiers import reached


@dataclass(frozen=True)
class WhatIf:
    before: object
    after: object

    @property
    def commission(self):
        """What the rows add to the period's commission (bonuses and cap included)."""
        return self.after.total - self.before.total

    @property
    def attainment_before(self):
        return self.before.attainment

    @property
    def attainment_after(self):
        return self.after.attainment

    @property
    def rate_before(self):
        return standard_rate(self.before.period)

    @property
    def rate_after(self):
        return standard_rate(self.after.period)


def standard_rate(period):
    """The standard rate of the period, as a plan states it: the rate of the tier the
    attainment reaches (interpolated for linear tiers), else the base rate; for a
    settled period the rate it was settled with."""
    plan = period.plan
    if period.settled:
        return period.settled.rate
    if plan.tier_mode == "none" or not plan.tiers or not period.quota:
        return plan.base_rate
    if plan.tier_mode == "linear":
        return decimal_of(linear_rate(plan.tiers, period.attainment))
    return reached(plan.tiers, period.attainment).rate


def what_if(period, rows, revenue=None, calculator=DEFAULT_CALCULATOR):
    """The period as it is and with ``rows`` more (their revenue, or ``revenue``,
    counting for attainment)."""
    return WhatIf(calculator.compute(period), calculator.compute(period.with_rows(rows, revenue)))


@dataclass(frozen=True)
class NextSteps:
    to_next_tier: Decimal | None
    next_tier_rate: Decimal | None
    to_next_bonus: Decimal | None
    next_bonus: Decimal | None
    per_step: Decimal
    step: Decimal


def next_steps(period, step=Decimal(1000), calculator=DEFAULT_CALCULATOR):
    """How far the next tier and the next bonus are, in revenue, and what the next
    ``step`` of standard revenue (no override, not new business) earns."""
    revenue = period.revenue_for_attainment
    plan = period.plan
    to_tier = tier_rate = to_bonus = bonus_amount = None
    if period.quota:
        if plan.tier_mode != "none":
            ahead = sorted(
                (t for t in plan.tiers if period.quota * t.start / 100 > revenue),
                key=lambda t: t.start,
            )
            if ahead:
                to_tier = period.quota * ahead[0].start / 100 - revenue
                tier_rate = ahead[0].rate
        ahead = sorted(
            (b for b in plan.bonuses if period.quota * b.threshold / 100 > revenue),
            key=lambda b: b.threshold,
        )
        if ahead:
            to_bonus = period.quota * ahead[0].threshold / 100 - revenue
            bonus_amount = ahead[0].amount
    probe = Row(key=-(10**9), date=date.max, revenue=step)
    gain = what_if(period, [probe], calculator=calculator).commission
    return NextSteps(to_tier, tier_rate, to_bonus, bonus_amount, gain, step)
