"""A bounded load run: Odoo in multi-process mode, concurrent account managers over JSON-RPC.

Each virtual user logs in as one benchmark manager of their own and, until the time is
up, calls in turn: My Accounts (the kanban's records with their revenue and receivable
figures), one account's form figures, the quarter's attainment (the "My quarter" quota
with its top accounts), their commission lines (the list as it opens), and one account's
status XLSX (downloaded as the web client does). Prints requests per second, p50/p95
latency and errors. ``run(..., replica=(host, port))`` starts Odoo with a read replica
configured (``make bench-replica``, bench_replica.py).
"""

import contextlib
import http.cookiejar
import itertools
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

import bench_data
import bench_measure
import odoo_db

LOAD_HEADER = """
| date | size | users / workers / seconds | requests | req/s | p50 ms | p95 ms | errors | machine | calls |
|---|---|---|---|---|---|---|---|---|---|
"""  # noqa: E501
PORT = int(os.environ.get("BENCH_HTTP_PORT", "8079"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COMMISSION_FIELDS = {
    "date": {},
    "partner_id": {"fields": {"display_name": {}}},
    "move_id": {"fields": {"display_name": {}}},
    "rule_type": {},
    "base_amount": {},
    "rate": {},
    "amount": {},
    "state": {},
}
ACCOUNT_FIELDS = {
    "display_name": {},
    "account_tier_id": {"fields": {"display_name": {}}},
    "revenue_this_year": {},
    "revenue_last_year": {},
    "receivable_amount": {},
    "overdue_amount": {},
    "open_quotation_count": {},
    "last_contact_date": {},
    "next_checkin_date": {},
    "health_state": {},
}
QUOTA_FIELDS = {
    "display_name": {},
    "target": {},
    "actual_amount": {},
    "attainment": {},
    "remaining_amount": {},
    "projected_amount": {},
    "top_accounts_html": {},
}


class Client:
    def __init__(self, login):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.ids = itertools.count(1)
        result = self.call(
            "/web/session/authenticate",
            {"db": DB[0], "login": login, "password": bench_data.PASSWORD},
        )
        self.uid = result["uid"]

    def call(self, path, params):
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "id": next(self.ids), "params": params}
        ).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{PORT}{path}", body, {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=60) as response:
            payload = json.loads(response.read())
        if payload.get("error"):
            raise RuntimeError(payload["error"]["data"]["message"])
        return payload["result"]

    def get(self, path, **params):
        url = f"http://127.0.0.1:{PORT}{path}?{urllib.parse.urlencode(params)}"
        with self.opener.open(url, timeout=60) as response:
            return response.headers.get("Content-Type", ""), response.read()

    def call_kw(self, model, method, args, kwargs=None):
        return self.call(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )


DB = [None]


def _my_accounts(client):
    result = client.call_kw(
        "res.partner",
        "web_search_read",
        [],
        {
            "domain": [("account_manager_id", "=", client.uid), ("is_company", "=", True)],
            "specification": ACCOUNT_FIELDS,
            "limit": 40,
        },
    )
    client.account_ids = [record["id"] for record in result["records"]]
    return result


def _account_form(client):
    ids = getattr(client, "account_ids", None) or [r["id"] for r in _my_accounts(client)["records"]]
    client.turn = getattr(client, "turn", -1) + 1
    return client.call_kw(
        "res.partner",
        "web_read",
        [[ids[client.turn % len(ids)]]],
        {"specification": ACCOUNT_FIELDS},
    )


def _my_quarter(client):
    return client.call_kw(
        "account.manager.quota",
        "web_search_read",
        [],
        {
            "domain": [("user_id", "=", client.uid)],
            "specification": QUOTA_FIELDS,
            "limit": 1,
        },
    )


def _commission_lines(client):
    return client.call_kw(
        "account.manager.commission.line",
        "web_search_read",
        [],
        {
            "domain": [("user_id", "=", client.uid)],
            "specification": COMMISSION_FIELDS,
            "limit": 80,
            "count_limit": 10001,
        },
    )


def _account_status_xlsx(client):
    ids = getattr(client, "account_ids", None) or [r["id"] for r in _my_accounts(client)["records"]]
    report = f"/report/xlsx/account_manager_suite.account_status_xlsx/{ids[0]}"
    kind, content = client.get("/report/download", data=json.dumps([report, "xlsx"]), context="{}")
    if kind != XLSX or content[:2] != b"PK":
        raise RuntimeError(f"account status XLSX: {kind} {content[:200]!r}")
    return content


CALLS = [("My Accounts", _my_accounts), ("account form", _account_form),
         ("My quarter", _my_quarter), ("commission lines", _commission_lines),
         ("status XLSX", _account_status_xlsx)]  # fmt: skip
CALLS_LABEL = "accounts, form, quarter, commission lines, status XLSX"


