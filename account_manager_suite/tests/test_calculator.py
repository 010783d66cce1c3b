"""The commission calculator without a database: hand-computed amounts and properties.

Runs inside ``make test`` and alone, with plain pytest, without Odoo or a database::

    .venv/bin/python account_manager_suite/tests/test_calculator.py [pytest options]

(``pytest path/to/test_calculator.py`` would import the module's ``__init__``, which
imports Odoo: the script runs pytest with the parent packages stubbed instead.)
"""

import importlib.util
import subprocess
import sys
import textwrap
from collections import defaultdict
from datetime import date
from decimal import Decimal as D
from fractions import Fraction
from math import floor
from pathlib import Path

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

CALCULATOR = Path(__file__).resolve().parent.parent / "calculator"


def _load_calculator():
    """The calculator package, imported by its path: the test needs nothing of the
    module's ``__init__`` (which imports Odoo)."""
    name = "ams_calculator_under_test"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, CALCULATOR / "__init__.py", submodule_search_locations=[str(CALCULATOR)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


calc = _load_calculator()
Bonus, Held, Override, Period = calc.Bonus, calc.Held, calc.Override, calc.Period
Plan, Row, SettledRate, Tier = calc.Plan, calc.Row, calc.SettledRate, calc.Tier
DAY = date(2026, 2, 1)
CENT = D("0.01")
TIERS = (Tier(D(0), D(50), D(2)), Tier(D(50), D(100), D(5)), Tier(D(100), None, D(8)))


def rows_of(*amounts, **vals):
    return tuple(Row(key=i, date=DAY, revenue=D(str(a)), **vals) for i, a in enumerate(amounts, 1))


def amounts(result, rule=None):
    return [line.amount for line in result.lines if rule is None or line.rule == rule]


# --- no Odoo in the calculator ---------------------------------------------------------


def test_calculator_imports_nothing_from_odoo():
    """Imported in a fresh interpreter where every ``odoo`` import fails."""
    script = textwrap.dedent(
        f"""
        import importlib.abc, importlib.util, sys
        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name == "odoo" or name.startswith("odoo."):
                    raise ImportError("blocked: " + name)
        sys.meta_path.insert(0, Block())
        spec = importlib.util.spec_from_file_location(
            "calc", {str(CALCULATOR / "__init__.py")!r},
            submodule_search_locations=[{str(CALCULATOR)!r}])
        module = importlib.util.module_from_spec(spec)
        sys.modules["calc"] = module
        spec.loader.exec_module(module)
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("odoo", "psycopg2")))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# --- hand-computed amounts -------------------------------------------------------------


def test_half_cents_round_once_per_period_and_add_up():
    # 3 x 0.10 at 5%: 0.005 each; the period's 0.015 rounds to 0.02, not 3 x 0.01
    result = calc.calculate(Period(plan=Plan(base_rate=D(5)), rows=rows_of("0.10", "0.10", "0.10")))
    assert amounts(result) == [D("0.01"), D("0.01"), D("0.00")]  # ties go to the lower id
    assert result.total == D("0.02")
    # a lone half cent rounds away from zero, for a credit note too
    assert calc.calculate(Period(plan=Plan(base_rate=D(5)), rows=rows_of("0.10"))).total == D(
        "0.01"
    )
    assert calc.calculate(Period(plan=Plan(base_rate=D(5)), rows=rows_of("-0.10"))).total == D(
        "-0.01"
    )


def test_thirds_go_to_the_largest_remainders_then_the_lowest_ids():
    # 100.00 at 1% over three lines of 33.33, 33.33, 33.34: 0.3333, 0.3333, 0.3334
    result = calc.calculate(
        Period(plan=Plan(base_rate=D(1)), rows=rows_of("33.33", "33.33", "33.34"))
    )
    assert result.total == D("1.00")
    assert amounts(result) == [D("0.33"), D("0.33"), D("0.34")]
    # 10.00 at 10% over three equal lines: 1/3 each, the cent to the lowest id
    result = calc.calculate(
        Period(plan=Plan(base_rate=D(10)), rows=rows_of("3.333333", "3.333333", "3.333334"))
    )
    assert [line.base for line in result.lines] == [D("3.33"), D("3.33"), D("3.33")]
    # the commissionable amounts are rounded first: 9.99 at 10% = 0.999 -> 1.00
    assert amounts(result) == [D("0.34"), D("0.33"), D("0.33")]
    assert result.total == D("1.00")


def test_credit_notes_cancelling_the_invoices_give_a_total_of_zero():
    result = calc.calculate(
        Period(plan=Plan(base_rate=D("7.5")), rows=rows_of("133.33", "-133.33", "0.07", "-0.07"))
    )
    # 9.99975, -9.99975, 0.00525, -0.00525: floors 9.99, -10.00, 0.00, -0.01 add up to
    # -0.02; the two cents missing go to the largest remainders (0.975 and 0.525 of a cent)
    assert amounts(result) == [D("10.00"), D("-10.00"), D("0.01"), D("-0.01")]
    assert result.total == D("0.00")
    assert all(abs(line.amount - line.share) < CENT for line in result.lines)


def test_the_tiers_of_the_issue_on_the_period_total():
    """Marginal 0-50% at 2%, 50-100% at 5%, above at 8%, quota 10,000, revenue 7,500 from
    three invoices of 2,500, 2,500.01 and 2,499.99: 225.00, whatever the split."""
    expected = {"marginal": D("225.00"), "retroactive": D("375.00"), "linear": D("487.50")}
    for mode, total in expected.items():
        plan = Plan(tier_mode=mode, tiers=TIERS)
        result = calc.calculate(
            Period(plan=plan, rows=rows_of("2500", "2500.01", "2499.99"), quota=D(10000))
        )
        assert result.total == total, mode
        assert {line.rule for line in result.lines} == {"tier"}
        assert sum(band.amount for band in result.pools[0].bands) == total
    # marginal: 75.00 + 75.00 + 75.00 (2,500.01 x 3% = 75.0003, 2,499.99 x 3% = 74.9997)
    result = calc.calculate(
        Period(
            plan=Plan(tier_mode="marginal", tiers=TIERS),
            rows=rows_of("2500", "2500.01", "2499.99"),
            quota=D(10000),
        )
    )
    assert amounts(result) == [D("75.00"), D("75.00"), D("75.00")]
    bands = [(b.start, b.base, b.rate, b.amount) for b in result.pools[0].bands]
    assert bands == [
        (D(0), D("5000.00"), D(2), D("100.00")),
        (D(50), D("2500.00"), D(5), D("125.00")),
        (D(100), D("0.00"), D(8), D("0.00")),
    ]
    # across 100%: 5,000 x 2% + 5,000 x 5% + 2,000 x 8% = 510
    result = calc.calculate(
        Period(
            plan=Plan(tier_mode="marginal", tiers=TIERS), rows=rows_of(7500, 4500), quota=D(10000)
        )
    )
    assert result.total == D("510.00")
    # 7,500 x 510/12,000 = 318.75 and 4,500 x 4.25% = 191.25
    assert amounts(result) == [D("318.75"), D("191.25")]


def test_linear_thirds_and_a_negative_attainment():
    # linear between 0% (3%) and 90% (6%): at 30%, 3% + 3% x 1/3 = 4%
    plan = Plan(tier_mode="linear", tiers=(Tier(D(0), D(90), D(3)), Tier(D(90), None, D(6))))
    result = calc.calculate(Period(plan=plan, rows=rows_of(1000, 1000, 1000), quota=D(10000)))
    assert result.total == D("120.00")
    # at 10%: 3% + 3% x 1/9 = 3.3333...%: 1,000 x 3.3333% = 33.333 -> 33.33
    result = calc.calculate(Period(plan=plan, rows=rows_of(1000), quota=D(10000)))
    assert result.total == D("33.33")
    assert result.lines[0].rate == D("3.333333")
    # a period of credit notes only: the first tier's rate, never extrapolated below it
    result = calc.calculate(Period(plan=plan, rows=rows_of(-1000), quota=D(10000)))
    assert result.total == D("-30.00")


def test_rule_order_overrides_new_business_and_margin():
    plan = Plan(
        base_rate=D(5),
        amount_basis="margin",
        category_overrides=(Override(1, D(20), "Services"),),
        customer_tier_overrides=(Override(7, D(8), "Key Account"),),
        new_business_rate=D(10),
        new_business_months=6,
    )
    until = date(2026, 7, 15)
    rows = (
        # a child of Services, a key account, new business: the category wins
        Row(1, DAY, D(1500), D(900), categ_path=(2, 1), customer_tier=7, new_business_until=until),
        Row(2, DAY, D(1000), D(100), customer_tier=7, new_business_until=until),
        Row(3, DAY, D(1000), D(500), new_business_until=until),
        Row(4, date(2026, 7, 15), D(1000), D(200), new_business_until=until),
    )
    result = calc.calculate(Period(plan=plan, rows=rows))
    got = [(line.rule, line.base, line.amount) for line in result.lines]
    assert got == [
        ("category", D("600"), D("120.00")),
        ("customer_tier", D("900"), D("72.00")),
        ("new_business", D("500"), D("50.00")),
        ("base", D("800"), D("40.00")),  # new business ends on its day
    ]
    first = result.lines[0].explanation
    assert first["rule"] == "category"
    assert first["why"] == {"category_id": 1, "category": "Services", "inherited": True}
    assert "Services" in result.lines[0].text
    assert result.lines[2].explanation["why"]["until"] == "2026-07-15"
    assert "2026-07-15" in result.lines[2].text


def test_bonuses_and_the_cap_are_lines_of_the_period():
    plan = Plan(
        base_rate=D(5),
        bonuses=(Bonus(D(100), D(500)), Bonus(D(120), D(1000)), Bonus(D(150), D(9))),
        cap=D(1000),
    )
    result = calc.calculate(Period(plan=plan, rows=rows_of(6250, 6250), quota=D(10000)))
    assert [(line.rule, line.amount) for line in result.lines] == [
        ("base", D("312.50")),
        ("base", D("312.50")),
        ("bonus", D("500.00")),
        ("bonus", D("1000.00")),
        ("cap", D("-1125.00")),
    ]
    assert result.total == D("1000.00")
    assert result.lines[3].explanation["threshold"] == "120"
    assert result.lines[-1].explanation == {
        "rule": "cap",
        "cap": "1000",
        "before_cap": "2125.00",
        "amount": "-1125.00",
    }
    # a held bonus is not paid twice, held lines count for the cap
    held = (Held("bonus", D(500)), Held("base", D(400)))
    result = calc.calculate(Period(plan=plan, rows=rows_of(6250, 6250), quota=D(10000), held=held))
    assert [(line.rule, line.amount) for line in result.lines][2:] == [
        ("bonus", D("1000.00")),
        ("cap", D("-1525.00")),  # 625 + 1,000 + held 500 + 400 - 1,000
    ]
    # a correction: no bonus, no cap
    result = calc.calculate(
        Period(plan=plan, rows=rows_of(6250, 6250), quota=D(10000), period_rules=False)
    )
    assert result.total == D("625.00")


def test_a_settled_period_keeps_its_rate():
    plan = Plan(tier_mode="retroactive", tiers=TIERS)
    settled = SettledRate("tier", D(5))
    result = calc.calculate(
        Period(plan=plan, rows=rows_of(50000), quota=D(10000), settled=settled, period_rules=False)
    )
    assert [(line.rule, line.amount) for line in result.lines] == [("tier", D("2500.00"))]
    assert result.lines[0].explanation["settled"] is True
    assert "settled" in result.lines[0].text


def test_the_explanation_of_a_tier_line():
    result = calc.calculate(
        Period(
            plan=Plan(tier_mode="marginal", tiers=TIERS), rows=rows_of(5000, 2500), quota=D(10000)
        )
    )
    explanation = result.lines[0].explanation
    assert explanation["rule"] == "tier"
    assert explanation["mode"] == "marginal"
    assert explanation["attainment"] == "75"
    assert explanation["rate"] == "3"
    assert explanation["pool"] == {"base": "7500.00", "amount": "225.00", "lines": 2}
    assert explanation["share"] == "150"
    assert explanation["amount"] == "150.00"
    assert [band["amount"] for band in explanation["bands"]] == ["100.00", "125.00", "0.00"]
    assert "Marginal tiers at 75.00% attainment" in result.lines[0].text


def test_what_if_a_quotation_crosses_a_tier_and_a_bonus():
    plan = Plan(tier_mode="retroactive", tiers=TIERS, bonuses=(Bonus(D(100), D(250)),))
    period = Period(plan=plan, rows=rows_of(9600), quota=D(10000))
    estimate = calc.what_if(period, [Row(key=0, date=DAY, revenue=D(800))])
    # 9,600 x 5% = 480 before; 10,400 x 8% + 250 = 1,082 after
    assert estimate.commission == D("602.00")
    assert (estimate.attainment_before, estimate.attainment_after) == (D(96), D(104))
    assert (estimate.rate_before, estimate.rate_after) == (D(5), D(8))
    steps = calc.next_steps(period)
    assert (steps.to_next_tier, steps.next_tier_rate) == (D(400), D(8))
    assert (steps.to_next_bonus, steps.next_bonus) == (D(400), D(250))
    # the next 1,000: 10,600 x 8% + 250 - 480
    assert steps.per_step == D("618.00")


# --- properties ------------------------------------------------------------------------

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


@settings(max_examples=300, deadline=None)
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


@settings(max_examples=150, deadline=None)
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


# --- the shape of the commission code --------------------------------------------------


def test_no_method_of_the_commission_code_is_longer_than_60_lines():
    import ast

    root = CALCULATOR.parent
    files = [*CALCULATOR.glob("*.py"), *(root / "models").glob("account_manager_commission_*.py")]
    assert len(files) > 10
    long = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > 60:
                    long.append(f"{path.name}:{node.name} ({length} lines)")
    assert not long


if __name__ == "__main__":
    import types

    import pytest

    # the parent packages as bare namespaces: their __init__ (Odoo) is never run
    for package, folder in (
        ("account_manager_suite", CALCULATOR.parent),
        ("account_manager_suite.tests", CALCULATOR.parent / "tests"),
    ):
        stub = types.ModuleType(package)
        stub.__path__ = [str(folder)]
        sys.modules[package] = stub
    sys.exit(pytest.main([__file__, "-p", "no:odoo", "-p", "no:cacheprovider", *sys.argv[1:]]))
