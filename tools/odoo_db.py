"""Database chores of the project's commands: template, test and demo databases.

Run with the virtual environment's Python after tools/setup.sh (the Makefile does both):

    python tools/odoo_db.py template        # ensure the cached template database
    python tools/odoo_db.py demo-template   # the same dependencies with their demo data
    python tools/odoo_db.py test-db NAME    # fresh NAME from the template + the module
    python tools/odoo_db.py demo-db NAME [--rebuild]   # demo database for `make run`

The template holds Odoo with the module's dependencies (and ``TEST_EXTRAS``, the optional
integrations the tests cover) installed and no demo data. Its name carries a hash of the
Odoo tree and of those modules, so a changed tree or a new dependency builds a new
template instead of reusing a stale one.
"""

import argparse
import ast
import hashlib
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE = "account_manager_suite"
ODOO_RC = Path(os.environ.get("ODOO_RC", ROOT / ".odoo" / "odoo.conf"))
DATA_DIR = Path(os.environ.get("ODOO_DATA_DIR", ROOT / ".odoo" / "data"))
ODOO_SRC = Path(os.environ["ODOO_SRC"]) if os.environ.get("ODOO_SRC") else None


def log(message):
    print(f"\033[1m[db]\033[0m {message}", flush=True)


def manifest(module_dir):
    return ast.literal_eval((Path(module_dir) / "__manifest__.py").read_text())


def module_dependencies():
    return sorted(manifest(ROOT / MODULE)["depends"])


# Modules the test databases hold besides the dependencies, so that the module's optional
# integrations run in the tests: CRM opportunities in the forecast's pipeline.
TEST_EXTRAS = ("crm",)


def template_modules():
    return sorted({*module_dependencies(), *TEST_EXTRAS})


def addons_paths():
    for line in ODOO_RC.read_text().splitlines():
        if line.startswith("addons_path"):
            return [Path(p.strip()) for p in line.split("=", 1)[1].split(",")]
    raise SystemExit(f"{ODOO_RC} has no addons_path: run tools/setup.sh")


def find_module(name):
    import odoo.addons  # the wheels of OCA addons live in site-packages/odoo/addons

    for base in [*addons_paths(), *map(Path, odoo.addons.__path__)]:
        if (base / name / "__manifest__.py").exists():
            return base / name
    raise SystemExit(f"Module {name} is not in the addons path")


def template_name():
    """A name that changes when the Odoo tree or the dependencies change."""
    digest = hashlib.sha256()
    import odoo.release

    digest.update(Path(odoo.release.__file__).read_bytes())
    digest.update(str(Path(odoo.release.__file__).resolve()).encode())
    seen, todo = set(), list(template_modules())
    while todo:  # the dependencies' manifests, transitively: versions and data files
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = find_module(name) / "__manifest__.py"
        digest.update(name.encode() + path.read_bytes())
        todo.extend(manifest(path.parent).get("depends", []))
    return f"ams_tmpl_{digest.hexdigest()[:12]}"


