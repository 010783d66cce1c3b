#!/usr/bin/env python3
"""make lint: the README's test table is true.

Every test file of the addon, and of the tools that have tests of their own (the
benchmark's, ``make bench-test``), stands in the table once, with the number of its test
functions (``def test_…``, in a class or at module level, counted from the code with
``ast``), and the sentence above the table gives their sum. The addon's files are named
by their name, the others by their path from the repository's root
(``tools/benchmark/test_benchmark.py``). A test added, removed or moved without the table
following fails the lint, naming the file and both counts.

Usage: check_test_table.py [README]  (default: the repository's README.md)
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "account_manager_suite" / "tests"
# test folders outside the addon, their files named by their path in the table
OTHER_TESTS = (ROOT / "tools" / "benchmark",)
ROW = re.compile(r"^\| (`(?:[\w.-]+/)*test_[^|]*) \| ([\d, ]+) \|")
TOTAL = re.compile(r"\b([\d,]+) test functions\b")


def counted(path):
    """The test functions of one file, from its syntax tree."""
    tree = ast.parse(path.read_text(), str(path))
    return sum(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
        for node in ast.walk(tree)
    )


def table(readme):
    """``{file name: count}`` from the table's rows (a row may list several files and
    as many counts)."""
    stated = {}
    for line in readme.splitlines():
        row = ROW.match(line)
        if not row:
            continue
        files = re.findall(r"`((?:[\w.-]+/)*test_\w+\.py)`", row.group(1))
        counts = [int(count) for count in row.group(2).split(",")]
        if len(files) != len(counts):
            sys.exit(f"README test table: {len(files)} files but {len(counts)} counts in: {line}")
        stated.update(zip(files, counts, strict=True))
    return stated


def listed_files():
    """``{name in the table: path}`` of every test file the table lists."""
    files = {path.name: path for path in sorted(TESTS.glob("test_*.py"))}
    for folder in OTHER_TESTS:
        for path in sorted(folder.glob("test_*.py")):
            files[path.relative_to(ROOT).as_posix()] = path
    return files


def problems(readme_text):
    actual = {name: counted(path) for name, path in listed_files().items()}
    stated = table(readme_text)
    found = []
    for name in sorted(actual.keys() | stated.keys()):
        if name not in stated:
            found.append(f"{name}: {actual[name]} tests, not in the table")
        elif name not in actual:
            found.append(f"{name}: in the table, no such file")
        elif stated[name] != actual[name]:
            found.append(f"{name}: the table says {stated[name]}, the code has {actual[name]}")
    total = TOTAL.search(readme_text)
    if not total:
        found.append("the sentence '<N> test functions' above the table is gone")
    elif int(total.group(1).replace(",", "")) != sum(actual.values()):
        found.append(
            f"the README says {total.group(1)} test functions, the code has {sum(actual.values())}"
        )
    return found


def main():
    readme = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "README.md"
    found = problems(readme.read_text())
    for problem in found:
        print(f"README test table: {problem}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
