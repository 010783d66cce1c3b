"""Writing many computed rows with one ``COPY … FROM STDIN``, streamed while they are
computed: PostgreSQL inserts the rows already sent while Python computes the next ones."""

import json

import psycopg2.extensions

from odoo.tools import SQL

NULL = "\\N"
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


class _Stream:
    """A file that reads the lines of ``rows`` (tuples of COPY texts) as they come, about
    ``size`` characters at a time (psycopg2 sends whatever ``read`` returns)."""

    def __init__(self, rows):
        self._rows = iter(rows)
        self.count = 0

    def read(self, size=-1):
        parts, length = [], 0
        for row in self._rows:
            line = "\t".join(row) + "\n"
            parts.append(line)
            length += len(line)
            self.count += 1
            if 0 <= size <= length:
                break
        return "".join(parts)


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


def copy_rows(cr, table, columns, rows):
    """COPY ``rows`` (an iterable of tuples of texts made by ``copy_text``, in the order
    of ``columns``) into ``table``; the rows may be computed lazily: they are read while
    PostgreSQL writes those sent before. Constraints and foreign keys are checked as for
    an ``INSERT``.

    :return: the number of rows written
    """
    stream = _Stream(rows)
    statement = SQL(
        "COPY %s (%s) FROM STDIN",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(column) for column in columns),
    )
    # as Odoo's own COPY (models.py, ir.model.data): no asynchronous wait callback while
    # copying, which COPY does not support
    callback = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(None)
    try:
        cr.copy_expert(statement.code, stream, size=1 << 16)
    finally:
        psycopg2.extensions.set_wait_callback(callback)
    return stream.count
