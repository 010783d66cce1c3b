from . import controllers
from . import models
from . import report
from . import wizards


def post_init_hook(env):
    """The demo group of companies, where the database holds demo data (make run)."""
    if env["ir.module.module"].search([("name", "=", "account_manager_suite")]).demo:
        from .demo import account_manager_demo

        account_manager_demo.load(env)


def uninstall_hook(env):
    """Remove the activities of the module's activity types: they would keep the types
    (check-in, kick-off, remediation, performance review) from being deleted."""
    type_ids = (
        env["ir.model.data"]
        .search([("module", "=", "account_manager_suite"), ("model", "=", "mail.activity.type")])
        .mapped("res_id")
    )
    env["mail.activity"].with_context(active_test=False).search(
        [("activity_type_id", "in", type_ids)]
    ).unlink()
    # the index the module added to Odoo's ledger (models/account_move_line.py)
    env.cr.execute("DROP INDEX IF EXISTS account_move_line__ams_cogs_index")
    # and the triggers that keep the revenue summary, whose table Odoo drops
    env["account.manager.revenue.day"]._drop_triggers()
