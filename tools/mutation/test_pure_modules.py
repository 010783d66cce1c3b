"""The pure modules' own tests, collected for mutmut (``make mutate``) without Odoo.

mutmut copies the pure modules (``setup.cfg`` ``[mutmut]``) and their tests into
``mutants/`` and runs pytest there. The modules must be imported under their real names
(``account_manager_suite.calculator.engine``: mutmut's trampolines find the active mutant
by module name) and without running ``account_manager_suite/__init__.py`` (which imports
the Odoo models): the parent packages are bare namespaces here, the names the tests import
them by (``ams_calculator_under_test``, ``odoo.addons.account_manager_suite…``) point to
the same modules, and the tests' functions and classes are collected from this file.
"""

import importlib
import importlib.util
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout, or mutmut's mutants/ copy
PACKAGE = ROOT / "account_manager_suite"
# (pure module, how its tests import it, its test file)
PURE = (
    ("account_manager_suite.calculator", "ams_calculator_under_test", "test_calculator"),
    (
        "account_manager_suite.calculator",
        "ams_calculator_under_test",
        "test_calculator_properties",
    ),
    (
        "account_manager_suite.calculator",
        "ams_calculator_under_test",
        "test_calculator_explanations",
    ),
    (
        "account_manager_suite.health",
        "odoo.addons.account_manager_suite.health",
        "test_health_scoring",
    ),
)

# not about what the pure modules compute: the structure check reads the models/ folder,
# which mutmut does not copy, and the functions mutmut rewrites (each with its mutants)
NOT_HERE = {"test_no_method_of_the_commission_code_is_longer_than_60_lines"}


def _namespace(name, folder):
    if name not in sys.modules:
        module = types.ModuleType(name)
        module.__path__ = [str(folder)]
        sys.modules[name] = module
    return sys.modules[name]


def _collect():
    _namespace("account_manager_suite", PACKAGE)
    _namespace("account_manager_suite.tests", PACKAGE / "tests")
    found = {}
    for real, alias, test_file in PURE:
        folder = PACKAGE / real.rpartition(".")[2]
        path = PACKAGE / "tests" / f"{test_file}.py"
        if not folder.exists() or not path.exists():
            continue  # a pure module not on this branch
        if not (folder / "__init__.py").exists():
            # mutmut copies the source paths only: the package's __init__.py goes into
            # setup.cfg's also_copy, else its tests would silently reach no mutant
            raise RuntimeError(f"{folder / '__init__.py'} is missing: add it to also_copy")
        module = importlib.import_module(real)
        sys.modules[alias] = module
        if alias.startswith("odoo.addons."):
            # the alias's parents, and each submodule under the alias as well
            _namespace("odoo.addons.account_manager_suite", PACKAGE)
            for name in list(sys.modules):
                if name.startswith(real + "."):
                    sys.modules[alias + name[len(real) :]] = sys.modules[name]
            for submodule in folder.glob("*.py"):
                if submodule.stem != "__init__":
                    loaded = importlib.import_module(f"{real}.{submodule.stem}")
                    sys.modules[f"{alias}.{submodule.stem}"] = loaded
        name = f"account_manager_suite.tests.{test_file}"
        spec = importlib.util.spec_from_file_location(name, path)
        tests = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = tests
        spec.loader.exec_module(tests)
        found.update(
            {
                name: value
                for name, value in vars(tests).items()
                if name.startswith(("test_", "Test")) and callable(value) and name not in NOT_HERE
            }
        )
    return found


globals().update(_collect())
