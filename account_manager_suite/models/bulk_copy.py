"""Writing many computed rows with ``COPY … FROM STDIN``, a chunk at a time, each chunk
written by a thread while the next one is computed (``_Writer``): PostgreSQL inserts and
checks foreign keys on one core while Python computes on the other; memory stays bounded
by three chunks whatever the number of lines. ``copy_new_records`` writes a model's new
rows from their values: a fast row function for the keys it knows, every other key a
column of its own converted as the ORM converts it (``column_text``)."""

import io
import json
import queue
import threading

import psycopg2.extensions

from odoo import fields
from odoo.models import BaseModel
from odoo.tools import SQL
from odoo.tools import clean_context
from odoo.tools import float_repr

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
    does not wait for the ids of every row. (The rows are not left to take their ids
    from the column's default: a volatile default, ``nextval``, makes the server insert
    the rows of a ``COPY`` one by one instead of a page at a time.)"""

    def __init__(self, cr, statement, table=None):
        super().__init__(name="ams-bulk-copy", daemon=True)
        self.cr, self.statement, self.error = cr, statement, None
        self.sequence = id_sequence(cr, table) if table else None
        self.ids, self.count = [], 0
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
        if self.sequence:
            ids = reserve_ids(self.cr, self.sequence, len(lines))
            lines = [f"{line_id}\t{line}" for line_id, line in zip(ids, lines, strict=True)]
        _copy(self.cr, self.statement, "\n".join(lines) + "\n")
        if self.sequence:
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


def id_sequence(cr, table):
    """The name of ``table``'s ``id`` sequence."""
    with cr._cnx.cursor() as raw:
        raw.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        return raw.fetchone()[0]


