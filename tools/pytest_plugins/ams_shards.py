"""pytest plugin of `make test` (tools/test.sh): the suite cut into shards that run side by
side, each a pytest process in a database of its own.

    --ams-shard=I/N          run only the I-th of N shards (1-based) of what was collected
    --ams-plan=N:FILE        with --collect-only: write to FILE how many shards (at most N)
                             the collected tests are worth, and their estimated seconds
    --ams-durations-out=FILE write each test's measured seconds (the table below is made
                             this way, from a serial run: AMS_TEST_PARALLEL=0)

Every shard collects the same tests (the same arguments, so a contributor's ``-k`` or file
path selects the same tests in each) and keeps its own part: the plan is a function of the
collected tests only, so all shards agree on it without talking to each other. A test class
is never cut (its ``setUpClass``, a company and its chart of accounts, would run twice);
the classes that drive Chromium (``BrowserTours``) stay together in one shard, so that two
browsers never start at once (tours are CPU-hungry and time out under load), and they run
at the end of their shard. Units are
dealt longest first to the shard with the least work (LPT), their weights from
``test_durations.json`` (measured seconds of each test and of each class's set-up), with
the median for a test or class the table does not know yet.
"""

import json
import statistics
from pathlib import Path

import pytest

DURATIONS = Path(__file__).with_name("test_durations.json")
# Below this much estimated work a second shard costs more than it saves (its own pytest
# process, registry and database copy, about 20 s of CPU on a 2-core machine).
MIN_SECONDS_TO_SPLIT = 90.0
TOURS = "<browser tours>"


def pytest_addoption(parser):
    group = parser.getgroup("ams_shards", "make test's shards (tools/pytest_plugins)")
    group.addoption("--ams-shard", help="I/N: run only the I-th of N shards")
    group.addoption("--ams-plan", help="N:FILE: write the number of shards worth running")
    group.addoption("--ams-durations-out", help="FILE: write each test's seconds as JSON")


def _name(nodeid):
    """A test's name in the table: its file's name (unique in the tests folder) and the rest
    of its node id, the same whatever directory pytest takes as its root."""
    path, _, rest = nodeid.partition("::")
    return f"{Path(path).name}::{rest}" if rest else Path(path).name


def _key(nodeid):
    """The class of a test (``file::Class``), or its file for a test function."""
    parts = _name(nodeid).split("::")
    return "::".join(parts[:2]) if len(parts) > 2 else parts[0]


def _unit(item):
    """The unit a test is dealt in: its class (one set-up), or its file; every class that
    runs browser tours is one unit with the others."""
    cls = getattr(item, "cls", None)
    if cls is not None and any(base.__name__ == "BrowserTours" for base in cls.__mro__):
        return TOURS
    return _key(item.nodeid)


def _weights(items):
    """Estimated seconds of each unit: its tests' own seconds and its classes' set-up."""
    table = json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}
    tests, setups = table.get("tests", {}), table.get("setups", {})
    default_test = statistics.median(tests.values()) if tests else 1.0
    default_setup = statistics.median(setups.values()) if setups else 5.0
    weights, seen = {}, set()
    for item in items:
        unit = _unit(item)
        seconds = tests.get(_name(item.nodeid), default_test)
        key = _key(item.nodeid)
        if key not in seen:
            seen.add(key)
            seconds += setups.get(key, default_setup)
        weights[unit] = weights.get(unit, 0.0) + seconds
    return weights


def plan(items, shards):
    """``(units of each shard, estimated seconds of each shard)``, for ``shards`` shards."""
    weights = _weights(items)
    loads = [0.0] * shards
    members = [set() for _ in range(shards)]
    for unit in sorted(weights, key=lambda u: (-weights[u], u)):
        target = min(range(shards), key=lambda i: (loads[i], i))
        members[target].add(unit)
        loads[target] += weights[unit]
    return members, loads


def worth(items, most):
    """How many shards (1 to ``most``) the collected tests are worth."""
    weights = _weights(items)
    if sum(weights.values()) < MIN_SECONDS_TO_SPLIT:
        return 1
    return max(1, min(most, len(weights)))


# last, after pytest's own -k and -m have deselected what they do not want
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    shard = config.getoption("--ams-shard")
    wanted = config.getoption("--ams-plan")
    if wanted:
        most, path = wanted.split(":", 1)
        count = worth(items, int(most))
        loads = plan(items, count)[1] if items else [0.0]
        Path(path).write_text(f"{count} {' '.join(str(round(s)) for s in loads)}\n")
    if not shard:
        return
    index, count = (int(n) for n in shard.split("/"))
    mine = plan(items, count)[0][index - 1]
    # the tours last: by then the install tests beside the shards (Odoo subprocesses that
    # keep both cores busy for their first two minutes) are done, and Chromium is not starved
    kept = sorted(
        (item for item in items if _unit(item) in mine), key=lambda item: _unit(item) == TOURS
    )  # stable: the order otherwise kept
    deselected = [item for item in items if _unit(item) not in mine]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = kept


_measured = {"tests": {}, "setups": {}}


def pytest_runtest_logreport(report):
    if report.when == "call":
        _measured["tests"][_name(report.nodeid)] = round(report.duration, 2)
    elif report.when in ("setup", "teardown"):
        # a class's setUpClass runs in its first test's set-up, its tearDownClass in its
        # last test's tear-down: the set-up of a unit is what its tests' phases add up to
        key = _key(report.nodeid)
        setups = _measured["setups"]
        setups[key] = round(setups.get(key, 0.0) + report.duration, 2)


def pytest_sessionfinish(session):
    path = session.config.getoption("--ams-durations-out")
    if path and _measured["tests"]:
        data = {name: dict(sorted(values.items())) for name, values in _measured.items()}
        Path(path).write_text(json.dumps(data, indent=1) + "\n")
