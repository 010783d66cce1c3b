"""The module's report downloads are read-only, so that Odoo 18 may serve them from a
PostgreSQL replica (``--db_replica_host``), where the heavy reading of the books goes."""

import json
from urllib.parse import urlsplit

import psycopg2.errors
import psycopg2.extensions

from odoo.addons.report_xlsx.controllers.main import ReportController
from odoo.http import request
from odoo.http import route

from ..const import MODULE


def module_report(data):
    """(report name, ids) of a download of this module's reports, else None.

    ``data`` is what the web client sends to /report/download: a JSON list of the
    report's URL (/report/<converter>/<report_name>[/<ids>][?...]) and its type."""
    try:
        path = urlsplit(json.loads(data)[0]).path
        _root, _report, _converter, name, *ids = path.split("/")
    except (TypeError, ValueError, IndexError, AttributeError):
        return None
    if not name.startswith(f"{MODULE}."):
        return None
    return name, [int(i) for i in (ids[0] if ids else "").split(",") if i.isdigit()]


def _readonly_download(controller):
    # called before the request's transaction opens: read the raw parameters
    return module_report(request.get_http_params().get("data")) is not None


def _read_write_retry(reason):
    """What Odoo does when a read-only request writes: roll back, run again on the
    primary (``odoo.http.Request._transactioning``)."""
    return psycopg2.errors.ReadOnlySqlTransaction(reason)


class AccountManagerReportController(ReportController):
    @route(readonly=_readonly_download)
    def report_download(self, data, context=None, token=None, readonly=True):
        report = module_report(data)
        if not report or not request.env.cr.readonly:
            return super().report_download(data, context=context, token=token, readonly=readonly)
        name, ids = report
        # A wizard's report prints the wizard the web client saved a moment ago on the
        # primary: a replica that has not replayed it yet would print nothing.
        model = request.env["ir.actions.report"]._get_report_from_name(name).model
        if ids and len(request.env[model].browse(ids).exists()) != len(set(ids)):
            raise _read_write_retry(f"{model} {ids} is not on the replica yet")
        response = super().report_download(data, context=context, token=token, readonly=readonly)
        # Odoo's download answers any error with an error page, which would hide a
        # write refused by the read-only transaction: retry those on the primary.
        status = request.env.cr._obj.connection.info.transaction_status
        if status == psycopg2.extensions.TRANSACTION_STATUS_INERROR:
            raise _read_write_retry(f"{name} failed on a read-only cursor")
        return response
