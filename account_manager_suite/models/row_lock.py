from psycopg2.errors import LockNotAvailable

from odoo.exceptions import UserError
from odoo.tools import SQL


class RowsBusyError(UserError):
    """Another transaction holds the rows: try again in a moment."""


def lock_rows_nowait(records, busy_message):
    """Lock the rows of ``records`` for this transaction, or raise ``RowsBusyError`` with
    ``busy_message`` at once when another transaction holds them: two users acting on
    the same records (closing a period, billing a settlement) never both go through."""
    try:
        records.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR UPDATE NOWAIT",
                SQL.identifier(records._table),
                tuple(records.ids),
            ),
            log_exceptions=False,  # a busy row is an answer, not a bad query
        )
    except LockNotAvailable as error:
        raise RowsBusyError(busy_message) from error
    # what the other transaction committed before we got the lock
    records.invalidate_recordset()
