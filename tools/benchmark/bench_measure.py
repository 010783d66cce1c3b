"""Measure the module on a benchmark data set: wall time, queries and peak memory.

(a) attainment of every manager for the quarter (the quotas' live figures)
(b) commission lines of every manager for the quarter, from scratch
(c) the quarterly results XLSX for all managers
(d) the account status report (XLSX and HTML) for a 500-account portfolio
(e) the floor: one plain SQL GROUP BY over account_move_line, revenue per manager
(f) OCA's sale_commission_oca: agents computed on the quarter's invoice lines, then settled
(g) the incremental path: one invoice changed, the queue job recomputing its manager
(w) the floor of (b): one plain SQL INSERT ... SELECT writing the same rows (a copy of the
    quarter's lines, every column but the id, with the same constraints and foreign keys),
    measured just before (b), from the state (b) starts from
"""

import os
import platform
import subprocess
import time
from datetime import date
from datetime import timedelta
from pathlib import Path

import bench_data

from odoo.tools import SQL
from odoo.tools import date_utils

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "BENCHMARKS.md"
PORTFOLIO = 500


def _reset_peak():
    # Writing 5 to clear_refs resets the process's peak resident size (VmHWM).
    try:
        Path(f"/proc/{os.getpid()}/clear_refs").write_text("5")
    except OSError:
        pass


def _rss(field):
    for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


class Step:
    def __init__(self, key, label):
        self.key, self.label = key, label
        self.seconds = self.queries = self.peak_mb = 0.0
        self.note = ""


def measure(env, key, label, function):
    """Run ``function`` once with cold caches; returns the Step and the result."""
    env.flush_all()
    env.invalidate_all()
    env.registry.clear_cache()
    step = Step(key, label)
    before_rss = _rss("VmRSS")
    _reset_peak()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = function()
    env.flush_all()
    step.seconds = time.perf_counter() - start
    step.queries = env.cr.sql_log_count - queries
    step.peak_mb = max(_rss("VmHWM") - before_rss, 0.0)
    bench_data.log(
        f"({key}) {label}: {step.seconds:.3f} s, {step.queries} queries, "
        f"+{step.peak_mb:.0f} MB peak"
    )
    return step, result


