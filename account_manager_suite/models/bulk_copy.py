"""Writing many computed rows with ``COPY … FROM STDIN``, a chunk at a time, each chunk
written by a thread while the next one is computed (``_Writer``): PostgreSQL inserts and
checks foreign keys on one core while Python computes on the other; memory stays bounded
by three chunks whatever the number of lines."""

import io
import json
import queue
import threading

import psycopg2.extensions

from odoo.tools import SQL

NULL = "\\N"
CHUNK = 10_000  # rows per COPY statement
FIRST_CHUNK = 500  # rows of the first statement; each next one has twice as many
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
    """The COPY lines of ``rows``, up to ``size`` at a time (a list of texts each). The
    first chunks are smaller (``FIRST_CHUNK``, doubling up to ``size``): the server
    starts writing as soon as a few rows are computed instead of waiting for a whole
    chunk."""
    lines, limit = [], min(FIRST_CHUNK, size)
    for row in rows:
        lines.append("\t".join(row))
        if len(lines) == limit:
            yield lines
            lines, limit = [], min(2 * limit, size)
    if lines:
        yield lines


def _copy(cr, statement, text):
    # psycopg2's copy_expert on the transaction's connection (Odoo's cursor does not wrap
    # it): the same transaction, so the same savepoints and rollback. The whole chunk in
    # one read: the thread then waits on the server without the GIL until it is written,
    # instead of taking the GIL back from the computing thread a piece at a time.
    with cr._cnx.cursor() as raw:
        raw.copy_expert(statement, io.StringIO(text), size=len(text))


class _Writer(threading.Thread):
    """The COPY statements of the chunks, one after the other, on the transaction's
    connection, in a thread of their own: PostgreSQL inserts a chunk and checks its
    foreign keys (at the end of its statement, the larger part of its time) while the
    caller's thread computes the next one. It waits on the server without the GIL; the
    caller's thread sends no query meanwhile (the rows are computed without any).

    With a ``table``, the rows come without their id: the thread takes a chunk's ids
    from the table's sequence just before writing it (``ids``), so that the first chunk
    does not wait for the ids of every row."""

    def __init__(self, cr, statement, table=None):
        super().__init__(name="ams-bulk-copy", daemon=True)
        self.cr, self.statement, self.error = cr, statement, None
        self.table, self.ids, self.count = table, [], 0
        self.chunks = queue.Queue(maxsize=1)  # one waiting while one is written

    def run(self):
        while (lines := self.chunks.get()) is not None:
            if self.error is None:
                try:
                    self._write(lines)
                except Exception as error:  # pylint: disable=broad-exception-caught
                    # raised again in the caller's thread (send, finish)
                    self.error = error

    def _write(self, lines):
        if self.table:
            ids = reserve_ids(self.cr, self.table, len(lines))
            lines = [f"{line_id}\t{line}" for line_id, line in zip(ids, lines, strict=True)]
        _copy(self.cr, self.statement, "\n".join(lines) + "\n")
        if self.table:
            self.ids.extend(ids)
        self.count += len(lines)

    def send(self, lines):
        if self.error is not None:
            raise self.error
        self.chunks.put(lines)

    def finish(self, raise_error=True):
        self.chunks.put(None)
        self.join()
        if raise_error and self.error is not None:
            raise self.error


def reserve_ids(cr, table, count):
    """``count`` new ids of ``table`` (its ``id`` sequence), in one query on the raw
    connection (the writer's thread calls it too: Odoo's cursor is the caller's)."""
    if count <= 0:
        return []
    with cr._cnx.cursor() as raw:
        raw.execute(
            "SELECT string_agg(nextval(pg_get_serial_sequence(%s, 'id'))::text, ',') "
            "FROM generate_series(1, %s)",
            [table, count],
        )
        return [int(line_id) for line_id in raw.fetchone()[0].split(",")]


def copy_rows(cr, table, columns, rows, chunk_size=None):
    """COPY ``rows`` (an iterable of tuples of texts made by ``copy_text``, in the order
    of ``columns``) into ``table``, ``chunk_size`` rows per statement (``CHUNK``); ``rows``
    may be a generator, computed without queries: while one chunk is written, the next
    one is computed. Constraints and foreign keys are checked as for an ``INSERT``.

    :return: the number of rows written
    """
    return _copy_chunks(cr, table, columns, rows, chunk_size).count


def copy_new_rows(cr, table, columns, rows, chunk_size=None):
    """``copy_rows`` of new rows without their id (``columns`` without ``id``): each
    chunk's ids are taken from the table's sequence as it is written.

    :return: the ids of the rows written, in the order of ``rows``
    """
    return _copy_chunks(cr, table, ("id", *columns), rows, chunk_size, new_ids=True).ids


def _copy_chunks(cr, table, columns, rows, chunk_size=None, new_ids=False):
    statement = SQL(
        "COPY %s (%s) FROM STDIN",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(column) for column in columns),
    ).code
    # as Odoo's own COPY (models.py, ir.model.data): no asynchronous wait callback while
    # copying, which COPY does not support
    callback = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(None)
    writer = _Writer(cr, statement, table if new_ids else None)
    writer.start()
    try:
        for lines in _chunks(rows, chunk_size or CHUNK):
            writer.send(lines)
    except BaseException:
        # the computation's own error (a rule's UserError) first, once the chunk being
        # written is done: the caller's savepoint or rollback undoes what was written
        writer.finish(raise_error=False)
        raise
    else:
        writer.finish()
    finally:
        psycopg2.extensions.set_wait_callback(callback)
    return writer
