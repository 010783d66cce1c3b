"""What the calculator's database-free tests share (test_calculator.py and
test_calculator_properties.py): the calculator imported by its path, small row builders,
and the script mode that runs a test file with plain pytest, without Odoo.
"""

import importlib.util
import os
import sys
import types
from datetime import date
from decimal import Decimal as D
from pathlib import Path

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
Row, Tier = calc.Row, calc.Tier
DAY = date(2026, 2, 1)
CENT = D("0.01")
TIERS = (Tier(D(0), D(50), D(2)), Tier(D(50), D(100), D(5)), Tier(D(100), None, D(8)))


def examples(count):
    """A property's number of hypothesis examples: a tenth under mutmut (``make mutate``
    runs the tests reaching a function once per mutant of it, and the exact tests are
    the ones meant to kill them), all of them anywhere else."""
    return max(10, count // 10) if "MUTANT_UNDER_TEST" in os.environ else count


def rows_of(*amounts, **vals):
    return tuple(Row(key=i, date=DAY, revenue=D(str(a)), **vals) for i, a in enumerate(amounts, 1))


def amounts(result, rule=None):
    return [line.amount for line in result.lines if rule is None or line.rule == rule]


def run_as_script(test_file, args):
    """Run ``test_file``'s tests with plain pytest: the parent packages as bare
    namespaces, so that their ``__init__`` (Odoo) is never run."""
    import pytest

    for package, folder in (
        ("account_manager_suite", CALCULATOR.parent),
        ("account_manager_suite.tests", CALCULATOR.parent / "tests"),
    ):
        stub = types.ModuleType(package)
        stub.__path__ = [str(folder)]
        sys.modules[package] = stub
    return pytest.main([test_file, "-p", "no:odoo", "-p", "no:cacheprovider", *args])