def run(env, size, oca=True, append=True):
    quarter = env["ir.config_parameter"].sudo().get_param("account_manager_suite.bench_quarter")
    q_start, q_end = (date.fromisoformat(d) for d in quarter.split(","))
    managers = env["res.users"].search([("login", "like", "bench_am_")], order="login")
    director = env["res.users"].search([("login", "=", "bench_director")])
    as_director = env(user=director)
    env.cr.execute(
        "SELECT COUNT(*) FROM account_move_line aml JOIN account_move am ON am.id = aml.move_id "
        "WHERE aml.display_type = 'product' AND am.move_type IN ('out_invoice', 'out_refund')"
    )
    total_lines = env.cr.fetchone()[0]
    env.cr.execute(
        "SELECT COUNT(*) FROM account_move_line aml JOIN account_move am ON am.id = aml.move_id "
        "WHERE aml.display_type = 'product' AND am.invoice_date BETWEEN %s AND %s "
        "AND am.move_type IN ('out_invoice', 'out_refund') AND am.state = 'posted'",
        [q_start, q_end],
    )
    quarter_lines = env.cr.fetchone()[0]
    bench_data.log(
        f"size {size}: {len(managers)} managers, {total_lines} invoice lines, "
        f"{quarter_lines} in {q_start}..{q_end}"
    )
    steps = {}

    # (e) the floor
    def floor():
        env.cr.execute(
            SQL(
                """
                SELECT am.account_manager_id, SUM(-aml.balance)
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                 WHERE aml.parent_state = 'posted' AND aml.display_type = 'product'
                   AND am.move_type IN ('out_invoice', 'out_refund')
                   AND am.invoice_date BETWEEN %s AND %s
              GROUP BY am.account_manager_id
                """,
                q_start,
                q_end,
            )
        )
        return dict(env.cr.fetchall())

    steps["e"], floor_revenue = measure(env, "e", "SQL GROUP BY floor", floor)

    # (a) attainment
    quotas = as_director["account.manager.quota"].search(
        [("date_from", "=", q_start), ("user_id", "in", managers.ids)]
    )
    steps["a"], _result = measure(env, "a", "attainment, every manager", quotas._refresh_attainment)
    actual = {q.user_id.id: q.actual_amount for q in quotas}
    mismatches = [
        uid
        for uid in actual
        if env.company.currency_id.compare_amounts(actual[uid], floor_revenue.get(uid, 0.0))
    ]
    steps["a"].note = "equals (e)" if not mismatches else f"{len(mismatches)} differ from (e)"
    steps["a"].mismatches = mismatches
    steps["a"].revenue = actual

    Line = env["account.manager.commission.line"]
    if not Line.search_count([("date_from", "=", q_start)]):
        # a data set built without its quarter's lines (not measured): as a live one
        Line._compute_period(managers, q_start, q_end)

    # (c) quarterly results XLSX and (d) account status: the reports as a user finds the
    # data set (committed and vacuumed), before (b) deletes and rewrites every line of
    # the quarter in this transaction (whose 250,000 row versions the commission sum of
    # (c) would step over)
    wizard = as_director["account.manager.quarterly.report.wizard"].create(
        {"year": q_start.year, "quarter": str(date_utils.get_quarter_number(q_start))}
    )
    xlsx = as_director.ref("account_manager_suite.action_report_quarterly_results_xlsx")
    steps["c"], (content, _kind) = measure(
        env,
        "c",
        "quarterly results XLSX",
        lambda: xlsx._render_xlsx(xlsx.report_name, wizard.ids, {}),
    )
    steps["c"].note = f"{len(content) // 1024} KiB"

    # (d) account status for a portfolio
    portfolio = env["res.partner"].search(
        [("name", "like", "Bench Customer"), ("is_company", "=", True)], limit=PORTFOLIO
    )
    status_xlsx = as_director.ref("account_manager_suite.action_report_account_status_xlsx")
    status_html = as_director.ref("account_manager_suite.action_report_account_status")

    def status():
        content, _kind = status_xlsx._render_xlsx(status_xlsx.report_name, portfolio.ids, {})
        html, _kind = status_html._render_qweb_html(status_html.report_name, portfolio.ids)
        return len(content), len(html)

    steps["d"], (xlsx_size, html_size) = measure(
        env, "d", f"account status XLSX + HTML, {len(portfolio)} accounts", status
    )
    steps["d"].note = f"XLSX {xlsx_size // 1024} KiB, HTML {html_size // 1024} KiB"

    # (g) the incremental path: one invoice of the quarter posted again, the queue job
    # recomputes its manager's quarter, on the data set's lines as they stand (committed
    # and vacuumed, as the job finds them); before (b), whose delete and rewrite of every
    # line in this transaction would leave the job's index scans 250,000 row versions
    # of the quarter to step over at L

    def quarter_total():
        return sum(Line.search([("date_from", "=", q_start)]).mapped("amount"))

    before = quarter_total()
    bench_data.empty_commission_queue(env)
    changed = env["account.move"].search(
        [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("invoice_date", ">=", q_start),
            ("invoice_date", "<=", q_end),
            ("account_manager_id", "in", managers.ids),
        ],
        limit=1,
    )
    changed._ams_queue_commissions()
    steps["g"], _result = measure(
        env, "g", "one invoice changed: the queue job", Line._cron_recompute_changed_invoices
    )
    recomputed = Line.search_count(
        [("user_id", "=", changed.account_manager_id.id), ("date_from", "=", q_start)]
    )
    after = quarter_total()

    # (w) the write floor of (b): the quarter's lines written again in one INSERT ...
    # SELECT, from where (b) starts (rolled back): measured after (b), in its
    # transaction, it would find the 125,000 invoice lines, invoices and customers its
    # foreign keys check locked already (FOR KEY SHARE) by (b)'s own checks
    columns = _stored_columns(env, "account_manager_commission_line")
    env.cr.execute("SAVEPOINT write_floor")
    steps["w"], written = measure(
        env,
        "w",
        "write floor of (b): INSERT ... SELECT",
        lambda: _insert_select(env, columns, q_start),
    )
    env.cr.execute("ROLLBACK TO SAVEPOINT write_floor")
    steps["w"].rows = written

    # (b) commissions from scratch
    env.cr.execute("DELETE FROM account_manager_commission_line WHERE date_from = %s", [q_start])
    steps["b"], lines = measure(
        env,
        "b",
        "commissions, every manager",
        lambda: Line._compute_period(managers, q_start, q_end),
    )
    ours = sum(lines.mapped("amount"))
    steps["b"].note = f"{len(lines)} lines, total {ours:,.2f}"
    steps["b"].rows = len(lines)
    steps["w"].note = f"{written} rows" + ("" if written == len(lines) else " (not as (b))")
    # the job's total: the data set's before it, and (b)'s from scratch
    same = [env.company.currency_id.compare_amounts(after, total) == 0 for total in (before, ours)]
    steps["g"].same_total = all(same)
    steps["g"].note = f"{recomputed} lines of its manager" + (
        ", total as before and as (b)" if all(same) else
        f", total {after:,.2f} differs (before {before:,.2f}, (b) {ours:,.2f})"
    )  # fmt: skip

    if oca:
        steps["f"], oca_total = _measure_oca(env, managers, q_start, q_end)
        steps["f"].note = f"total {oca_total:,.2f}" + (
            " = ours" if env.company.currency_id.compare_amounts(oca_total, ours) == 0 else
            f" (ours {ours:,.2f})"
        )  # fmt: skip
    _report(size, steps, total_lines, quarter_lines, len(managers), append)
    return steps


def _stored_columns(env, table):
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name <> 'id' ORDER BY ordinal_position",
        [table],
    )
    return [SQL.identifier(name) for (name,) in env.cr.fetchall()]


