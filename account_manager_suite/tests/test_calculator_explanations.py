"""The commission calculator's explanations without a database: the exact words of every
rule, tier mode, settled period, correction and claw-back, and numbers as words.

Runs inside ``make test`` and alone, with plain pytest, without Odoo or a database::

    .venv/bin/python account_manager_suite/tests/test_calculator_explanations.py

(see test_calculator.py's docstring for why a script).
"""

import sys
from datetime import date
from decimal import Decimal as D

if __package__:
    from . import calculator_common as common
else:  # run as a script (see the docstring): this folder is first on sys.path
    import calculator_common as common

calc, DAY = common.calc, common.DAY
Bonus, Override, Period = calc.Bonus, calc.Override, calc.Period
Plan, Row, SettledRate = calc.Plan, calc.Row, calc.SettledRate
TIERS, rows_of = common.TIERS, common.rows_of


def test_numbers_as_words():
    text = calc.explain.text
    assert [text(v) for v in (None, 100, D("2.50"), D("1E+2"), 0.5)] == [
        None, "100", "2.5", "100", "0.5"
    ]  # fmt: skip
    assert text(calc.explain.Fraction(1, 8)) == "0.125"
    # no parameters: as written (called by another name: this is no term to translate)
    translate = calc.explain.PLAIN._
    assert translate("50%% more") == "50%% more"


# --- the words of every explanation ---------------------------------------------------


def test_the_words_of_each_rate_rule_of_the_bonus_and_of_the_cap():
    plan = Plan(
        base_rate=D(5),
        category_overrides=(Override(1, D(20), "Services"),),
        customer_tier_overrides=(Override(7, D(8), "Key Account"),),
        new_business_rate=D(10),
        new_business_months=6,
        bonuses=(Bonus(D("99.5"), D(100)),),
        cap=D(150),
    )
    rows = (
        Row(1, DAY, D(1000), categ_path=(1,)),
        Row(2, DAY, D(500), customer_tier=7),
        Row(3, DAY, D(300), new_business_until=date(2026, 7, 15)),
        Row(4, DAY, D("200.5")),
    )
    # attainment 2,000.50 of 1,500 = 133.3667 %; 200 + 40 + 30 + 10.03 + bonus 100 = 380.03
    result = calc.calculate(Period(plan=plan, rows=rows, quota=D(1500)))
    assert [line.text for line in result.lines] == [
        "Product category override of Services: 20%. The period's 1,000.00 under this rule "
        "earn 200.00; this line's 1,000.00 has an exact share of 200, 200.00 to the cent.",
        "Customer tier override of Key Account: 8%. The period's 500.00 under this rule earn "
        "40.00; this line's 500.00 has an exact share of 40, 40.00 to the cent.",
        "New business (in the first 6 months after the hand-over, until 2026-07-15): 10%. "
        "The period's 300.00 under this rule earn 30.00; this line's 300.00 has an exact "
        "share of 30, 30.00 to the cent.",
        "Base rate of the plan: 5%. The period's 200.50 under this rule earn 10.03; this "
        "line's 200.50 has an exact share of 10.025, 10.03 to the cent.",
        "Quota bonus: the attainment of 133.37% reached the threshold of 99.5%; 100.00 once "
        "per period.",
        "Cap of 150.00 per period: the period's commission of 380.03 is cut by -230.03.",
    ]
    assert [line.explanation["why"] for line in result.lines[:4]] == [
        {"category_id": 1, "category": "Services", "inherited": False},
        {"customer_tier_id": 7, "customer_tier": "Key Account"},
        {"until": "2026-07-15", "months": 6},
        {},
    ]
    assert result.lines[4].explanation == {
        "rule": "bonus",
        "threshold": "99.5",
        "attainment": "133.3667",
        "amount": "100.00",
    }
    # overrides without a label are named by their id
    unnamed = Plan(
        category_overrides=(Override(1, D(20)),), customer_tier_overrides=(Override(7, D(8)),)
    )
    rows = (Row(1, DAY, D(100), categ_path=(3, 1)), Row(2, DAY, D(100), customer_tier=7))
    texts = [line.text for line in calc.calculate(Period(plan=unnamed, rows=rows)).lines]
    assert texts[0].startswith("Product category override of 1: 20%. ")
    assert texts[1].startswith("Customer tier override of 7: 8%. ")


def test_the_words_of_each_tier_mode_and_of_a_settled_period():
    expected = {
        # 7,000 of 10,000 = 70 %: 5,000 x 2 % + 2,000 x 5 % = 200 = 2.857143 % of 7,000
        "marginal": "Marginal tiers at 70.00% attainment, each tier's rate on the revenue "
        "inside it (5,000.00 inside 0-50% at 2%; 2,000.00 inside 50-100% at 5%; 0.00 inside "
        "100-∞% at 8%): 2.857143% on the whole. The period's 7,000.00 under this rule earn "
        "200.00; this line's 6,000.00 has an exact share of 171.428571, 171.43 to the cent.",
        "retroactive": "Retroactive tiers: 70.00% attainment reaches the tier from 50%, whose "
        "5% applies to all revenue. The period's 7,000.00 under this rule earn 350.00; this "
        "line's 6,000.00 has an exact share of 300, 300.00 to the cent.",
        # 5 % + (8 % - 5 %) x 20 / 50 = 6.2 %
        "linear": "Linear tiers: 70.00% attainment gives 6.2%, interpolated from the tier "
        "starting at 50%. The period's 7,000.00 under this rule earn 434.00; this line's "
        "6,000.00 has an exact share of 372, 372.00 to the cent.",
    }
    for mode, words in expected.items():
        result = calc.calculate(
            Period(plan=Plan(tier_mode=mode, tiers=TIERS), rows=rows_of(6000, 1000), quota=D(10000))
        )
        assert result.lines[0].text == words, mode
    result = calc.calculate(
        Period(
            plan=Plan(tier_mode="retroactive", tiers=TIERS),
            rows=rows_of(5000),
            quota=D(10000),
            settled=SettledRate("tier", D(5)),
        )
    )
    assert result.lines[0].text == (
        "The rate this settled period was settled with: 5%. The period's 5,000.00 under this "
        "rule earn 250.00; this line's 5,000.00 has an exact share of 250, 250.00 to the cent."
    )
    # without a quota no attainment: a dash
    assert calc.explain._pct(None) == "-"


def test_the_words_of_a_correction_and_of_a_clawback():
    correction = {
        "correction": {
            "period_from": "2026-01-01",
            "period_to": "2026-03-31",
            "now": "120.5",
            "earned": "100",
        },
        "amount": "20.5",
    }
    assert calc.describe(correction) == (
        "Correction of the settled period 2026-01-01 - 2026-03-31: its invoice line earns "
        "120.50 there now and had earned 100.00; the difference of 20.50 is paid with this "
        "period."
    )
    clawback = {"clawback": {"period_from": "2026-01-01", "earned": "1234.5"}, "amount": "-1234.5"}
    assert calc.describe(clawback) == (
        "Claw-back: the invoice was reset or cancelled after it had earned 1,234.50 in the "
        "period from 2026-01-01; -1,234.50 is taken back in this period."
    )

    class Words:  # the module's env: the source and the parameters, translated
        @staticmethod
        def _(source, **params):
            return (source, params)

    source, params = calc.describe(clawback, Words())
    assert source.startswith("Claw-back: the invoice was reset")
    assert params == {"earned": "1,234.50", "start": "2026-01-01", "amount": "-1,234.50"}


if __name__ == "__main__":
    sys.exit(common.run_as_script(__file__, sys.argv[1:]))
