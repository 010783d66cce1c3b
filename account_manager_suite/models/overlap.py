import logging

from psycopg2.errors import ExclusionViolation

from odoo import api
from odoo import models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# A period is ``[date_from, date_to]``, open-ended when ``date_to`` is empty. A range that
# ends before it starts is the dates check's to refuse, with its own message: here it counts
# as its first day (daterange() would fail on it before any constraint could speak).
_RANGE = "daterange(date_from, CASE WHEN date_to < date_from THEN date_from ELSE date_to END, '[]')"


class BatchRefused(Exception):
    """A batch of Odoo's import refused without a message of its own: ``load()`` then
    tries each row alone, and each refused row gets its message and its row number."""


class AccountManagerPeriodGuard(models.AbstractModel):
    """Periods that must not overlap, guarded by PostgreSQL.

    A Python check cannot see what a concurrent transaction has not committed yet (Odoo's
    ``hr_work_entry`` explains it): two users inserting overlapping periods at the same time
    would both pass. Each model inheriting this mixin gets an ``EXCLUDE USING gist``
    constraint on its ``_ams_overlap_columns`` (``WITH =``) and its date range (``WITH &&``,
    ``btree_gist``). The database error is turned into the model's clear message naming
    the record it overlaps (``_ams_overlap_message``).
    """

    _name = "account.manager.period.guard"
    _description = "Periods That Must Not Overlap"

    # the columns that must be equal for two periods to conflict
    _ams_overlap_columns = ()

    @classmethod
    def _ams_overlap_constraint(cls):
        return f"{cls._table}_no_overlap"

    def _auto_init(self):
        result = super()._auto_init()
        if self._abstract or not self._ams_overlap_columns:
            return result
        cr = self.env.cr
        name = self._ams_overlap_constraint()
        cr.execute(SQL("SELECT 1 FROM pg_constraint WHERE conname = %s AND contype = 'x'", name))
        if cr.fetchone():
            return result
        cr.execute(SQL("CREATE EXTENSION IF NOT EXISTS btree_gist"))
        columns = SQL(", ").join(
            SQL("%s WITH =", SQL.identifier(column)) for column in self._ams_overlap_columns
        )
        try:
            with cr.savepoint(flush=False):
                cr.execute(
                    SQL(
                        "ALTER TABLE %s ADD CONSTRAINT %s EXCLUDE USING gist (%s, %s WITH &&)",
                        SQL.identifier(self._table),
                        SQL.identifier(name),
                        columns,
                        SQL(_RANGE),
                    )
                )
        except Exception:
            # existing overlapping rows: the database keeps them, the log says so
            _logger.warning(
                "%s: overlapping periods exist, constraint %s not added", self._name, name
            )
        return result

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not vals_list:
            return super().create(vals_list)
        try:
            with self.env.cr.savepoint():
                records = super().create(vals_list)
                records.flush_recordset()
        except ExclusionViolation as error:
            if error.diag.constraint_name != self._ams_overlap_constraint():
                raise
            self._ams_refuse_batch(vals_list)
            raise self._ams_overlap_error(
                [self._ams_period_values(vals) for vals in vals_list]
            ) from None
        return records

    def write(self, vals):
        if not self or not vals.keys() & {*self._ams_overlap_columns, "date_from", "date_to"}:
            return super().write(vals)
        before = [{**self._ams_period_of(record), **vals, "id": record.id} for record in self]
        try:
            with self.env.cr.savepoint():
                result = super().write(vals)
                self.flush_recordset()
        except ExclusionViolation as error:
            if error.diag.constraint_name != self._ams_overlap_constraint():
                raise
            raise self._ams_overlap_error(
                [self._ams_period_values(candidate) for candidate in before]
            ) from None
        return result

    @api.model
    def load(self, fields, data):
        """Odoo's import (the import screen and ``load()`` alike), each refused row named
        in its message: "Row 3: …", counting the rows of data from 1."""
        result = super(AccountManagerPeriodGuard, self.with_context(_ams_load=True)).load(
            fields, data
        )
        for message in result["messages"]:
            if message.get("type") == "error" and message.get("rows"):
                message["message"] = self.env._(
                    "Row %(row)s: %(message)s",
                    row=message["rows"]["from"] + 1,
                    message=message["message"],
                )
        return result

    # ------------------------------------------------------------------ business

    @api.model
    def _ams_refuse_batch(self, vals_list):
        """Within a batch of the import, leave the message to the rows tried alone."""
        if self.env.context.get("_ams_load") and len(vals_list) > 1:
            raise BatchRefused()

    def _ams_period_of(self, record):
        return {
            name: record[name].id if hasattr(record[name], "ids") else record[name]
            for name in (*self._ams_overlap_columns, "date_from", "date_to")
        }

    @api.model
    def _ams_period_values(self, vals):
        """The columns that conflict of a period to be written, defaults and related fields
        included (``vals`` as given to ``create``, or a record's values and its changes)."""
        record_id = vals.get("id")
        vals = {key: value for key, value in vals.items() if key != "id"}
        new = self.new(self._add_missing_default_values(vals))
        return {**self._ams_period_of(new), "id": record_id}

    @api.model
    def _ams_overlap_error(self, candidates):
        """The message for the first candidate period that overlaps a period in the
        database or another candidate; the candidates are dicts of
        ``_ams_period_values``."""
        for index, mine in enumerate(candidates):
            domain = [(column, "=", mine[column]) for column in self._ams_overlap_columns]
            if mine["date_to"]:
                domain.append(("date_from", "<=", mine["date_to"]))
            domain += ["|", ("date_to", "=", False), ("date_to", ">=", mine["date_from"])]
            if mine["id"]:
                domain.append(("id", "!=", mine["id"]))
            # sudo: the period the database refused may be one the user cannot read (another
            # company's): it is found whoever may read it, named only if the user may
            other = self.sudo().search(domain, limit=1)
            if other:
                return self._ams_overlap_message(
                    mine, other.with_env(self.env)._filtered_access("read")
                )
            for theirs in candidates[index + 1 :]:
                if _overlaps(mine, theirs, self._ams_overlap_columns):
                    values = {key: value for key, value in theirs.items() if key != "id"}
                    # sudo: an unsaved period of the user's own batch, named in the message
                    return self._ams_overlap_message(mine, self.sudo().new(values))
        # the database refused what we cannot find again: still say what it is about
        return self._ams_overlap_message(candidates[0], self.browse())

    @api.model
    def _ams_overlap_message(self, mine, other):
        """The ``ValidationError`` of the model for period ``mine`` (dict) overlapping
        ``other`` (a record, or an unsaved one of the same batch)."""
        raise NotImplementedError


def _overlaps(mine, theirs, columns):
    if any(mine[column] != theirs[column] for column in columns):
        return False
    return (not theirs["date_to"] or mine["date_from"] <= theirs["date_to"]) and (
        not mine["date_to"] or theirs["date_from"] <= mine["date_to"]
    )
