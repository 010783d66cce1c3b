"""Writing many computed rows with ``COPY … FROM STDIN``, a chunk at a time, each chunk
written while the next one is computed (PostgreSQL inserting and checking foreign keys on
one core, Python computing on another)."""

import io
import json
import threading

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


class _Copy(threading.Thread):
    """One COPY statement of a chunk, on the transaction's connection, in a thread of
    its own: PostgreSQL writes it (and checks its foreign keys) while the caller's
    thread computes the next chunk; the thread waits on the server without the GIL."""

    def __init__(self, cr, statement, text):
        super().__init__(name="ams-bulk-copy", daemon=True)
        self.cr, self.statement, self.text, self.error = cr, statement, text, None

    def run(self):
        try:
            _copy(self.cr, self.statement, self.text)
        except Exception as error:  # pylint: disable=broad-exception-caught
            # raised again in the caller's thread (finish)
            self.error = error

    def finish(self):
        self.join()
        if self.error is not None:
            raise self.error


def _copy(cr, statement, text):
    # a cursor of its own on the transaction's connection (Odoo's cursor is not shared
    # between threads); the same transaction, so the same savepoints and rollback
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
    of ``columns``) into ``table``, ``chunk_size`` rows per statement (``CHUNK``). ``rows`` may be
    computed lazily, but without queries: while one chunk is written (a thread waiting
    on PostgreSQL), the next one is computed. Constraints and foreign keys are checked
    as for an ``INSERT``.

    :return: the number of rows written
    """
    statement = SQL(
        "COPY %s (%s) FROM STDIN",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(column) for column in columns),
    ).code
    chunk_size = chunk_size or CHUNK
    count, running = 0, None
    # as Odoo's own COPY (models.py, ir.model.data): no asynchronous wait callback while
    # copying, which COPY does not support
    callback = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(None)
    try:
        chunks = _chunks(rows, chunk_size)
        text, lines = next(chunks, ("", 0))
        while lines:
            if lines < chunk_size:  # the last one: nothing to compute meanwhile
                _copy(cr, statement, text)
                following = None
            else:
                running = _Copy(cr, statement, text)
                running.start()
                following = next(chunks, None)  # computed while the thread copies
                running.finish()
                running = None
            count += lines
            text, lines = following or ("", 0)
    finally:
        if running is not None:
            running.join()
        psycopg2.extensions.set_wait_callback(callback)
    return count
