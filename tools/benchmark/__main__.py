"""The benchmark: build a data set, measure the module on it, load-test a server.

    python tools/benchmark data SIZE [--rebuild]   # database ams_bench_<size>
    python tools/benchmark run SIZE [--oca | --no-oca] [--no-append]
    python tools/benchmark load SIZE [--seconds 60] [--users 32] [--workers 2]
    python tools/benchmark replica SIZE [--seconds 60] [--users 32] [--workers 2] [--keep]
    python tools/benchmark replica-stop

SIZE is XS, S, M or L (see bench_data.SIZES). OCA's settlement (f) runs up to M; above,
only with --oca (about 45 minutes at L). The Makefile wraps these as ``make bench-data``,
``make bench`` (OCA=1 adds --oca), ``make bench-load``, ``make bench-replica`` and
``make bench-replica-stop``.
"""

import argparse
import sys
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import bench_data  # noqa: E402
import odoo_db  # noqa: E402

# OCA's settlement loops per invoice line: 3 minutes at M, about 45 at L
OCA_UP_TO = "M"
# the tables a run writes (and rolls back)
VACUUMED = ("account_manager_commission_line", "account_move", "account_manager_revenue_day")


def db_name(size):
    return f"ams_bench_{size.lower()}"


@contextmanager
def odoo_env(db, commit=False):
    import odoo
    from odoo import SUPERUSER_ID
    from odoo import api

    odoo.tools.config.parse_config(["-c", str(odoo_db.ODOO_RC), "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})
        if commit:
            cr.commit()  # the benchmark's own script, never module code
        else:
            cr.rollback()


def cmd_data(size, rebuild=False):
    db = db_name(size)
    if odoo_db.db_exists(db) and not rebuild:
        bench_data.log(f"{db} exists (use --rebuild to build it again)")
        return
    start = time.perf_counter()
    odoo_db.copy_db(odoo_db.ensure_template(), db)
    bench_data.log(f"installing the module and OCA's sale_commission_oca into {db}")
    odoo_db.odoo(
        "-d",
        db,
        "-i",
        f"{odoo_db.MODULE},sale_commission_oca",
        "--without-demo=all",
        "--log-level=warn",
    )
    installed = time.perf_counter()
    with odoo_env(db, commit=True) as env:
        bench_data.build(env, size)
    done = time.perf_counter()
    bench_data.log(f"{db} ready: install {installed - start:.0f} s, data {done - installed:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_data = sub.add_parser("data")
    p_data.add_argument("size", choices=bench_data.SIZES)
    p_data.add_argument("--rebuild", action="store_true")
    p_run = sub.add_parser("run")
    p_run.add_argument("size", choices=bench_data.SIZES)
    p_run.add_argument(
        "--oca", action=argparse.BooleanOptionalAction, default=None,
        help=f"run OCA's settlement (f); default: up to {OCA_UP_TO}",
    )  # fmt: skip
    p_run.add_argument("--no-append", action="store_true")
    for name in ("load", "replica"):
        p_load = sub.add_parser(name)
        p_load.add_argument("size", choices=bench_data.SIZES)
        p_load.add_argument("--seconds", type=int, default=60)
        p_load.add_argument("--users", type=int, default=32)
        p_load.add_argument("--workers", type=int, default=2)
        p_load.add_argument(
            "--think", type=float, default=0.0,
            help="seconds a manager waits between two calls, on average (default: none)",
        )  # fmt: skip
        if name == "replica":
            p_load.add_argument("--keep", action="store_true", help="leave the replica running")
    sub.add_parser("replica-stop")
    args = parser.parse_args()
    if args.command == "data":
        cmd_data(args.size, args.rebuild)
    elif args.command == "run":
        import bench_measure

        cmd_data(args.size)
        oca = (
            args.oca
            if args.oca is not None
            else list(bench_data.SIZES).index(args.size) <= list(bench_data.SIZES).index(OCA_UP_TO)
        )
        db = db_name(args.size)
        # what earlier runs wrote and rolled back, vacuumed as autovacuum does on a live
        # database (this machine's cluster runs without it): the steps read these tables
        odoo_db.psql(f"VACUUM ANALYZE {', '.join(VACUUMED)}", db=db)
        with odoo_env(db) as env:
            bench_measure.run(env, args.size, oca=oca, append=not args.no_append)
    elif args.command == "replica-stop":
        import bench_replica

        bench_replica.remove()
    else:
        import bench_load

        cmd_data(args.size)
        db = db_name(args.size)
        with odoo_env(db, commit=True) as env:
            bench_load.ensure_users(env, args.users)
        if args.command == "load":
            bench_load.run(db, args.seconds, args.users, args.workers, think=args.think)
        else:
            import bench_replica

            bench_replica.run(
                db, args.seconds, args.users, args.workers, keep=args.keep, think=args.think
            )


if __name__ == "__main__":
    main()
