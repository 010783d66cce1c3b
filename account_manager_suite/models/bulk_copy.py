"""Writing many computed rows with ``COPY … FROM STDIN``, a chunk at a time: the rows are
computed lazily, a chunk is sent as soon as it is full, so memory stays bounded by one
chunk whatever the number of lines."""

import io
import json

import psycopg2.extensions

from odoo.tools import SQL

NULL = "\\N"
CHUNK = 10_000  # rows per COPY statement
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


def _chunks(rows, size):
    """The COPY text of ``rows``, ``size`` lines at a time: ``(text, number of lines)``."""
    lines = []
    for row in rows:
        lines.append("\t".join(row))
        if len(lines) == size:
            yield "\n".join(lines) + "\n", len(lines)
            lines = []
    if lines:
        yield "\n".join(lines) + "\n", len(lines)


def _copy(cr, statement, text):
    # psycopg2's copy_expert on the transaction's connection (Odoo's cursor does not wrap
    # it): the same transaction, so the same savepoints and rollback
    with cr._cnx.cursor() as raw:
        raw.copy_expert(statement, io.StringIO(text), size=1 << 20)


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
    may be a generator, consumed a chunk at a time. Constraints and foreign keys are
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
    try:
        for text, lines in _chunks(rows, chunk_size):
            _copy(cr, statement, text)
            count += lines
    finally:
        psycopg2.extensions.set_wait_callback(callback)
    return count