def psql(sql, db="postgres"):
    return subprocess.run(
        ["psql", "-d", db, "-Atqc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def db_exists(name):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def drop_db(name):
    if db_exists(name):
        psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        subprocess.run(["dropdb", name], check=True)
    shutil.rmtree(DATA_DIR / "filestore" / name, ignore_errors=True)


def odoo(*args, log_file=None):
    """Run an Odoo server command (stop after init) with the project's configuration."""
    cmd = [sys.executable, "-m", "odoo", "-c", str(ODOO_RC), "--stop-after-init", *args]
    if log_file:
        cmd += ["--logfile", str(log_file)]
    result = subprocess.run(cmd, check=False)
    if result.returncode:
        where = f" (log: {log_file})" if log_file else ""
        raise SystemExit(f"Odoo failed: {' '.join(args)}{where}")


@contextmanager
def cluster_lock(key):
    """Held while a template is checked and built: several checkouts of the project may
    share one cluster (git worktrees of parallel work, a CI clone beside them), and two
    Odoo processes installing into the same new database fail on each other's updates.
    The second waits for the first and then finds the template ready."""
    import psycopg2  # Odoo's requirement, in the virtual environment

    connection = psycopg2.connect(dbname="postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [key])
        yield
    finally:
        connection.close()  # the session's advisory lock goes with it


def ensure_template():
    name = template_name()
    with cluster_lock(name):
        return _ensure_template(name)


def _ensure_template(name):
    if db_exists(name) and psql(
        "SELECT count(*) FROM ir_module_module WHERE state = 'installed' "
        f"AND name IN ({','.join(repr(d) for d in template_modules())})",
        db=name,
    ) == str(len(template_modules())):
        return name
    drop_db(name)
    # Several checkouts of the project may share one cluster (git worktrees of parallel
    # work): AMS_KEEP_TEMPLATES=1 leaves their templates alone.
    stale_templates = psql("SELECT datname FROM pg_database WHERE datname LIKE 'ams_tmpl_%'")
    for stale in [] if os.environ.get("AMS_KEEP_TEMPLATES") else stale_templates.split():
        log(f"Dropping outdated template {stale}")
        drop_db(stale)
    log(f"Building template {name} with {', '.join(template_modules())} (about a minute)")
    odoo(
        "-d",
        name,
        "-i",
        ",".join(template_modules()),
        "--without-demo=all",
        "--log-level=warn",
    )
    return name


def ensure_demo_template():
    """The module's dependencies and the demo's localizations and languages installed
    with their demo data (no crm: what `make run` starts from), for the test that
    installs the module with its demo data. Named after the template, so that it goes
    stale with it."""
    name = f"{template_name()}_demo"
    with cluster_lock(name):
        return _ensure_demo_template(name)


def _ensure_demo_template(name):
    modules = [*module_dependencies(), *DEMO_LOCALIZATIONS]
    if db_exists(name) and psql(
        "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND demo "
        f"AND name IN ({','.join(repr(d) for d in modules)})",
        db=name,
    ) == str(len(modules)):
        return name
    drop_db(name)
    log(f"Building template {name} with {', '.join(modules)} and their demo data")
    subprocess.run(["createdb", name], check=True)
    odoo(
        "-d",
        name,
        "-i",
        ",".join(modules),
        f"--load-language={','.join(DEMO_LANGUAGES)}",
        "--log-level=warn",
    )
    return name


def copy_db(template, name):
    drop_db(name)
    subprocess.run(["createdb", "-T", template, name], check=True)
    source = DATA_DIR / "filestore" / template
    if source.exists():
        shutil.copytree(source, DATA_DIR / "filestore" / name)


def test_db(name):
    copy_db(ensure_template(), name)
    log(f"Installing {MODULE} into {name}")
    log_file = ODOO_STATE_DIR / f"install-{name}.log"
    odoo("-d", name, "-i", MODULE, "--without-demo=all", "--log-level=warn", log_file=log_file)


# The demo is a group of two companies that Odoo's localizations create with their demo
# data (Germany: SKR03, EUR; Indonesia: IDR), in the languages their users read. They are
# installed before the module, whose demo (demo/account_manager_demo.py) builds on them.
DEMO_LOCALIZATIONS = ("l10n_de", "l10n_id")
DEMO_LANGUAGES = ("de_DE", "id_ID")


def demo_db(name, rebuild=False):
    if rebuild:
        drop_db(name)
    if db_exists(name):
        log(f"Updating {MODULE} in the existing database {name}")
        odoo("-d", name, "-u", MODULE, "--log-level=warn")
    else:
        log(
            f"Creating the demo database {name}: a German and an Indonesian company with "
            "their charts of accounts and languages, then the module and its demo data"
        )
        subprocess.run(["createdb", name], check=True)
        odoo(
            "-d",
            name,
            "-i",
            ",".join(DEMO_LOCALIZATIONS),
            f"--load-language={','.join(DEMO_LANGUAGES)}",
            "--log-level=warn",
        )
        odoo("-d", name, "-i", MODULE, "--log-level=warn")


ODOO_STATE_DIR = ODOO_RC.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("template")
    sub.add_parser("template-name")
    sub.add_parser("demo-template")
    p_test = sub.add_parser("test-db")
    p_test.add_argument("name")
    p_demo = sub.add_parser("demo-db")
    p_demo.add_argument("name")
    p_demo.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.command == "template":
        print(ensure_template())
    elif args.command == "demo-template":
        print(ensure_demo_template())
    elif args.command == "template-name":
        print(template_name())
    elif args.command == "test-db":
        test_db(args.name)
    else:
        demo_db(args.name, rebuild=args.rebuild)


if __name__ == "__main__":
    main()
