"""The commission calculator without a database: hand-computed amounts.

The properties (``hypothesis``) are in test_calculator_properties.py; both run inside
``make test`` and alone, with plain pytest, without Odoo or a database::

    .venv/bin/python account_manager_suite/tests/test_calculator.py [pytest options]
    .venv/bin/python account_manager_suite/tests/test_calculator_properties.py

(``pytest path/to/test_calculator.py`` would import the module's ``__init__``, which
imports Odoo: the script runs pytest with the parent packages stubbed instead.)
"""

import subprocess
import sys
import textwrap
from datetime import date
from decimal import Decimal as D

if __package__:
    from . import calculator_common as common
else:  # run as a script (see the docstring): this folder is first on sys.path
    import calculator_common as common

calc, CALCULATOR, DAY, CENT = common.calc, common.CALCULATOR, common.DAY, common.CENT
Bonus, Held, Override, Period = calc.Bonus, calc.Held, calc.Override, calc.Period
Plan, Row, SettledRate, Tier = calc.Plan, calc.Row, calc.SettledRate, calc.Tier
TIERS, rows_of, amounts = common.TIERS, common.rows_of, common.amounts

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


# --- exactly at the edges of each rule -------------------------------------------------


def test_exactly_at_a_tier_start_a_bonus_threshold_and_the_cap():
    # 5,000 of 10,000 is exactly 50 %: the tier from 50 % (5 %), not the one below (2 %)
    plan = Plan(tier_mode="retroactive", tiers=TIERS, bonuses=(Bonus(D(50), D(100)),))
    result = calc.calculate(Period(plan=plan, rows=rows_of(5000), quota=D(10000)))
    assert [
        (line.rule, line.rate, line.base, line.amount, line.share) for line in result.lines
    ] == [
        ("tier", D(5), D("5000.00"), D("250.00"), D(250)),
        ("bonus", D(0), D("5000.00"), D("100.00"), D("100.00")),  # at exactly 50 %
    ]
    bands = [(b.start, b.end, b.base, b.amount) for b in result.pools[0].bands]
    assert bands == [
        (D(0), D(50), D("0.00"), D("0.00")),
        (D(50), D(100), D("5000.00"), D("250.00")),
        (D(100), None, D("0.00"), D("0.00")),
    ]
    # a cent below the threshold: no bonus
    result = calc.calculate(Period(plan=plan, rows=rows_of("4999.99"), quota=D(10000)))
    assert amounts(result) == [D("100.00")]  # 4,999.99 x 2 % = 99.9998
    # a total exactly at the cap is not cut, one under it neither; above it is
    for revenue, cap_lines in (("2000", []), ("1999.80", []), ("2000.20", [D("-0.01")])):
        capped = Plan(base_rate=D(5), cap=D(100))
        result = calc.calculate(Period(plan=capped, rows=rows_of(revenue)))
        assert amounts(result, "cap") == cap_lines, revenue
    cut = result.lines[-1]
    assert (cut.rate, cut.base, cut.share) == (D(0), D("100.01"), D("-0.01"))
    # a cap line held (disputed) is not cut again
    result = calc.calculate(Period(plan=capped, rows=rows_of(3000), held=(Held("cap", D(-20)),)))
    assert amounts(result) == [D("150.00")]


def test_marginal_tiers_on_a_total_of_zero_below_a_unit_and_below_zero():
    plan = Plan(tier_mode="marginal", tiers=TIERS)
    # invoices and credit notes cancelling: no division by zero, nothing earned
    result = calc.calculate(Period(plan=plan, rows=rows_of(1000, -1000), quota=D(10000)))
    assert (result.total, result.pools[0].rate) == (D("0.00"), D(0))
    # 0.50 of revenue: 0.50 inside the first band at 2 % = 0.01
    result = calc.calculate(Period(plan=plan, rows=rows_of("0.50"), quota=D(10000)))
    assert (result.total, result.pools[0].rate) == (D("0.01"), D(2))
    assert [(b.base, b.amount) for b in result.pools[0].bands] == [
        (D("0.50"), D("0.01")),
        (D("0.00"), D("0.00")),
        (D("0.00"), D("0.00")),
    ]
    # credit notes only: no band reached, nothing earned (not 1 %, not the first tier's)
    result = calc.calculate(Period(plan=plan, rows=rows_of(-1000), quota=D(10000)))
    assert (result.total, result.pools[0].rate) == (D("0.00"), D(0))


def test_which_standard_rate_a_plan_states():
    def standard(plan, quota=D(10000), **vals):
        period = Period(plan=plan, rows=rows_of(7000), quota=quota, **vals)
        return (calc.standard_rate(period), calc.calculate(period).lines[0].rule)

    assert standard(Plan(base_rate=D(3), tier_mode="none", tiers=TIERS)) == (D(3), "base")
    assert standard(Plan(base_rate=D(3), tier_mode="retroactive")) == (D(3), "base")
    assert standard(Plan(base_rate=D(3), tier_mode="retroactive", tiers=TIERS), None) == (
        D(3),
        "base",
    )
    assert standard(Plan(tier_mode="retroactive", tiers=TIERS)) == (D(5), "tier")
    assert standard(Plan(tier_mode="linear", tiers=TIERS)) == (D("6.2"), "tier")
    assert standard(Plan(tier_mode="linear", tiers=TIERS), settled=SettledRate("tier", D(4))) == (
        D(4),
        "tier",
    )
    # new business needs months in the plan: without, the base rate
    plan = Plan(base_rate=D(5), new_business_rate=D(10))
    row = Row(1, DAY, D(100), new_business_until=date(2026, 7, 1))
    assert calc.calculate(Period(plan=plan, rows=(row,))).lines[0].rule == "base"
    # the revenue basis ignores the cost
    plan = Plan(base_rate=D(10))
    assert amounts(calc.calculate(Period(plan=plan, rows=(Row(1, DAY, D(100), D(60)),)))) == [
        D("10.00")
    ]


