"""The commission calculator's properties (``hypothesis``), without a database: random
plans of every tier mode add up to an independent reference on the period total.

Runs inside ``make test`` and alone, with plain pytest, without Odoo or a database::

    .venv/bin/python account_manager_suite/tests/test_calculator_properties.py [pytest options]

(see test_calculator.py's docstring for why a script).
"""

import sys
from collections import defaultdict
from datetime import date
from decimal import Decimal as D
from fractions import Fraction
from math import floor

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

if __package__:
    from . import calculator_common as common
else:  # run as a script (see the docstring): this folder is first on sys.path
    import calculator_common as common

calc, CALCULATOR, DAY, CENT = common.calc, common.CALCULATOR, common.DAY, common.CENT
Bonus, Override, Period, Plan = calc.Bonus, calc.Override, calc.Period, calc.Plan
Row, Tier = calc.Row, calc.Tier

money = st.decimals(min_value=D("-3000"), max_value=D("20000"), places=2)
rates = st.decimals(min_value=D(0), max_value=D(25), places=4)
CATEGORY_PATHS = [(), (1,), (2, 1), (3,), (4, 3)]


@st.composite
def plans(draw):
    mode = draw(st.sampled_from(["none", "marginal", "retroactive", "linear"]))
    starts = sorted(draw(st.sets(st.sampled_from([25, 50, 75, 100, 120, 150]), max_size=4)))
    bounds = [0, *starts]
    tiers = tuple(
        Tier(D(low), D(high) if high is not None else None, draw(rates))
        for low, high in zip(bounds, [*bounds[1:], None], strict=True)
    )
    bonuses = tuple(
        Bonus(D(threshold), draw(st.decimals(min_value=D(1), max_value=D(2000), places=2)))
        for threshold in draw(st.sets(st.sampled_from([80, 100, 110, 130]), max_size=2))
    )
    return Plan(
        base_rate=draw(rates),
        tier_mode=mode,
        tiers=tiers,
        category_overrides=tuple(
            Override(key, draw(rates)) for key in draw(st.sets(st.sampled_from([1, 2, 3])))
        ),
        customer_tier_overrides=tuple(
            Override(key, draw(rates)) for key in draw(st.sets(st.sampled_from([10, 11])))
        ),
        new_business_rate=draw(rates),
        new_business_months=draw(st.sampled_from([0, 6])),
        amount_basis=draw(st.sampled_from(["revenue", "margin"])),
        bonuses=bonuses,
        cap=draw(st.none() | st.decimals(min_value=D(1), max_value=D(3000), places=2)),
    )


@st.composite
def rows(draw):
    count = draw(st.integers(min_value=1, max_value=50))
    keys = draw(st.lists(st.integers(1, 10**6), min_size=count, max_size=count, unique=True))
    return tuple(
        Row(
            key=key,
            date=date(2026, draw(st.integers(1, 3)), 1),
            revenue=(revenue := draw(money)),
            cost=revenue * draw(st.sampled_from([D(0), D("0.3"), D("0.55")])),
            categ_path=draw(st.sampled_from(CATEGORY_PATHS)),
            customer_tier=draw(st.sampled_from([None, 10, 11])),
            new_business_until=draw(st.sampled_from([None, date(2026, 2, 15)])),
        )
        for key in keys
    )


def _round(value):
    units = Fraction(value) / Fraction(CENT)
    return Fraction(floor(abs(units) + Fraction(1, 2)) * (1 if units >= 0 else -1)) * Fraction(CENT)


def reference(plan, rows, quota):
    """The plan's commission on the period's totals, written out independently of the
    calculator: ``(total, {row key: exact rate in %})``."""
    revenue = sum((Fraction(r.revenue) for r in rows), Fraction(0))

    def rate_of(row):
        categories = {o.key: o.rate for o in plan.category_overrides}
        for categ_id in row.categ_path:
            if categ_id in categories:
                return ("c", categories[categ_id])
        tiers = {o.key: o.rate for o in plan.customer_tier_overrides}
        if row.customer_tier in tiers:
            return ("t", tiers[row.customer_tier])
        if (
            plan.new_business_months
            and row.new_business_until
            and row.date < row.new_business_until
        ):
            return ("n", plan.new_business_rate)
        return ("s", None)

    attainment = revenue * 100 / Fraction(quota) if quota else None
    if attainment is None or plan.tier_mode == "none":
        standard = Fraction(plan.base_rate)
    elif plan.tier_mode == "marginal":
        earned = Fraction(0)
        for t in plan.tiers:  # cumulative: revenue above each start, at the rate's step
            low = Fraction(quota) * Fraction(t.start) / 100
            high = Fraction(quota) * Fraction(t.end) / 100 if t.end is not None else None
            top = revenue if high is None else min(revenue, high)
            earned += max(Fraction(0), top - low) * Fraction(t.rate)
        standard = earned / revenue if revenue > 0 else Fraction(0)
    else:
        ordered = sorted(plan.tiers, key=lambda t: t.start)
        index = max([i for i, t in enumerate(ordered) if attainment >= t.start] or [0])
        standard = Fraction(ordered[index].rate)
        if (
            plan.tier_mode == "linear"
            and index + 1 < len(ordered)
            and attainment > ordered[index].start
        ):
            low, high = ordered[index], ordered[index + 1]
            standard += (
                (Fraction(high.rate) - Fraction(low.rate))
                * (attainment - Fraction(low.start))
                / (Fraction(high.start) - Fraction(low.start))
            )
    pools, rate_of_row = defaultdict(Fraction), {}
    for row in rows:
        kind, rate = rate_of(row)
        rate = standard if rate is None else Fraction(rate)
        base = Fraction(row.revenue - (row.cost if plan.amount_basis == "margin" else 0))
        pools[(kind, rate)] += _round(base)
        rate_of_row[row.key] = rate
    total = sum((_round(base * rate / 100) for (_k, rate), base in pools.items()), Fraction(0))
    if attainment is not None:
        total += sum(Fraction(b.amount) for b in plan.bonuses if attainment >= b.threshold)
    if plan.cap and total > plan.cap:
        total = Fraction(plan.cap)
    return total, rate_of_row


