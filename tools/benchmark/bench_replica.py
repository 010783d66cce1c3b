"""`make bench-replica`: the load test against Odoo with a read replica.

1. A second PostgreSQL cluster on this machine (port 5433 unless BENCH_REPLICA_PORT) made
   with ``pg_basebackup -R`` from the primary: a hot standby that streams the primary's
   WAL. The primary needs ``wal_level = replica`` and ``max_wal_senders > 0`` (PostgreSQL's
   defaults: no restart) and a ``replication`` line in pg_hba.conf (added if missing, then
   the configuration is reloaded, which does not interrupt anyone).
2. Odoo with ``--workers 2 --db_replica_host 127.0.0.1 --db_replica_port 5433``: Odoo 18
   opens the cursor of a read-only request (``@api.readonly`` methods, read-only routes)
   on the replica.
3. The load test (bench_load.py), between two snapshots of both servers' statistics:
   ``pg_stat_user_tables`` (scans of the ledger and of the module's tables: where the
   reading happened; rows inserted, updated, deleted: what was written), ``pg_stat_database``
   and the replica's ``pg_stat_statements`` (loaded on the replica only: the primary is
   not restarted).
4. The replica is stopped and its directory removed (``--keep`` leaves it running; stop it
   with ``make bench-replica-stop``).
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import bench_data
import bench_load
import bench_measure

PORT = int(os.environ.get("BENCH_REPLICA_PORT", "5433"))
DIRECTORY = Path(os.environ.get("BENCH_REPLICA_DIR", "/var/lib/postgresql/ams_bench_replica"))
MARKER = "AMS_BENCH_REPLICA"
REPLICA_HEADER = """
| date | size | users / workers / seconds | requests | req/s | p50 ms | p95 ms | errors | module reads on the replica | written on the primary | machine |
|---|---|---|---|---|---|---|---|---|---|---|
"""  # noqa: E501
# Where the module reads: the ledger and its own tables (the engine joins the invoice
# lines to the ownership history; quotas, commission lines, ...).
READ_TABLES = "relname IN ('account_move_line', 'account_move') OR relname LIKE 'account_manager%'"
# the engine's statements: those reading the ownership history (orders) or the ledger's
# summary (revenue)
ENGINE_QUERIES = (
    "(query ILIKE '%account_manager_ownership%' OR query ILIKE '%account_manager_revenue_day%')"
)
# The primary's settings a hot standby may not have lower (PostgreSQL refuses to start).
COPIED_SETTINGS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def psql(sql, db="postgres", port=None):
    cmd = ["psql", "-X", "-d", db, "-Atqc", sql]
    if port:
        cmd += ["-p", str(port)]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()


def _as_postgres(cmd):
    # PostgreSQL refuses to run as root; the data directory belongs to its owner
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _bin(name):
    bindir = subprocess.run(
        ["pg_config", "--bindir"], check=True, capture_output=True, text=True
    ).stdout.strip()
    return str(Path(bindir) / name)


def _running():
    return (
        subprocess.run(["pg_isready", "-q", "-p", str(PORT)], check=False).returncode == 0
        and psql("SELECT pg_is_in_recovery()", port=PORT) == "t"
    )


def check_primary():
    """The primary streams WAL to a standby without a restart, or says what it needs."""
    wal_level, senders = psql("SHOW wal_level"), int(psql("SHOW max_wal_senders"))
    if wal_level not in ("replica", "logical") or not senders:
        raise SystemExit(
            f"The primary has wal_level={wal_level}, max_wal_senders={senders}: a replica "
            "needs wal_level=replica and max_wal_senders>0 (PostgreSQL's defaults), which "
            "take a restart of the primary. Set them, restart it, and run this again."
        )
    rules = psql(
        "SELECT count(*) FROM pg_hba_file_rules "
        "WHERE 'replication' = ANY(database) AND error IS NULL"
    )
    if rules != "0":
        return
    hba = Path(psql("SHOW hba_file"))
    lines = (
        "\n# make bench-replica (account_manager_suite): streaming to the local replica\n"
        "local replication all trust\nhost replication all 127.0.0.1/32 trust\n"
    )
    if not os.access(hba, os.W_OK):
        raise SystemExit(f"Add to {hba} and reload PostgreSQL:{lines}")
    bench_data.log(f"adding replication lines to {hba} and reloading the primary's settings")
    with hba.open("a") as file:
        file.write(lines)
    psql("SELECT pg_reload_conf()")
    time.sleep(1)


def start():
    """A hot standby of the whole primary cluster on PORT, caught up."""
    if _running():
        bench_data.log(f"the replica on port {PORT} is running")
        return
    check_primary()
    remove()
    primary_port = psql("SHOW port")
    socket_dir = psql("SHOW unix_socket_directories").split(",")[0].strip()
    DIRECTORY.parent.mkdir(parents=True, exist_ok=True)
    bench_data.log(f"pg_basebackup of the primary (port {primary_port}) into {DIRECTORY}")
    start_time = time.perf_counter()
    subprocess.run(
        _as_postgres(
            [_bin("pg_basebackup"), "-h", socket_dir, "-p", primary_port, "-D", str(DIRECTORY),
             "-X", "stream", "-R", "--checkpoint=fast", "--no-sync"]
        ),
        check=True,
    )  # fmt: skip
    settings = {name: psql(f"SHOW {name}") for name in COPIED_SETTINGS}
    (DIRECTORY / "postgresql.conf").write_text(
        f"# {MARKER}: a throw-away hot standby for make bench-replica\n"
        f"port = {PORT}\nlisten_addresses = '127.0.0.1'\n"
        f"unix_socket_directories = '{socket_dir}'\n"
        "hot_standby = on\nhot_standby_feedback = on\nmax_standby_streaming_delay = 60s\n"
        "shared_buffers = 256MB\nfsync = off\n"
        "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.max = 5000\n"
        + "".join(f"{name} = {value}\n" for name, value in settings.items())
    )
    (DIRECTORY / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    if os.geteuid() == 0:
        for name in ("postgresql.conf", "pg_hba.conf"):
            shutil.chown(DIRECTORY / name, "postgres", "postgres")
    subprocess.run(
        _as_postgres(
            [_bin("pg_ctl"), "-D", str(DIRECTORY), "-l", str(DIRECTORY / "replica.log"),
             "-w", "-t", "120", "start"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    catch_up()
    bench_data.log(
        f"replica on 127.0.0.1:{PORT} streaming from the primary "
        f"({time.perf_counter() - start_time:.0f} s; log {DIRECTORY / 'replica.log'})"
    )


def catch_up(seconds=300):
    """Wait until the replica has replayed what the primary has written so far."""
    target = psql("SELECT pg_current_wal_lsn()")
    deadline = time.time() + seconds
    while time.time() < deadline:
        if psql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn", port=PORT) == "t":
            return
        time.sleep(0.5)
    raise SystemExit(f"the replica did not catch up with the primary within {seconds} s")


def stop():
    if (DIRECTORY / "postmaster.pid").exists():
        subprocess.run(
            _as_postgres([_bin("pg_ctl"), "-D", str(DIRECTORY), "-m", "fast", "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )
        bench_data.log(f"replica on port {PORT} stopped")


def remove():
    stop()
    if DIRECTORY.exists():
        conf = DIRECTORY / "postgresql.conf"
        if not (conf.exists() and MARKER in conf.read_text()) and any(DIRECTORY.iterdir()):
            raise SystemExit(f"{DIRECTORY} is not a replica made by this tool: not removing it")
        shutil.rmtree(DIRECTORY)


def _snapshot(db, port=None):
    tables = {}
    rows = psql(
        "SELECT relname, coalesce(seq_scan, 0) + coalesce(idx_scan, 0), "
        "n_tup_ins + n_tup_upd + n_tup_del, " + f"({READ_TABLES}) FROM pg_stat_user_tables",
        db=db,
        port=port,
    )
    for line in rows.splitlines():
        name, scans, written, module = line.split("|")
        tables[name] = (int(scans), int(written), module == "t")
    xacts = int(psql(f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{db}'", port=port))
    return tables, xacts


def _delta(before, after):
    (tables_0, xacts_0), (tables_1, xacts_1) = before, after
    reads = written = 0
    writes = {}
    for name, (scans, rows, module) in tables_1.items():
        scans_0, rows_0, _module = tables_0.get(name, (0, 0, module))
        if module:
            reads += scans - scans_0
        if rows - rows_0:
            writes[name] = rows - rows_0
            written += rows - rows_0
    return {"reads": reads, "written": written, "writes": writes, "xacts": xacts_1 - xacts_0}


class Window:
    """Both servers' statistics around the measured seconds of the load."""

    def __init__(self, db):
        self.db = db
        self.primary = self.replica = None

    def __call__(self, stop):
        self.stop_server = stop
        return self

    def __enter__(self):
        # Idle backends report their statistics within 10 s (PGSTAT_IDLE_INTERVAL): let
        # the warm-up's (the logins write on the primary) land before the snapshot.
        time.sleep(11)
        psql("SELECT pg_stat_statements_reset()", db=self.db, port=PORT)
        self.before = _snapshot(self.db), _snapshot(self.db, PORT)
        return self

    def __exit__(self, *exc):
        self.stop_server()  # the backends report what they did when they exit
        time.sleep(2)
        self.primary = _delta(self.before[0], _snapshot(self.db))
        self.replica = _delta(self.before[1], _snapshot(self.db, PORT))
        self.statements = psql(
            "SELECT calls, round(total_exec_time), "
            "left(regexp_replace(query, '\\s+', ' ', 'g'), 90) FROM pg_stat_statements "
            f"WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '{self.db}') "
            f"AND {ENGINE_QUERIES} "
            "ORDER BY total_exec_time DESC LIMIT 6",
            db=self.db,
            port=PORT,
        )
        self.engine_calls = int(
            psql(
                "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
                f"WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '{self.db}') "
                f"AND {ENGINE_QUERIES}",
                db=self.db,
                port=PORT,
            )
        )
        return False


