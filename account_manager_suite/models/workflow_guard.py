"""Workflow fields change only through the module's own actions.

States, approvals, bill and accrual links, disputes and computed money are written by
action methods after they checked who may act; a client calling ``write`` or ``create``
over RPC must not set them itself. The actions write through :func:`workflow`, which marks
the environment with a token that is a Python object: a context sent over JSON-RPC or
XML-RPC can carry strings, numbers, lists and dicts only, never this object, so no client
can forge it. The superuser mode (the module's ``sudo()`` after its own checks) and the
system user ``__system__`` (scheduled actions, installation, data files) are not refused
either: neither can be reached over RPC (``__system__`` is inactive and has no password).
"""

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError

WORKFLOW_KEY = "ams_workflow"
_TOKEN = object()


def workflow(records):
    """``records`` allowed to write their workflow fields (for the module's actions)."""
    return records.with_context(**{WORKFLOW_KEY: _TOKEN})


def in_workflow(env):
    return env.su or env.uid == SUPERUSER_ID or env.context.get(WORKFLOW_KEY) is _TOKEN


def check_workflow_fields(records, vals_list, protected):
    """Refuse ``vals_list`` that set any of ``protected`` outside the module's actions."""
    if in_workflow(records.env):
        return
    touched = sorted({name for vals in vals_list for name in vals} & set(protected))
    if touched:
        fields = records._fields
        raise AccessError(
            records.env._(
                "%(model)s: %(fields)s change only through the buttons of the workflow "
                "(propose, approve, bill, dispute, close), never by editing them.",
                model=records._description,
                fields=", ".join(fields[name]._description_string(records.env) for name in touched),
            )
        )


def check_not_own(records, path):
    """Refuse a user changing ``records`` that are about their own pay or review (their
    quota, commission plan and its rules, plan assignment, performance events): ``path``
    leads from a record to the users it is about. Another director changes them."""
    if not path or not records or in_workflow(records.env):
        return
    uid = records.env.uid
    # sudo: which users the records are about (ids only), for the comparison
    mine = records.sudo().filtered(lambda record: uid in record.mapped(path).ids)
    if mine:
        raise AccessError(
            records.env._(
                "%(model)s: nobody changes their own quota, commission plan, plan "
                "assignment or performance record; another sales director does.",
                model=records._description,
            )
        )
