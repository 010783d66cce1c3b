"""make mutate: one-line bugs planted in the database-bound code, one at a time, and
whether the tests of the files concerned catch each one; then mutmut over the pure modules.

Each mutation names its file, an anchor (the text it looks after: a ``def`` or a record
id), the snippet it replaces (the first occurrence after the anchor) and the replacement,
the tests that should catch it (a pytest ``-k`` expression) and what bug it plants. The
snippet, not a line number, finds the place: code rewritten since is reported ``stale``,
never mutated blindly. The file is copied aside, mutated in place for the run and put
back afterwards, on Ctrl-C and on SIGTERM too.

Python mutations run against one database prepared once from the unmutated source (a
copy of it per mutation); a mutation of XML data (a record rule, a scheduled action)
installs the module again from the mutated source.

    python tools/mutate.py                 # every mutation, then the pure modules
    python tools/mutate.py --only M03,M07  # some of them
    python tools/mutate.py --list          # the list, and which snippets are stale
    python tools/mutate.py --no-pure       # skip mutmut

Exit status: 0 when every mutation that applies is caught (and the pure modules score at
least 90 %), 1 otherwise.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "account_manager_suite"
PURE_MIN_SCORE = 90.0

BOUNDARIES = "TestBoundaries"
ATTRIBUTION = "TestAttribution or TestQuota or TestBoundaries"
COMMISSION = "TestCommission or TestBoundaries"
# TestSettlement matches TestSettlementCorrections too (-k matches substrings)
SETTLEMENT = "TestSettlement or TestCommissionQueue"


@dataclass
class Mutation:
    key: str
    path: str
    anchor: str
    snippet: str
    replacement: str
    tests: str
    bug: str
    at_install: bool = False  # Python that the module's install turns into SQL (triggers)
    http: bool = False  # its tests call the server over HTTP (JSON-RPC, no browser)

    @property
    def data(self):
        return self.at_install or self.path.endswith(".xml")


OWNERSHIP = "account_manager_suite/models/account_manager_ownership.py"
REVENUE = "account_manager_suite/models/account_manager_revenue.py"
ORDERS = "account_manager_suite/models/account_manager_revenue_orders.py"
RECEIVABLES = "account_manager_suite/models/account_manager_revenue_receivables.py"
CORRECTION = "account_manager_suite/models/account_manager_commission_line_correction.py"
DISPUTE = "account_manager_suite/models/account_manager_commission_line_dispute.py"
PLAN = "account_manager_suite/models/account_manager_commission_plan.py"
HEALTH = "account_manager_suite/models/res_partner_health.py"
QUOTA = "account_manager_suite/models/account_manager_quota.py"
PERIOD = "account_manager_suite/models/account_manager_commission_line_period.py"
SUMMARY = "account_manager_suite/models/account_manager_revenue_day.py"
SECURITY = "account_manager_suite/security/account_manager_suite_security.xml"
CRONS = "account_manager_suite/data/ir_cron_data.xml"
# the commission calculator (pure Python, mutmut mutates it too): its rules planted here
# are the module's rules, which the database tests must hold through the models
ALLOCATION = "account_manager_suite/calculator/allocation.py"
RULES = "account_manager_suite/calculator/rules.py"
TIERS = "account_manager_suite/calculator/tiers.py"

MUTATIONS = [
    # the one ownership-on-a-date join (revenue, commission base, orders, owner on a date)
    Mutation("M01", OWNERSHIP, "def _sql_join(", "AND %(day)s >= %(own)s.date_from",
             "AND %(day)s > %(own)s.date_from", f"{ATTRIBUTION} or TestCommission",
             "revenue, commissions and orders of an owner's first day go to nobody"),
    Mutation("M02", OWNERSHIP, "def _sql_join(", "OR %(day)s <= %(own)s.date_to)",
             "OR %(day)s < %(own)s.date_to)", f"{ATTRIBUTION} or TestCommission",
             "revenue, commissions and orders of an owner's last day go to nobody"),
    Mutation("M03", REVENUE, "def _revenue_source(", "SQL(\"aml.parent_state = 'posted'\")",
             "SQL(\"aml.parent_state != 'cancel'\")", f"{ATTRIBUTION} or TestCommission",
             "draft invoices count as revenue and earn commission"),
    Mutation("M04", REVENUE, "def _revenue(",
             'SQL("rd.invoice_date BETWEEN %s AND %s", start, end)',
             'SQL("rd.invoice_date >= %s AND rd.invoice_date < %s", start, end)', ATTRIBUTION,
             "a period's last day is left out of its revenue"),
    # the same rule as a domain (the portfolio at a quarter's end)
    Mutation("M05", OWNERSHIP, "def _domain_on(", '("date_from", "<=", day)',
             '("date_from", "<", day)', f"{BOUNDARIES} or TestQuarterly",
             "an account whose owner starts on a quarter's last day is in nobody's portfolio"),
    Mutation("M06", OWNERSHIP, "def _domain_on(", '("date_to", ">=", day)',
             '("date_to", ">", day)', f"{BOUNDARIES} or TestQuarterly",
             "an account whose owner leaves on a quarter's last day is in nobody's portfolio"),
    # the commission base beyond the revenue lines: cost history, period, cost, paid basis
    Mutation("M07", REVENUE, "def _commission_details(",
             "am.invoice_date < hist.valid_to", "am.invoice_date <= hist.valid_to",
             COMMISSION, "the margin of a cost change's day uses the old cost"),
    Mutation("M08", REVENUE, "def _commission_base_invoiced(",
             'SQL("am.invoice_date BETWEEN %s AND %s", date_from, date_to)',
             'SQL("am.invoice_date > %s AND am.invoice_date <= %s", date_from, date_to)',
             COMMISSION, "no commission on a period's first day"),
    Mutation("M09", REVENUE, "def _commission_cost(", "ELSE SIGN(-aml.balance) * ABS(aml.quantity)",
             "ELSE ABS(aml.quantity)", COMMISSION,
             "a credit note's cost is added to its margin instead of taken off"),
    Mutation("M10", REVENUE, "def _commission_base_paid(",
             "ON m.id = l.move_id AND m.move_type IN ('out_invoice', 'out_refund')",
             "ON m.id = l.move_id AND m.move_type IN ('out_invoice')", COMMISSION,
             "paid basis: a credit note reconciled with its invoice no longer cancels its share"),
    # orders and receivables
    Mutation("M11", ORDERS, "def _order_revenue(",
             'SQL("so.date_order < %s", date_to + timedelta(days=1))',
             'SQL("so.date_order < %s", date_to)', BOUNDARIES,
             "orders of a period's last day are left out (order dates are datetimes)"),
    Mutation("M12", ORDERS, "def _order_revenue(",
             'SQL("p.commercial_partner_id"), SQL("so.date_order::date")',
             'SQL("p.commercial_partner_id"), SQL("so.date_order")', BOUNDARIES,
             "the order's datetime, not its day, against the ownership dates: an evening "
             "order of an owner's last day goes to nobody"),
    Mutation("M13", RECEIVABLES, "def _receivables_aging(", "FILTER (WHERE late <= 0)",
             "FILTER (WHERE late < 0)", f"{BOUNDARIES} or TestHealth",
             "a receivable due today is neither due nor overdue"),
    Mutation("M14", RECEIVABLES, "def _receivables_aging(", "AND aml.parent_state = 'posted'",
             "AND aml.parent_state != 'cancel'", f"{BOUNDARIES} or TestHealth",
             "draft invoices count as open receivables"),
    # rates, rounding, thresholds: the calculator's rules, through the models
    Mutation("M15", ALLOCATION, "def round_ratio(",
             "magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)",
             "magnitude = round(abs(numerator) / denominator)", COMMISSION,
             "Python's round (half to even, of a float: 1.005 -> 1.00) instead of half away "
             "from zero"),
    Mutation("M16", ALLOCATION, "def round_ratio(",
             "magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)",
             "magnitude = abs(numerator) // denominator", COMMISSION,
             "amounts truncated instead of rounded"),
    Mutation("M17", RULES, "DEFAULT_RATE_RULES = ",
             "(category_override, customer_tier_override, new_business, standard)",
             "(customer_tier_override, category_override, new_business, standard)",
             COMMISSION, "the customer-tier override wins over the category override"),
    Mutation("M18", RULES, "def new_business(", "if row.date >= row.new_business_until:",
             "if row.date > row.new_business_until:", COMMISSION,
             "new business lasts a day too long"),
    Mutation("M19", RULES, "def quota_bonuses(", "if attainment < bonus.threshold:",
             "if attainment <= bonus.threshold:", COMMISSION,
             "no bonus at exactly the threshold"),
    Mutation("M20", RULES, "def period_cap(", "if not cap or total <= cap",
             "if not cap or total < cap", COMMISSION,
             "a zero cap line when the total is exactly the cap"),
    Mutation("M21", TIERS, "def reached(", "if attainment >= tier.start]",
             "if attainment > tier.start]", COMMISSION,
             "attainment exactly at a tier's start gets the tier below"),
    Mutation("M22", PLAN, "def _period_of(", "date_utils.end_of(day, self.period_type)",
             'date_utils.end_of(day, "quarter")', f"{BOUNDARIES} or {SETTLEMENT}",
             "every plan's period ends with its quarter (monthly and yearly plans)"),
    # claw-backs and rights
    Mutation("M23", CORRECTION, "def _clawback(",
             'lines.filtered(lambda line: line.state == "draft" and not line.settlement_id)',
             'lines.filtered(lambda line: line.state == "draft")', SETTLEMENT,
             "an invoice reset deletes its lines from an approved settlement"),
    Mutation("M24", DISPUTE, "def action_dispute(",
             'self.sudo().write({"disputed": True, "dispute_note": note or False})',
             'self.write({"disputed": True, "dispute_note": note or False})', SETTLEMENT,
             "sudo() removed: a manager cannot dispute their own line"),
    Mutation("M25", SECURITY, '<record id="account_manager_commission_line_rule_manager"',
             "<field name=\"domain_force\">[('user_id', '=', user.id)]</field>",
             "<field name=\"domain_force\">[(1, '=', 1)]</field>",
             "TestCommission or TestSecurityMatrix",
             "record rule: a manager sees every manager's commission lines"),
    # the health job
    Mutation("M26", CRONS, '<record id="ir_cron_compute_health"',
             "model._cron_compute_health()", "model._cron_compute_healt()", "TestHealth",
             "a typo in a scheduled action's code line"),
    Mutation("M27", HEALTH, "def _cron_compute_health(", '("health_date", "<", today)',
             '("health_date", "<=", today)', "TestHealth",
             "the health job scores today's accounts again: it never finishes"),
    # the summary of the ledger: its triggers are made at install from this Python
    Mutation("M28", SUMMARY, "MOVE_COLUMNS = (", '"account_manager_id")', ")",
             "TestRevenueSummary or TestStoredManager",
             "the summary misses an owner change: re-attributed revenue stays with the old "
             "owner", at_install=True),
    Mutation("M29", SUMMARY, "def _line_changes(", "sign=-1", "sign=1",
             "TestRevenueSummary or TestAttribution",
             "a deleted line of a posted invoice adds its revenue instead of taking it off",
             at_install=True),
    # the doors closed on 2026-12-07 (issue 14)
    Mutation("M30", SECURITY, '<record id="account_manager_commission_bonus_rule_manager"',
             "[('plan_id.assignment_ids.user_id', '=', user.id)]", "[(1, '=', 1)]",
             "TestPersonnelData", "a manager reads the bonuses of every colleague's plan",
             http=True),
    Mutation("M31", QUOTA, "def _readable_figures(",
             "return self.filtered(lambda quota: quota.user_id == self.env.user)",
             "return self", "TestPersonnelData",
             "a new quota typed for a colleague computes their commission figures", http=True),
    Mutation("M32", HEALTH, "def _compute_health_reasons(",
             "if partner.commercial_partner_id in visible", "if partner",
             "TestHealth", "every internal user reads an account's health reasons"),
    Mutation("M33", REVENUE, "def _commission_cost(", "NULLIF(cogs.quantity, 0)",
             "NULLIF(ABS(aml.quantity), 0)", COMMISSION,
             "an invoice's cost of goods is charged in full to each of its lines of the product"),
    Mutation("M34", PERIOD, "def _compute_period(", '("disputed", "=", True)], order="id")',
             '("disputed", "=", False)], order="id")', "TestSettlement",
             "a recompute keeps the undisputed lines and computes the disputed ones again"),
]  # fmt: skip


def apply(mutation, text):
    """The mutated text, or None when the anchor or the snippet after it is gone."""
    start = text.find(mutation.anchor)
    if start < 0:
        return None
    at = text.find(mutation.snippet, start)
    if at < 0:
        return None
    return text[:at] + mutation.replacement + text[at + len(mutation.snippet) :]


class Planted:
    """The mutated file in place for the block; the original back afterwards, whatever
    happens (an exception, Ctrl-C, SIGTERM)."""

    def __init__(self, path, text):
        self.path, self.text = path, text

    def __enter__(self):
        fd, backup = tempfile.mkstemp(prefix=f"ams_mutate_{self.path.name}.")
        os.close(fd)
        self.backup = Path(backup)
        shutil.copy2(self.path, self.backup)
        self.previous = signal.signal(signal.SIGTERM, self._terminated)
        self.path.write_text(self.text)
        return self

    def _terminated(self, signum, frame):
        raise KeyboardInterrupt

    def __exit__(self, *exc):
        shutil.copy2(self.backup, self.path)
        self.backup.unlink()
        signal.signal(signal.SIGTERM, self.previous)
        return False


def env():
    """The project's environment (tools/env.sh) as a dict."""
    out = subprocess.run(
        ["bash", "-c", f"source {ROOT}/tools/env.sh && env -0"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(item.split("=", 1) for item in out.split("\0") if "=" in item)


def db_tool(environ, *args):
    subprocess.run(
        [f"{environ['VENV']}/bin/python", str(ROOT / "tools" / "odoo_db.py"), *args],
        check=True,
        env=environ,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def copy_db(template, name):
    subprocess.run(["dropdb", "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", "-T", template, name], check=True)


def pytest(environ, db, tests, log, http=False):
    # without --odoo-http unless the mutation's tests call the server (JSON-RPC): no browser
    # test is among them; pytest-odoo's HTTP server takes a free port
    cmd = [
        f"{environ['VENV']}/bin/python", "-m", "pytest", "-p", "no:cacheprovider", "-x", "-q",
        "--odoo-config", environ["ODOO_RC"], "--odoo-database", db,
        *(["--odoo-http"] if http else []), str(MODULE / "tests"), "-k", tests,
    ]  # fmt: skip
    with open(log, "w") as out:
        return subprocess.run(cmd, env=environ, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


def summary_line(log):
    """pytest's last line (``1 failed, 3 passed in 9.81s``) and the first test that failed."""
    lines = [line.strip("= ") for line in Path(log).read_text().splitlines() if line.strip()]
    counts = next(
        (line for line in reversed(lines) if re.match(r"\d+ (passed|failed|error)", line)),
        "no summary",
    )
    failed = next(
        (line.split("::")[-1].split(" ")[0] for line in lines if line.startswith("FAILED ")), None
    )
    return f"{counts}; caught by {failed}" if failed else counts


def run_mutations(mutations, db_prefix, logs):
    environ = {**os.environ, **env()}
    environ.pop("PYTEST_DB_USE_ENV_VARS", None)
    base = f"{db_prefix}_base"
    print(f"Preparing {base}: the module installed from the unmutated source")
    environ["AMS_TEMPLATE_DB"] = subprocess.run(
        [f"{environ['VENV']}/bin/python", str(ROOT / "tools" / "odoo_db.py"), "template"],
        check=True, env=environ, cwd=ROOT, capture_output=True, text=True,
    ).stdout.split()[-1]  # fmt: skip
    db_tool(environ, "test-db", base)
    results = []
    for mutation in mutations:
        path = ROOT / mutation.path
        mutated = apply(mutation, path.read_text())
        if mutated is None:
            results.append((mutation, "stale", "snippet not found"))
            print(f"{mutation.key}  stale     {mutation.bug} ({mutation.path})")
            continue
        db = f"{db_prefix}_run"
        log = logs / f"{mutation.key}.log"
        started = time.monotonic()
        with Planted(path, mutated):
            if mutation.data:  # data is read at install: install from the mutated source
                db_tool(environ, "test-db", db)
            else:
                copy_db(base, db)
            result = pytest(environ, db, mutation.tests, log, mutation.http)
        seconds = time.monotonic() - started
        # pytest: 0 all passed (the bug survived), 1 a test failed (caught), else an error
        status = {0: "SURVIVED", 1: "caught"}.get(result.returncode, "error")
        results.append((mutation, status, summary_line(log)))
        print(
            f"{mutation.key}  {status:<9} {mutation.bug} ({mutation.path}; "
            f"{summary_line(log)}; {seconds:.0f}s)"
        )
    subprocess.run(["dropdb", "--if-exists", "--force", f"{db_prefix}_run"], check=False)
    # the table for the README
    table = ["| Mutation | Bug planted | File | Result |", "| --- | --- | --- | --- |"]
    table += [
        f"| {m.key} | {m.bug} | `{Path(m.path).name}` | {status}: {note} |"
        for m, status, note in results
    ]
    (logs / "results.md").write_text("\n".join(table) + "\n")
    return results


def run_pure(logs):
    """mutmut over the pure modules (setup.cfg [mutmut]); returns the score or None."""
    environ = {**os.environ, **env(), "AMS_PURE_TESTS": "1"}
    present = [
        path for path in (MODULE / "calculator", MODULE / "health" / "scoring.py") if path.exists()
    ]
    if not present:
        print("pure modules: none on this branch (calculator/, health/scoring.py): not run")
        return None
    mutmut = f"{environ['VENV']}/bin/mutmut"
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    config = ROOT / "setup.cfg"
    text = config.read_text()
    for missing in {MODULE / "calculator", MODULE / "health" / "scoring.py"} - set(present):
        # mutmut stops on a source path that does not exist: leave it out for this run
        relative = str(missing.relative_to(ROOT)) + ("/" if missing.suffix != ".py" else "")
        text = text.replace(f"    {relative}\n", "")
    with Planted(config, text), open(logs / "mutmut.log", "w") as out:
        subprocess.run([mutmut, "run"], env=environ, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    results = subprocess.run(
        [mutmut, "results", "--all", "true"], env=environ, cwd=ROOT, capture_output=True, text=True
    ).stdout
    counts = {}
    for line in results.splitlines():
        if ":" in line:
            status = line.rsplit(":", 1)[1].strip()
            counts[status] = counts.get(status, 0) + 1
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    total = sum(counts.values())
    score = 100.0 * killed / total if total else 0.0
    print(f"pure modules ({', '.join(str(p.relative_to(ROOT)) for p in present)}): "
          f"{killed} of {total} mutants killed, {score:.1f} % {counts}")  # fmt: skip
    return score


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated keys, e.g. M01,M05")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--no-pure", action="store_true", help="skip mutmut")
    parser.add_argument("--no-db", action="store_true", help="skip the database mutations")
    parser.add_argument("--db", default=os.environ.get("MUTATE_DB", "ams_mutate"))
    args = parser.parse_args()
    mutations = MUTATIONS
    if args.only:
        keys = set(args.only.split(","))
        mutations = [m for m in MUTATIONS if m.key in keys]
    if args.list:
        for m in mutations:
            state = "ok   " if apply(m, (ROOT / m.path).read_text()) else "stale"
            print(f"{m.key}  {state}  {m.bug}  [{m.path}; -k {m.tests}]")
        return 0
    logs = ROOT / ".odoo" / "mutate"
    logs.mkdir(parents=True, exist_ok=True)
    failed = False
    try:
        if not args.no_db:
            results = run_mutations(mutations, args.db, logs)
            counts = {s: sum(1 for _m, st, _n in results if st == s)
                      for s in ("caught", "SURVIVED", "stale", "error")}  # fmt: skip
            print(
                f"database-bound code: {counts['caught']} caught, {counts['SURVIVED']} survived, "
                f"{counts['stale']} stale, {counts['error']} errors of {len(results)} mutations"
            )
            failed = bool(counts["SURVIVED"] or counts["error"])
        if not args.no_pure:
            score = run_pure(logs)
            failed = failed or (score is not None and score < PURE_MIN_SCORE)
    except KeyboardInterrupt:
        print("interrupted: every mutated file was put back")
        return 130
    print(f"logs: {logs}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