def run(db, seconds=60, users=32, workers=2, keep=False, append=True, think=0.0):
    start()
    psql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", db=db)
    catch_up()
    window = Window(db)
    try:
        _results, errors, cells = bench_load.run(
            db,
            seconds,
            users,
            workers,
            append=False,
            replica=("127.0.0.1", PORT),
            window=window,
            think=think,
        )
    finally:
        if not keep:
            remove()
    primary, replica = window.primary, window.replica
    share = replica["reads"] / ((replica["reads"] + primary["reads"]) or 1)
    print()
    print(
        f"module reads (scans of the ledger and the module's tables): replica "
        f"{replica['reads']}, primary {primary['reads']}: {share:.1%} on the replica"
    )
    print(
        f"transactions: replica {replica['xacts']}, primary {primary['xacts']} (the primary "
        "opens Odoo's registry check and the routing of every request)"
    )
    print(
        f"rows written on the primary during the load: {primary['written']}"
        + (f" ({primary['writes']})" if primary["writes"] else "")
    )
    print(f"the engine's queries on the replica (pg_stat_statements): {window.engine_calls} calls")
    for line in window.statements.splitlines():
        calls, ms, query = line.split("|", 2)
        print(f"  {calls:>6} calls {ms:>8} ms  {query}")
    if append:
        bench_measure.append_row(
            "replica",
            REPLICA_HEADER,
            [
                *cells,
                f"{share:.1%} ({replica['reads']:,} of {replica['reads'] + primary['reads']:,} "
                f"scans; {window.engine_calls:,} engine queries)",
                f"{primary['written']} rows ({primary['xacts']:,} transactions)",
                bench_measure.machine(),
            ],
        )
    return errors, share, primary["written"]