def _insert_select(env, columns, q_start):
    names = SQL(", ").join(columns)
    env.cr.execute(
        SQL(
            "INSERT INTO account_manager_commission_line (%s) "
            "SELECT %s FROM account_manager_commission_line WHERE date_from = %s",
            names,
            names,
            q_start,
        )
    )
    return env.cr.rowcount


def _measure_oca(env, managers, q_start, q_end):
    """OCA's flow for the same invoices: agents on the customers (their owner), a flat 5 %
    commission, the agents of the quarter's invoice lines computed, then settled."""
    commission = env["commission"].create(
        {"name": "Bench OCA flat 5 %", "commission_type": "fixed", "fix_qty": 5.0,
         "amount_base_type": "gross_amount"}
    )  # fmt: skip
    managers.partner_id.write({"agent": True, "commission_id": commission.id,
                               "settlement": "quaterly"})  # fmt: skip
    customers = env["res.partner"].search([("name", "like", "Bench Customer")])
    for manager in managers:
        customers.filtered(lambda p, m=manager: p.account_manager_id == m).write(
            {"agent_ids": [(6, 0, manager.partner_id.ids)]}
        )
    invoices = env["account.move"].search(
        [
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("invoice_date", ">=", q_start),
            ("invoice_date", "<=", q_end),
            ("partner_id", "in", customers.ids),
        ]
    )

    def oca():
        invoices.recompute_lines_agents()
        wizard = env["commission.make.settle"].create(
            # OCA settles the periods that end before the period of date_to
            {"date_to": q_end + timedelta(days=1), "settlement_type": "sale_invoice"}
        )
        wizard.action_settle()
        company_currency = env.company.currency_id
        return sum(
            # OCA settles in the invoices' currency: the foreign one converts exactly
            s.total if s.currency_id == company_currency else s.total / bench_data.FOREIGN_RATE
            for s in env["commission.settlement"].search([])
        )

    return measure(env, "f", "OCA sale_commission_oca compute + settle", oca)


def machine():
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    memory = _meminfo_gib()
    pg = subprocess.run(["psql", "-Atc", "SHOW server_version"], capture_output=True,
                        text=True, check=False).stdout.strip()  # fmt: skip
    python = platform.python_version()
    return f"{os.cpu_count()} x {cpu}, {memory:.0f} GiB, PostgreSQL {pg}, Python {python}"


def _meminfo_gib():
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def _report(size, steps, total_lines, quarter_lines, managers, append):
    def ratio(a, b):
        return steps[a].seconds / steps[b].seconds if a in steps and b in steps else None

    ratios = {"(a)/(e)": ratio("a", "e"), "(c)/(e)": ratio("c", "e"),
              "(b)/(w)": ratio("b", "w"), "(f)/(b)": ratio("f", "b")}  # fmt: skip
    ran = " ".join(key for key in "abwcdefg" if key in steps)
    print()
    print(f"{'step':<4} {'what':<48} {'seconds':>9} {'queries':>8} {'peak MB':>8}  note")
    for key in "abwcdefg":
        if key in steps:
            s = steps[key]
            print(
                f"({key}) {s.label:<48} {s.seconds:>9.3f} {s.queries:>8} "
                f"{s.peak_mb:>8.0f}  {s.note}"
            )
    for name, value in ratios.items():
        if value is not None:
            print(f"{name} = {value:.2f}")
    print(f"steps: {ran}" + ("" if "f" in steps else " (OCA's (f): make bench OCA=1)"))
    if not append:
        return
    cells = []
    for key in "abwcdefg":
        s = steps.get(key)
        cells.append(f"{s.seconds:.2f} s / {s.queries} q / {s.peak_mb:.0f} MB" if s else "-")
    ratio_cells = [f"{v:.2f}" if v is not None else "-" for v in ratios.values()]
    append_row(
        "measurements-steps",
        MEASUREMENTS_HEADER,
        [date.today().isoformat(), size, f"{managers} / {total_lines:,} / {quarter_lines:,}",
         *cells, *ratio_cells, ran, machine()],
    )  # fmt: skip


def append_row(table, header, cells):
    """Add a dated row to one of BENCHMARKS.md's tables (marked ``<!-- table -->``),
    after its last row; a missing table is added at the end of the file."""
    text = BENCHMARKS.read_text() if BENCHMARKS.exists() else "# Benchmarks\n"
    lines = text.splitlines()
    marker = f"<!-- {table} -->"
    if marker not in lines:
        lines += ["", marker, *header.strip().splitlines()]
    position = lines.index(marker) + 1
    while position < len(lines) and not lines[position].startswith("|"):
        position += 1
    while position < len(lines) and lines[position].startswith("|"):
        position += 1
    lines.insert(position, f"| {' | '.join(str(c) for c in cells)} |")
    BENCHMARKS.write_text("\n".join(lines) + "\n")
    bench_data.log(f"added a row to the {table} table of {BENCHMARKS.name}")


MEASUREMENTS_HEADER = """
| date | size | managers / lines / quarter lines | (a) | (b) | (w) | (c) | (d) | (e) | (f) | (g) | (a)/(e) | (c)/(e) | (b)/(w) | (f)/(b) | steps | machine |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
"""  # noqa: E501