def test_amounts_round_half_away_from_zero_below_a_unit():
    # what bonuses, caps and band bases are rounded with: 0.005 is 0.01, -0.005 is -0.01
    got = [calc.round_amount(D(v), CENT) for v in ("0.004", "0.005", "0.006", "-0.005", "1.995")]
    assert got == [D("0.00"), D("0.01"), D("0.01"), D("-0.01"), D("2.00")]


def test_commissionable_half_cents_round_away_from_zero():
    # margins of 0.005 and -0.005 at 100 %: 0.01 and -0.01 (half away from zero)
    rows = (Row(1, DAY, D(10), D("9.995")), Row(2, DAY, D(-10), D("-9.995")))
    result = calc.calculate(Period(plan=Plan(base_rate=D(100), amount_basis="margin"), rows=rows))
    assert [(line.base, line.amount) for line in result.lines] == [
        (D("0.01"), D("0.01")),
        (D("-0.01"), D("-0.01")),
    ]


def test_rules_of_an_integrator_and_the_pools():
    def flat(row, context):  # decides row 1 only
        return calc.data.Decision("flat", D(50), {"why": "test"}) if row.key == 1 else None

    def fee(context, total):  # a period rule without an amount in its explanation
        return [calc.data.Line("fee", D(0), total, D(-1), D(-1), {"rule": "fee"})]

    calculator = calc.Calculator((flat, *calc.DEFAULT_RATE_RULES), (fee,))
    plan = Plan(base_rate=D(5), bonuses=(Bonus(D(0), D(9)),), cap=D(1))
    result = calculator.compute(Period(plan=plan, rows=rows_of(10, 100), quota=D(1)))
    assert [(line.rule, line.amount) for line in result.lines] == [
        ("flat", D("5.00")),
        ("base", D("5.00")),
        ("fee", D(-1)),  # neither bonus nor cap: the calculator's own period rules
    ]
    assert result.lines[-1].explanation == {"rule": "fee", "amount": "-1"}
    assert [(p.rule, p.rate, p.base, p.amount, p.count, p.why) for p in result.pools] == [
        ("flat", D(50), D("10.00"), D("5.00"), 1, {}),
        ("base", D(5), D("100.00"), D("5.00"), 1, {"standard": True}),
    ]
    try:
        calc.Calculator(()).compute(Period(plan=plan, rows=rows_of(10)))
    except ValueError as error:
        assert str(error) == "No rate rule decided for row 1"
    else:
        raise AssertionError("a row no rule decides is refused")


def test_what_if_with_its_own_revenue_and_the_next_steps_ahead():
    plan = Plan(
        tier_mode="retroactive",
        tiers=(TIERS[2], TIERS[0], TIERS[1]),  # in any order
        bonuses=(Bonus(D(120), D(90)), Bonus(D(100), D(250))),
    )
    period = Period(plan=plan, rows=rows_of(5000), quota=D(10000))
    # a quotation of 800 counting 0 for attainment: 5,800 x 5 %
    estimate = calc.what_if(period, [Row(key=0, date=DAY, revenue=D(800))], revenue=D(0))
    assert (estimate.commission, estimate.attainment_after) == (D("40.00"), D(50))
    # exactly at 50 %: the next tier is the one from 100 %, 5,000 away
    steps = calc.next_steps(period, step=D(500))
    assert (steps.to_next_tier, steps.next_tier_rate) == (D(5000), D(8))
    assert (steps.to_next_bonus, steps.next_bonus, steps.step) == (D(5000), D(250), D(500))
    assert steps.per_step == D("25.00")
    # the calculator passed is the one asked: without period rules no bonus at 100 %
    period = Period(plan=plan, rows=rows_of(9900), quota=D(10000))
    # 9,900 at 99 % x 5 % = 495; 10,000 at 100 %: 800 + the bonus of 250
    assert calc.next_steps(period, step=D(100)).per_step == D("555.00")
    bare = calc.Calculator(period_rules=())
    assert calc.next_steps(period, step=D(100), calculator=bare).per_step == D("305.00")
    # no tiers ahead without tiers, none of either without a quota
    none = calc.next_steps(Period(plan=Plan(base_rate=D(5), tiers=TIERS), quota=D(10000)))
    assert (none.to_next_tier, none.next_tier_rate, none.per_step) == (None, None, D("50.00"))
    none = calc.next_steps(Period(plan=plan))
    assert (none.to_next_tier, none.to_next_bonus, none.next_bonus) == (None, None, None)


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
    sys.exit(common.run_as_script(__file__, sys.argv[1:]))
