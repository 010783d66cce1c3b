"""The benchmark: build a data set, measure the module on it, load-test a server.

    python tools/benchmark data SIZE [--rebuild]   # database ams_bench_<size>
    python tools/benchmark run SIZE [--no-oca] [--no-append]
    python tools/benchmark load SIZE [--seconds 60] [--users 8]

SIZE is XS, S, M or L (see bench_data.SIZES). The Makefile wraps these as
``make bench-data``, ``make bench`` and ``make bench-load``.
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
    p_run.add_argument("--no-oca", action="store_true")
    p_run.add_argument("--no-append", action="store_true")
    p_load = sub.add_parser("load")
    p_load.add_argument("size", choices=bench_data.SIZES)
    p_load.add_argument("--seconds", type=int, default=60)
    p_load.add_argument("--users", type=int, default=8)
    args = parser.parse_args()
    if args.command == "data":
        cmd_data(args.size, args.rebuild)
    elif args.command == "run":
        import bench_measure

        cmd_data(args.size)
        with odoo_env(db_name(args.size)) as env:
            bench_measure.run(env, args.size, oca=not args.no_oca, append=not args.no_append)
    else:
        import bench_load

        cmd_data(args.size)
        bench_load.run(db_name(args.size), args.seconds, args.users)


if __name__ == "__main__":
    main()
