"""The calculator: a period's rows and a plan in, exact lines with explanations out.

Steps of :meth:`Calculator.compute`:

1. each row's commissionable amount: revenue, or margin (revenue - cost), rounded to
   the currency (the amount the statement shows is the amount computed with);
2. its rate: the first rate rule that decides (:mod:`.rules`);
3. the rows with the same rule and rate form a *pool*; each pool's commission is
   computed on its total (the tiers on the period's attainment for the standard
   pool) and rounded once, half away from zero;
4. each pool's commission is allocated to its rows by largest remainder
   (:mod:`.allocation`), proportionally to their commissionable amounts (credit notes
   negative): the lines add up to the pool to the unit;
5. the period rules add their lines (bonuses, then the cap on the total so far, held
   lines included);
6. every line gets its explanation, structured and in words (:mod:`.explain`).

Same input, same output: the rows are ordered by ``(key, date)`` before anything else.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from . import explain
from . import tiers as tiers_mod
from .allocation import allocate
from .allocation import allocate_ratio
from .allocation import decimal_units
from .allocation import from_units
from .allocation import round_amount
from .allocation import round_ratio
from .data import ZERO
from .data import Band
from .data import Line
from .data import Pool
from .data import Result
from .rules import DEFAULT_PERIOD_RULES
from .rules import DEFAULT_RATE_RULES

SHOWN_DIGITS = Decimal("0.000001")  # rates and shares in explanations


def decimal_of(value, digits=SHOWN_DIGITS):
    """An exact value (Fraction, Decimal) as a Decimal to show, to ``digits``."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(digits) if value else ZERO


@dataclass(frozen=True)
class Context:
    """What the rules read besides the row: the period, the plan, the overrides by
    key, the attainment and the standard rule and rate (``None``: the tiers')."""

    period: object
    plan: object
    category_rates: dict
    customer_tier_rates: dict
    attainment: Decimal | None
    standard_rule: str
    standard_rate: Decimal | None

    @property
    def attainment_text(self):
        if self.attainment is None:
            return None
        return explain.text(decimal_of(self.attainment, Decimal("0.0001")))

    @classmethod
    def of(cls, period):
        plan = period.plan
        attainment = period.attainment
        if period.settled:
            rule, rate = period.settled.rule, period.settled.rate
        elif plan.tier_mode != "none" and plan.tiers and period.quota:
            rule, rate = "tier", None
        else:
            rule, rate = "base", plan.base_rate
        return cls(
            period=period,
            plan=plan,
            category_rates={o.key: o for o in plan.category_overrides},
            customer_tier_rates={o.key: o for o in plan.customer_tier_overrides},
            attainment=attainment,
            standard_rule=rule,
            standard_rate=rate,
        )


class Calculator:
    """Computes a :class:`~.data.Period` with a tuple of rate rules and of period
    rules (see :mod:`.rules`); subclass or pass other tuples to change a rule."""

    def __init__(self, rate_rules=DEFAULT_RATE_RULES, period_rules=DEFAULT_PERIOD_RULES):
        self.rate_rules = tuple(rate_rules)
        self.period_rules = tuple(period_rules)

    def compute(self, period):
        """The lines of ``period``: a :class:`~.data.Result`."""
        context = Context.of(period)
        rows = sorted(period.rows, key=lambda row: (row.key, row.date))
        groups = {}
        for index, row in enumerate(rows):
            decision = self.decide(row, context)
            units = decimal_units(self.commissionable(row, context.plan), period.rounding)
            groups.setdefault((decision.rule, decision.rate), []).append(
                (index, row, decision, units)
            )
        lines, pools = [], []
        for (rule, rate), members in groups.items():
            pool, pool_lines = self.pool(context, rule, rate, members)
            pools.append(pool)
            lines.extend(pool_lines)
        lines.sort(key=lambda line: (line.row.key, line.row.date))
        total = sum((line.amount for line in lines), ZERO)
        total += sum((held.amount for held in period.held), ZERO)
        if period.period_rules:
            for rule in self.period_rules:
                added = rule(context, total)
                total += sum((line.amount for line in added), ZERO)
                lines.extend(explain.finish(line) for line in added)
        return Result(period, tuple(lines), tuple(pools), context.attainment)

    def decide(self, row, context):
        """The decision of the first rate rule that decides for ``row``."""
        for rule in self.rate_rules:
            decision = rule(row, context)
            if decision is not None:
                return decision
        raise ValueError(f"No rate rule decided for row {row.key}")

    @staticmethod
    def commissionable(row, plan):
        """The row's commissionable amount: revenue, or margin (revenue - cost)."""
        return row.revenue - row.cost if plan.amount_basis == "margin" else row.revenue

    def pool_rate(self, context, rate, base):
        """The exact rate of a pool (``None``: the standard pool, the tiers') with its
        bands and why."""
        if rate is not None:
            return Fraction(rate), [], {}
        plan, period = context.plan, context.period
        return tiers_mod.standard_pool(
            plan.tier_mode,
            plan.tiers,
            base,
            period.revenue_for_attainment,
            period.quota,
            context.attainment,
        )

    def pool(self, context, rule, rate, members):
        """One pool's commission on its total, and its lines by largest remainder.

        In integers: a line's exact share in units of the currency is its
        commissionable units times ``numerator / denominator`` of the pool's rate."""
        rounding = context.period.rounding
        base = from_units(sum(units for _i, _r, _d, units in members), rounding)
        exact_rate, bands_exact, why = self.pool_rate(context, rate, base)
        numerator, denominator = exact_rate.numerator, exact_rate.denominator * 100
        shares = [(index, units * numerator) for index, _r, _d, units in members]
        total_units = round_ratio(sum(share for _i, share in shares), denominator)
        standard = bool(members[0][2].why.get("standard"))
        pool = Pool(
            rule=rule,
            rate=decimal_of(exact_rate),
            base=base,
            amount=from_units(total_units, rounding),
            count=len(members),
            bands=self.bands(bands_exact, total_units, rounding),
            why={**members[0][2].why, **why} if standard else why,
        )
        allocated = allocate_ratio(total_units, shares, denominator)
        common = explain.pool_explanation(context, pool, standard)
        lines = []
        for (index, row, decision, units), (_i, share) in zip(members, shares, strict=True):
            line_base = from_units(units, rounding)
            amount = from_units(allocated[index], rounding)
            share = (Decimal(share) * rounding / denominator).quantize(SHOWN_DIGITS)
            lines.append(
                Line(
                    rule=rule,
                    rate=pool.rate,
                    base=line_base,
                    amount=amount,
                    share=share,
                    explanation=explain.line_explanation(
                        common, decision, line_base, share, amount
                    ),
                    row=row,
                )
            )
        return pool, lines

    @staticmethod
    def bands(bands_exact, units, rounding):
        """The band table: the pool's commission allocated over its bands too, so that
        the bands add up to it."""
        if not bands_exact:
            return ()
        shares = [
            (i, amount / Fraction(rounding)) for i, (_t, _b, amount) in enumerate(bands_exact)
        ]
        allocated = allocate(units, shares)
        return tuple(
            Band(
                start=tier.start,
                end=tier.end,
                rate=decimal_of(tier.rate),
                base=round_amount(inside, rounding),
                amount=from_units(allocated[i], rounding),
            )
            for i, (tier, inside, _amount) in enumerate(bands_exact)
        )


DEFAULT_CALCULATOR = Calculator()


def calculate(period, calculator=DEFAULT_CALCULATOR):
    """The lines of ``period`` with the default rules (see :class:`Calculator`)."""
    return calculator.compute(period)
