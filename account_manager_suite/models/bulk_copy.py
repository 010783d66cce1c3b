"""Writing many computed rows with ``COPY … FROM STDIN``, streamed: the rows are computed
as PostgreSQL reads them (``_RowStream``), so that Python computes the next rows on one
core while the server writes the last ones on the other, and memory stays bounded by one
read buffer whatever the number of lines."""

import io
import json
from itertools import chain

import psycopg2.errors
import psycopg2.extensions

from odoo.tools import SQL

NULL = "\\N"
CHUNK = 100_000  # rows per COPY statement
READ_SIZE = 1 << 16  # characters handed to the server a read
_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))


def copy_text(value):
    """A value of a column in COPY's text format (``\\N`` for None, backslashes,
    tabs and line breaks escaped)."""
    if value is None:
        return NULL
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        for char, escaped in _ESCAPES:
            text = text.replace(char, escaped)
    return text


def copy_json(value):
    """A JSON value (a dict) in COPY's text format; empty is NULL. ``json.dumps``
    escapes control characters: only its backslashes need escaping again."""
    if not value:
        return NULL
    return json.dumps(value).replace("\\", "\\\\")


class _RowStream(io.TextIOBase):
    """At most ``limit`` rows of ``rows`` (tuples of COPY texts) as COPY's text format,
    made as the server reads them: psycopg2's ``copy_expert`` calls ``read(size)`` and
    sends each piece while the next is computed."""

    def __init__(self, rows, limit):
        super().__init__()
        self._rows, self._limit = rows, limit
        self._pending = ""
        self.count = 0
        self.error = None  # what computing the rows raised (psycopg2 cancels the COPY)

    def readable(self):
        return True

    # a file's read (psycopg2 calls it), not the ORM's: there is no super to call
    def read(self, size=-1):  # pylint: disable=method-required-super
        parts, length = [self._pending], len(self._pending)
        while (size is None or size < 0 or length < size) and self.count < self._limit:
            try:
                row = next(self._rows, None)
            except Exception as error:
                self.error = error
                raise
            if row is None:
                break
            line = "\t".join(row) + "\n"
            parts.append(line)
            length += len(line)
            self.count += 1
        text = "".join(parts)
        if size is None or size < 0:
            self._pending = ""
            return text
        self._pending = text[size:]
        return text[:size]


def _copy(cr, statement, stream):
    # psycopg2's copy_expert on the transaction's connection (Odoo's cursor does not wrap
    # it): the same transaction, so the same savepoints and rollback
    with cr._cnx.cursor() as raw:
        raw.copy_expert(statement, stream, size=READ_SIZE)


def reserve_ids(cr, table, count):
    """``count`` new ids of ``table`` (its ``id`` sequence), in one query."""
    if count <= 0:
        return []
    cr.execute(
        SQL(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            table,
            count,
        )
    )
    return [row[0] for row in cr.fetchall()]


def copy_rows(cr, table, columns, rows, chunk_size=None):
    """COPY ``rows`` (an iterable of tuples of texts made by ``copy_text``, in the order
    of ``columns``) into ``table``, ``chunk_size`` rows per statement (``CHUNK``); ``rows``
    may be a generator, consumed as the server reads. Constraints and foreign keys are
    checked as for an ``INSERT``.

    :return: the number of rows written
    """
    statement = SQL(
        "COPY %s (%s) FROM STDIN",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(column) for column in columns),
    ).code
    chunk_size = chunk_size or CHUNK
    count = 0
    # as Odoo's own COPY (models.py, ir.model.data): no asynchronous wait callback while
    # copying, which COPY does not support
    callback = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(None)
    rows = iter(rows)
    try:
        # a statement a chunk, none for no row: each begins with the row that is next
        for first in rows:
            stream = _RowStream(chain([first], rows), chunk_size)
            # an error while the rows are computed (a rule's UserError) leaves the
            # transaction as before the statement, as one raised before it would
            try:
                with cr.savepoint(flush=False):
                    _copy(cr, statement, stream)
            except psycopg2.errors.QueryCanceled:
                if stream.error is not None:
                    raise stream.error from None
                raise
            count += stream.count
    finally:
        psycopg2.extensions.set_wait_callback(callback)
    return count