def ensure_users(env, users):
    """The load test's managers can log in, and the measured quarter has its commission
    lines (the data set leaves them to the benchmark's step (b))."""
    managers = env["res.users"].search([("login", "like", "bench_am_")], order="login")
    env.cr.execute(
        "SELECT id FROM res_users WHERE id IN %s AND password IS NULL", [tuple(managers.ids)]
    )
    no_password = managers.browse([r[0] for r in env.cr.fetchall()]) & managers[:users]
    if no_password:
        bench_data.log(f"setting the password of {len(no_password)} more managers")
        for manager in no_password:
            manager.password = bench_data.PASSWORD
    quarter = env["ir.config_parameter"].sudo().get_param("account_manager_suite.bench_quarter")
    q_start, q_end = (date.fromisoformat(d) for d in quarter.split(","))
    Line = env["account.manager.commission.line"]
    if not Line.search_count([("date_from", "=", q_start)], limit=1):
        bench_data.log("computing the quarter's commission lines for the load test")
        Line._compute_period(managers, q_start, q_end)
    return len(managers)


def _wait_for_port(process, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit("Odoo stopped before serving (see its log above)")
        try:
            with socket.create_connection(("127.0.0.1", PORT), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"Odoo did not listen on port {PORT} within {seconds} s")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(db, seconds=60, users=8, workers=2, append=True, replica=None, window=None, think=0.0):
    """Load ``db`` for ``seconds`` with ``users`` concurrent managers, each waiting
    ``think`` seconds on average (0.5x to 1.5x, at random) between two calls. ``replica``:
    (host, port) of a read replica for Odoo; ``window``: a context manager entered
    around the measured seconds (the replica's statistics)."""
    DB[0] = db
    log_file = odoo_db.ODOO_STATE_DIR / f"bench-load-{db}.log"
    replica_args = (
        ["--db_replica_host", replica[0], "--db_replica_port", str(replica[1])] if replica else []
    )
    server = subprocess.Popen(
        [
            sys.executable,
            # odoo-bin, not -m odoo: the prefork server re-executes its script for the
            # gevent (websocket) process
            str(Path(os.environ.get("ODOO_SRC", "/opt/odoo/18.0")) / "odoo-bin"),
            "-c",
            str(odoo_db.ODOO_RC),
            "-d",
            db,
            "--db-filter",
            f"^{db}$",
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(PORT),
            "--gevent-port",
            str(_free_port()),
            "--workers",
            str(workers),
            "--max-cron-threads",
            "0",
            "--limit-time-real",
            "300",
            "--logfile",
            str(log_file),
            *replica_args,
        ]
    )
    window = window or (lambda stop: contextlib.nullcontext())
    try:
        _wait_for_port(server)
        bench_data.log(
            f"Odoo on 127.0.0.1:{PORT} with {workers} workers"
            + (f", replica {replica[0]}:{replica[1]}" if replica else "")
            + f" (log: {log_file})"
        )
        logins = [f"bench_am_{n:03d}" for n in range(1, users + 1)]
        clients = [Client(login) for login in logins]
        for client in clients:  # warm-up: each worker loads the registry and the assets
            for _name, call in CALLS:
                call(client)
        results, errors, lock = [], [], threading.Lock()

        def user(client, offset):
            pause = random.Random(offset)
            for name, call in itertools.islice(itertools.cycle(CALLS), offset, None):
                if think:
                    time.sleep(think * pause.uniform(0.5, 1.5))
                if time.perf_counter() >= deadline:
                    return
                start = time.perf_counter()
                try:
                    call(client)
                    with lock:
                        results.append((name, time.perf_counter() - start))
                except Exception as error:
                    with lock:
                        errors.append(f"{name}: {error}")

        threads = [threading.Thread(target=user, args=(c, i)) for i, c in enumerate(clients)]
        with window(stop=lambda: _stop(server)):
            began = time.perf_counter()
            deadline = began + seconds
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - began
    finally:
        _stop(server)
    _print(results, errors, elapsed, users, workers)
    cells = summary_cells(db, results, errors, elapsed, users, workers, think)
    if append:
        bench_measure.append_row(
            "load", LOAD_HEADER, [*cells, bench_measure.machine(), CALLS_LABEL]
        )
    return results, errors, cells


def summary_cells(db, results, errors, elapsed, users, workers, think=0.0):
    """date, size, users / workers / seconds (pause), requests, req/s, p50 ms, p95 ms,
    errors"""
    times = [t for _n, t in results]
    return [
        date.today().isoformat(),
        db.removeprefix("ams_bench_").upper(),
        f"{users} / {workers} / {elapsed:.0f} s" + (f", {think:g} s pauses" if think else ""),
        len(results),
        f"{len(results) / elapsed:.1f}",
        f"{_percentile(times, 0.5) * 1000:.0f}",
        f"{_percentile(times, 0.95) * 1000:.0f}",
        len(errors),
    ]


def _stop(server):
    if server.poll() is None:
        server.terminate()
        server.wait(30)


def _percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(fraction * len(values)))] if values else 0.0


def _print(results, errors, elapsed, users, workers):
    print()
    print(f"{users} users, {workers} workers, {elapsed:.0f} s: {len(results)} requests, "
          f"{len(results) / elapsed:.1f} req/s, {len(errors)} errors")  # fmt: skip
    print(f"{'call':<17} {'count':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for name in [n for n, _c in CALLS] + ["all"]:
        times = [t for n, t in results if name in (n, "all")]
        print(f"{name:<17} {len(times):>6} {_percentile(times, 0.5) * 1000:>8.0f} "
              f"{_percentile(times, 0.95) * 1000:>8.0f}")  # fmt: skip
    for error in errors[:5]:
        print(f"error: {error}")


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1]).name))
