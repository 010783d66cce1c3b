#!/usr/bin/env python3
"""make lint: no function longer than 60 lines, no module file longer than 500 lines, no
``sudo()`` without the reason it is safe.

A function's length is the lines of its body, without its docstring and without the
lines of its data tables: list, tuple, set and dict literals without logic, made of
constants, names, attributes, nested tables, lambdas (a table's entries, e.g. test cases)
and calls on those (``date(2026, 1, 1)``, ``_("Label")``). A table is data, however long;
an expression that computes (arithmetic, conditions, comprehensions) is logic.

Every ``.sudo(`` call of the addon outside its tests says why it is safe (what it reads or
writes, and why the caller is entitled to it): a comment starting with ``# sudo:`` on its
line or within the 4 lines above it, or a block of comments containing ``sudo:`` directly
above it or above the statement it is part of.

Usage: check_structure.py [PATH ...]  (default: the addon)
"""

import ast
import sys
from pathlib import Path

MAX_FUNCTION_LINES = 60
MAX_FILE_LINES = 500
SUDO_COMMENT = "# sudo:"
SUDO_COMMENT_REACH = 4  # lines above the call
ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "account_manager_suite"

# Exceptions, each with its reason: a file's entry excuses the whole file, a
# "file::function" entry that function only. None today.
ALLOWED: set[str] = set()


def is_data(node):
    """Whether ``node`` is a constant, a name, or a table or call made of those."""
    if isinstance(node, ast.Constant | ast.Name | ast.Lambda):
        return True
    if isinstance(node, ast.Attribute):
        return is_data(node.value)
    if isinstance(node, ast.Starred):
        return is_data(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
        return True
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return all(is_data(element) for element in node.elts)
    if isinstance(node, ast.Dict):
        return all(key is None or is_data(key) for key in node.keys) and all(
            is_data(value) for value in node.values
        )
    if isinstance(node, ast.Call):
        return (
            is_data(node.func)
            and all(is_data(arg) for arg in node.args)
            and all(is_data(keyword.value) for keyword in node.keywords)
        )
    return False


def table_lines(function):
    """The lines of ``function`` inside its data tables (of two lines or more)."""
    lines = set()
    for node in ast.walk(function):
        if (
            isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict)
            and node.end_lineno > node.lineno
            and is_data(node)
        ):
            lines.update(range(node.lineno, node.end_lineno + 1))
    return lines


def function_length(function):
    body = function.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:]  # the docstring
    if not body:
        return 0
    lines = set(range(body[0].lineno, body[-1].end_lineno + 1))
    return len(lines - table_lines(function))


def comment_block_above(lines, lineno):
    """The comment lines directly above line ``lineno`` (1-based), nearest last."""
    block = []
    index = lineno - 2
    while index >= 0 and lines[index].lstrip().startswith("#"):
        block.insert(0, lines[index].strip())
        index -= 1
    return block


def sudo_explained(lines, lineno, statement_lineno):
    """Whether the ``sudo()`` call on line ``lineno`` of a statement starting on line
    ``statement_lineno`` has its reason in a comment."""
    if SUDO_COMMENT in lines[lineno - 1]:
        return True
    above = lines[max(lineno - 1 - SUDO_COMMENT_REACH, 0) : lineno - 1]
    if any(line.lstrip().startswith(SUDO_COMMENT) for line in above):
        return True
    return any(
        "sudo:" in comment
        for start in {lineno, statement_lineno}
        for comment in comment_block_above(lines, start)
    )


def unexplained_sudo(tree, lines):
    """The lines of the ``.sudo(`` calls of a module without a ``# sudo:`` comment."""
    found = []
    statements = [node for node in ast.walk(tree) if isinstance(node, ast.stmt)]
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "sudo"
        ):
            continue
        lineno = node.func.end_lineno  # the line of ``.sudo(`` in a chain over several lines
        statement = min(
            (s for s in statements if s.lineno <= lineno <= s.end_lineno),
            key=lambda s: s.end_lineno - s.lineno,
        )
        if not sudo_explained(lines, lineno, statement.lineno):
            found.append(lineno)
    return sorted(set(found))


def check_file(path):
    """The problems of one Python file, as ``path:line: message`` strings."""
    relative = path.resolve().relative_to(ROOT).as_posix()
    if relative in ALLOWED:
        return []
    text = path.read_text(encoding="utf-8")
    problems = []
    lines = text.splitlines()
    count = len(lines)
    if count > MAX_FILE_LINES:
        problems.append(
            f"{relative}:1: {count} lines, more than {MAX_FILE_LINES}: split it by concern"
        )
    tree = ast.parse(text, filename=relative)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = function_length(node)
            if length > MAX_FUNCTION_LINES and f"{relative}::{node.name}" not in ALLOWED:
                problems.append(
                    f"{relative}:{node.lineno}: {node.name} is {length} lines long, more than "
                    f"{MAX_FUNCTION_LINES} (data tables aside): split it"
                )
    if relative.startswith(f"{ADDON.name}/") and not relative.startswith(f"{ADDON.name}/tests/"):
        problems.extend(
            f"{relative}:{lineno}: sudo() without a '{SUDO_COMMENT}' comment saying why it is "
            "safe (what it reads or writes, and why the caller is entitled to it)"
            for lineno in unexplained_sudo(tree, lines)
        )
    return problems


def main(argv):
    paths = [Path(arg) for arg in argv] or [ADDON]
    files = sorted(
        file for path in paths for file in ([path] if path.is_file() else path.rglob("*.py"))
    )
    problems = [problem for file in files for problem in check_file(file)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