def reserve_ids(cr, sequence, count):
    """``count`` new ids of the ``sequence`` (``id_sequence``), in one query on the raw
    connection (the writer's thread calls it too: Odoo's cursor is the caller's). The
    sequence is named by a constant: the server looks it up once, not once per id (a
    fifth to a sixth of the time of ``nextval(pg_get_serial_sequence(…))``, whose lookup
    is evaluated for every id: 5 against 30 ms for 10,000 ids at L)."""
    if count <= 0:
        return []
    with cr._cnx.cursor() as raw:
        raw.execute(
            "SELECT string_agg(nextval(%s::regclass)::text, ',') FROM generate_series(1, %s)",
            [sequence, count],
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


def copy_new_records(model, vals_list, columns, row, keys, *args):
    """New rows of ``model`` from their values (``vals_list``, a list or an iterator),
    written with ``copy_new_rows``: ``row(vals, *args)`` makes the texts of ``columns``
    from the ``keys`` of a vals (the other columns it writes have values of its own).

    Any other key a vals carries (an integrator's hook adding a stored field) is a column
    of its own, its value converted as the ORM converts it (``column_text``); where a vals
    lacks it, the row function's own value, else the field's default, else NULL. The
    extra columns are read from the keys of the first vals; a later vals with a key not
    seen yet ends the statement and the rows go on in one that writes it too: without
    extra keys the rows are written as ``row`` makes them, checked key by key only.

    :return: the ids of the rows written, in the order of ``vals_list``
    """
    vals_iter, ids, extra = iter(vals_list), [], ()
    first = next(vals_iter, None)
    while first is not None:
        extra += tuple(name for name in first if name not in keys and name not in extra)
        written, make = (columns, row) if not extra else _with_extra(model, columns, row, extra)
        rest = []  # the first vals of the next statement
        ids += copy_new_rows(
            model.env.cr,
            model._table,
            written,
            _rows_until_new_keys(first, vals_iter, keys.union(extra), make, args, rest),
        )
        first = rest[0] if rest else None
    return ids


def _rows_until_new_keys(first, vals_iter, known, row, args, rest):
    """The rows of ``first`` and of the vals after it up to the first one carrying a key
    outside ``known`` (put in ``rest``, left to the next statement)."""
    yield row(first, *args)
    for vals in vals_iter:
        if not known.issuperset(vals):
            rest.append(vals)
            return
        yield row(vals, *args)


def _with_extra(model, columns, row, extra):
    """The columns and the row function that write the keys ``extra`` too: a key that is
    one of ``columns`` replaces the row function's value, the others are added."""
    position = {column: index for index, column in enumerate(columns)}
    kept = [index for index, column in enumerate(columns) if column not in extra]
    converts = [(name, column_text(model, name), position.get(name)) for name in extra]
    # the defaults as create applies them, without the caller's default_* context keys
    defaults = model.with_context(clean_context(model.env.context)).default_get(list(extra))

    def extended(vals, *args):
        texts = row(vals, *args)
        added = []
        for name, convert, index in converts:
            if name in vals:
                added.append(convert(vals[name], vals))
            elif index is not None:
                added.append(texts[index])
            elif name in defaults:
                added.append(convert(defaults[name], vals))
            else:
                added.append(NULL)
        return (*(texts[index] for index in kept), *added)

    return (*(columns[index] for index in kept), *extra), extended


def column_text(model, name):
    """How a value of the field ``name`` of ``model`` is written into its column by
    ``create`` (``convert_to_column_insert``), in COPY's text format: a function
    ``convert(value, vals) -> text``, ``vals`` being the row's values (a monetary amount
    is rounded in the currency they name). A name without a column of its own (not a
    field, not stored, the id) is refused with a ``ValueError`` naming it, and so is a
    value the field's type cannot take."""
    field = model._fields.get(name)
    if field is None:
        raise ValueError(
            f"{model._name} has no field {name!r}: the values of its new rows carry only "
            "its stored fields"
        )
    if name == "id" or not (field.store and field.column_type) or field.company_dependent:
        raise ValueError(
            f"{model._name}.{name} is not written in a column of its own (computed, related, "
            "a relation to many, company-dependent or the id): the values of new rows "
            "written with COPY cannot carry it; set it once the rows are created"
        )
    make = _COLUMN_TEXTS.get(field.type)
    if make is None:
        raise ValueError(
            f"{model._name}.{name}: fields of type {field.type} are not written with COPY; "
            "set it once the rows are created"
        )
    convert = make(model, field)

    def checked(value, vals):
        try:
            return convert(value, vals)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{field}: {value!r} cannot be written ({error})") from error

    return checked


def _id_column(model, field):
    def text(value, vals):
        value = value.id if isinstance(value, BaseModel) else value
        return str(int(value)) if value else NULL

    return text


def _number_column(model, field):
    # int(value or 0); float(value or 0.0) rounded to the field's digits
    return lambda value, vals: str(field.convert_to_column(value, model))


def _monetary_column(model, field):
    # rounded in the currency the row's values name (its own field, or the first field of
    # a related one: the company), else unrounded, as the ORM finds it for a new record;
    # each currency read once
    name = field.get_currency_field(model)
    related = model._fields[name].related
    keys = (name, related.split(".")[0]) if related else (name,)
    currencies = {}

    def currency_of(vals):
        for key in keys:
            if key in vals:
                if (key, vals[key]) not in currencies:
                    currencies[key, vals[key]] = model.new({key: vals[key]})[name]
                return currencies[key, vals[key]]
        return None

    def text(value, vals):
        value, currency = float(value or 0.0), currency_of(vals)
        if not currency:
            return repr(value)
        return float_repr(currency.round(value), currency.decimal_places)

    return text


def _boolean_column(model, field):
    return lambda value, vals: "t" if value else "f"


def _string_column(model, field):
    # cut to the field's size, HTML sanitized; a translated field as {language: text}
    lang = model.env.lang or "en_US"

    def text(value, vals):
        value = field.convert_to_column(value, model)
        if value is None:
            return NULL
        return copy_json({"en_US": value, lang: value}) if field.translate else copy_text(value)

    return text


def _selection_column(model, field):
    # a value not among the field's is refused, naming it
    return lambda value, vals: copy_text(field.convert_to_cache(value, model))


def _date_column(model, field):
    to_string = fields.Datetime.to_string if field.type == "datetime" else fields.Date.to_string

    def text(value, vals):
        # validated and made a date (a datetime) first, as the ORM does
        value = field.convert_to_cache(value, model)
        return to_string(value) if value else NULL

    return text


def _json_column(model, field):
    return lambda value, vals: copy_json(field.convert_to_cache(value, model))


_COLUMN_TEXTS = {
    "many2one": _id_column,
    "integer": _number_column,
    "many2one_reference": _number_column,
    "float": _number_column,
    "monetary": _monetary_column,
    "boolean": _boolean_column,
    "char": _string_column,
    "text": _string_column,
    "html": _string_column,
    "selection": _selection_column,
    "date": _date_column,
    "datetime": _date_column,
    "json": _json_column,
}