@settings(max_examples=common.examples(300), deadline=None)
@given(plans(), rows(), st.none() | st.integers(1000, 200000))
def test_lines_add_up_to_the_plan_on_the_period_total(plan, period_rows, quota):
    quota = D(quota) if quota else None
    result = calc.calculate(Period(plan=plan, rows=period_rows, quota=quota))
    total, rate_of_row = reference(plan, period_rows, quota)
    assert Fraction(result.total) == total
    row_lines = [line for line in result.lines if line.row is not None]
    assert sorted(line.row.key for line in row_lines) == sorted(r.key for r in period_rows)
    for line in row_lines:
        share = Fraction(line.base) * rate_of_row[line.row.key] / 100
        assert abs(Fraction(line.amount) - share) < Fraction(CENT), line
        assert line.amount == line.amount.quantize(CENT)
    # same input, same lines, in whatever order the rows come
    again = calc.calculate(Period(plan=plan, rows=tuple(reversed(period_rows)), quota=quota))
    assert [(line.row and line.row.key, line.amount) for line in again.lines] == [
        (line.row and line.row.key, line.amount) for line in result.lines
    ]


@settings(max_examples=common.examples(150), deadline=None)
@given(plans(), st.lists(money, min_size=1, max_size=12), st.integers(1, 50), st.data())
def test_one_invoice_or_many_give_the_same_period_total(plan, amounts_, pieces, data):
    """The same revenue as one line per amount, or each amount split into up to 50
    lines (credit notes among them): the same period commission to the cent."""
    whole = tuple(Row(key=i, date=DAY, revenue=a) for i, a in enumerate(amounts_, 1))
    split, key = [], 1000
    for amount in amounts_:
        cents = int(amount * 100)
        parts = data.draw(
            st.lists(st.integers(-50000, 50000), min_size=pieces - 1, max_size=pieces - 1)
        )
        for part in [*parts, cents - sum(parts)]:
            split.append(Row(key=key, date=DAY, revenue=D(part) / 100))
            key += 1
    quota = D(50000)
    one = calc.calculate(Period(plan=plan, rows=whole, quota=quota))
    many = calc.calculate(Period(plan=plan, rows=tuple(split), quota=quota))
    assert one.total == many.total


@settings(max_examples=common.examples(100), deadline=None)
@given(
    st.lists(
        st.fractions(min_value=-10000, max_value=10000, max_denominator=1000),
        min_size=1,
        max_size=50,
    )
)
def test_allocation_is_within_one_unit_and_exact(shares):
    keyed = list(enumerate(shares))
    total = sum(shares, Fraction(0))
    units = floor(abs(total) + Fraction(1, 2)) * (1 if total >= 0 else -1)
    allocated = calc.allocate(units, keyed)
    assert sum(allocated.values()) == units
    assert all(abs(allocated[key] - share) < 1 for key, share in keyed)


@settings(max_examples=common.examples(100), deadline=None)
@given(
    st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=50),
    st.integers(1, 10**6),
)
def test_the_integer_allocation_is_the_exact_one(numerators, denominator):
    keyed = list(enumerate(numerators))
    total = calc.allocation.round_ratio(sum(numerators), denominator)
    assert total == calc.allocation.to_units(Fraction(sum(numerators), denominator), 1)
    exact = calc.allocate(total, [(key, Fraction(n, denominator)) for key, n in keyed])
    assert calc.allocation.allocate_ratio(total, keyed, denominator) == exact


if __name__ == "__main__":
    sys.exit(common.run_as_script(__file__, sys.argv[1:]))
