"""A bounded load run: Odoo in multi-process mode, concurrent account managers over JSON-RPC.

Each virtual user logs in as one benchmark manager and, until the time is up, calls in
turn: My Accounts (the kanban's records with their revenue and receivable figures), one
account's form figures, and the quarter's attainment (the "My quarter" quota with its top
accounts). Prints requests per second, p50/p95 latency and errors.
"""

import http.cookiejar
import itertools
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path

import bench_data
import bench_measure
import odoo_db

LOAD_HEADER = """
| date | size | users / workers / seconds | requests | req/s | p50 ms | p95 ms | errors | machine |
|---|---|---|---|---|---|---|---|---|
"""
PORT = int(os.environ.get("BENCH_HTTP_PORT", "8079"))
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


CALLS = [("My Accounts", _my_accounts), ("account form", _account_form),
         ("My quarter", _my_quarter)]  # fmt: skip


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


def run(db, seconds=60, users=8, workers=2, append=True):
    DB[0] = db
    log_file = odoo_db.ODOO_STATE_DIR / f"bench-load-{db}.log"
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
            str(PORT + 1),
            "--workers",
            str(workers),
            "--max-cron-threads",
            "0",
            "--limit-time-real",
            "300",
            "--logfile",
            str(log_file),
        ]
    )
    try:
        _wait_for_port(server)
        bench_data.log(f"Odoo on 127.0.0.1:{PORT} with {workers} workers (log: {log_file})")
        logins = [f"bench_am_{n:03d}" for n in range(1, min(users, 10) + 1)]
        clients = [Client(logins[i % len(logins)]) for i in range(users)]
        for client in clients:  # warm-up: each worker loads the registry and the assets
            _my_accounts(client)
        results, errors, lock = [], [], threading.Lock()
        deadline = time.perf_counter() + seconds

        def user(client, offset):
            for name, call in itertools.islice(itertools.cycle(CALLS), offset, None):
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
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(30)
    _print(results, errors, elapsed, users, workers)
    if append:
        times = [t for _n, t in results]
        bench_measure.append_row(
            "load",
            LOAD_HEADER,
            [
                date.today().isoformat(),
                db.removeprefix("ams_bench_").upper(),
                f"{users} / {workers} / {elapsed:.0f} s",
                len(results),
                f"{len(results) / elapsed:.1f}",
                f"{_percentile(times, 0.5) * 1000:.0f}",
                f"{_percentile(times, 0.95) * 1000:.0f}",
                len(errors),
                bench_measure.machine(),
            ],
        )
    return results, errors


def _percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(fraction * len(values)))] if values else 0.0


def _print(results, errors, elapsed, users, workers):
    print()
    print(f"{users} users, {workers} workers, {elapsed:.0f} s: {len(results)} requests, "
          f"{len(results) / elapsed:.1f} req/s, {len(errors)} errors")  # fmt: skip
    print(f"{'call':<14} {'count':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for name in [n for n, _c in CALLS] + ["all"]:
        times = [t for n, t in results if name in (n, "all")]
        print(f"{name:<14} {len(times):>6} {_percentile(times, 0.5) * 1000:>8.0f} "
              f"{_percentile(times, 0.95) * 1000:>8.0f}")  # fmt: skip
    for error in errors[:5]:
        print(f"error: {error}")


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1]).name))
