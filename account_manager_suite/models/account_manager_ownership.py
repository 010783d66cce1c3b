from datetime import timedelta
from functools import partial
from itertools import pairwise

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..const import acts_as_director
from .overlap import BatchRefused

REASONS = [
    ("initial", "Initial Assignment"),
    ("handover", "Hand-over from Business Development"),
    ("manual", "Manual Change"),
    ("reassignment", "Re-assignment"),
]


class AccountManagerOwnership(models.Model):
    """One period during which an account manager owned a customer account.

    The periods of an account follow each other without overlap and without gap for as
    long as the account has an owner: revenue and commissions are attributed by these
    periods and the invoice date. Periods are written by the history's writer only
    (``_ams_set_owner``, account_manager_ownership_writer.py, which accounts enter
    through ``res.partner._set_account_manager``), never edited by hand.
    """

    _name = "account.manager.ownership"
    _inherit = ["account.manager.input.mixin", "account.manager.period.guard"]
    _description = "Account Ownership Period"
    _order = "partner_id, date_from desc, id desc"
    _rec_name = "partner_id"
    _ams_overlap_columns = ("partner_id",)

    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_company", "=", True)],
    )
    user_id = fields.Many2one(
        "res.users", string="Account Manager", required=True, index=True, ondelete="restrict"
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", help="Last day of the period; empty while current.")
    reason = fields.Selection(REASONS, required=True, default="manual")
    changed_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    note = fields.Char()
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    is_current = fields.Boolean(compute="_compute_is_current")

    @api.depends("date_from", "date_to")
    def _compute_is_current(self):
        today = fields.Date.context_today(self)
        for period in self:
            period.is_current = period.date_from <= today and (
                not period.date_to or period.date_to >= today
            )

    @api.constrains("date_from", "date_to", "partner_id")
    def _check_dates(self):
        for period in self:
            if period.date_to and period.date_to < period.date_from:
                raise ValidationError(
                    self.env._(
                        "Ownership of %(account)s: the end date (To, %(to)s) is before the "
                        "start date (From, %(from)s). Choose an end date on or after the "
                        "start date.",
                        account=period.partner_id.display_name,
                        to=period.date_to,
                        **{"from": period.date_from},
                    )
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        # periods are written by the history writer (_ams_set_owner);
        # anything else creating them — Odoo's import, a director's form — goes through it
        if self.env.context.get("_ams_history_written"):
            return super().create(vals_list)
        refused = self.env.context.get("_ams_refused_rows")
        if refused and len(vals_list) == 1:
            # Odoo's import tries the rows of a refused file one by one, each alone: the
            # file was checked as a whole history, so the rows at fault are named and the
            # others left unwritten (the file is refused anyway)
            key = self._ams_row_key(self._ams_import_row(vals_list[0]))
            if key in refused:
                raise ValidationError(refused[key])
            return self.new(vals_list[0])
        try:
            return self._ams_import_history(vals_list)
        except UserError:
            self._ams_refuse_batch(vals_list)
            raise

    @api.model
    def load(self, fields, data):
        # the rows a file's history refuses, found when the whole file is checked
        return super(AccountManagerOwnership, self.with_context(_ams_refused_rows={})).load(
            fields, data
        )

    @api.model
    def get_import_templates(self):
        return [
            {
                "label": self.env._("Import Template for Ownership History"),
                "template": "/account_manager_suite/static/csv/account.manager.ownership.csv",
            }
        ]

    # ------------------------------------------------------------------ business

    @api.model
    def _sql_join(self, partner, day, alias="own"):
        """The one place the ownership-on-a-date join is written: the SQL
        ``account_manager_ownership <alias> ON …`` of the period of commercial entity
        ``partner`` covering ``day`` (both SQL expressions); callers put ``JOIN`` or
        ``LEFT JOIN`` before it (no period: no owner)."""
        own = SQL.identifier(alias)
        return SQL(
            """account_manager_ownership %(own)s
                ON %(own)s.partner_id = %(partner)s
               AND %(day)s >= %(own)s.date_from
               AND (%(own)s.date_to IS NULL OR %(day)s <= %(own)s.date_to)""",
            own=own,
            partner=partner,
            day=day,
        )

    @api.model
    def _domain_on(self, day):
        """The same rule as a domain on periods: those covering ``day``."""
        return [("date_from", "<=", day), "|", ("date_to", "=", False), ("date_to", ">=", day)]

    @api.model
    def _ams_overlap_message(self, mine, other):
        account = self.env["res.partner"].browse(mine["partner_id"]).display_name
        if other:
            return ValidationError(
                self.env._(
                    "Ownership periods of %(account)s overlap: %(owner)s owns it from "
                    "%(since)s to %(until)s. An account has one owner at a time. Change the "
                    "owner with the account's Account Manager field or the Re-assign Accounts "
                    "wizard, which close the current period for you.",
                    account=account,
                    owner=other.user_id.name,
                    since=other.date_from,
                    until=other.date_to or self.env._("today"),
                )
            )
        return ValidationError(
            self.env._(
                "Ownership periods of %(account)s overlap: someone else changed its owner at "
                "the same moment. An account has one owner at a time: reload and try again.",
                account=account,
            )
        )

    @api.model
    def _ams_import_history(self, vals_list):
        """Write imported ownership periods (account, manager, from, to, reason) through the
        history writer, after refusing overlaps and gaps: between the rows of an account and
        with the history it has already, before its first period (going live after the
        accounts got their owner from the install day) or after its last one. Past
        invoices and orders are attributed by the writer.

        :return: the periods of the rows, in their order (a row continuing the account's
            first period with the same manager gives that period)
        """
        if not acts_as_director(self.env):
            raise AccessError(
                self.env._("Only a Sales Director can import or create ownership periods.")
            )
        rows = [self._ams_import_row(vals) for vals in vals_list]
        chains, faults = self._ams_import_chains(rows)
        if faults:
            refused = self.env.context.get("_ams_refused_rows")
            if refused is not None and len(rows) > 1:
                refused.update({self._ams_row_key(row): str(error) for row, error in faults})
                raise BatchRefused()
            raise faults[0][1]
        self._ams_import_write(chains)
        # each row's period: its own, or the one it continues with the same manager
        # sudo: the periods a director's import just wrote through the writer
        periods = {}
        for period in self.sudo().search(
            [("partner_id", "in", [chain["partner"].id for chain in chains])]
        ):
            periods.setdefault(period.partner_id, []).append(period)
        return self.browse(
            [
                next(
                    period.id
                    for period in periods[row["partner"]]
                    if period.date_from <= row["date_from"]
                    and (not period.date_to or row["date_from"] <= period.date_to)
                )
                for row in rows
            ]
        )

    @api.model
    def _ams_row_key(self, row):
        return row["partner"].id, row["user"].id, row["date_from"], row["date_to"]

    @api.model
    def _ams_import_row(self, vals):
        """One imported row, checked on its own (types, required values, an account, dates
        in order), as ``{partner, user, date_from, date_to, reason, note}``."""
        self._check_input_types(vals)
        partner = self.env["res.partner"].browse(vals.get("partner_id") or [])
        user = self.env["res.users"].browse(vals.get("user_id") or [])
        date_from = fields.Date.to_date(vals.get("date_from"))
        date_to = fields.Date.to_date(vals.get("date_to"))
        if not partner or not user or not date_from:
            raise ValidationError(
                self.env._(
                    "An ownership period needs an Account, an Account Manager and a From date."
                )
            )
        if not partner._ams_is_account():
            raise ValidationError(
                self.env._(
                    "%(contact)s is a contact of %(account)s: ownership belongs to the "
                    "account. Import the period for %(account)s.",
                    contact=partner.display_name,
                    account=partner.commercial_partner_id.display_name,
                )
            )
        if date_to and date_to < date_from:
            raise ValidationError(
                self.env._(
                    "Ownership of %(account)s: the end date (To, %(to)s) is before the "
                    "start date (From, %(from)s). Choose an end date on or after the "
                    "start date.",
                    account=partner.display_name,
                    to=date_to,
                    **{"from": date_from},
                )
            )
        return {
            "partner": partner,
            "user": user,
            "date_from": date_from,
            "date_to": date_to,
            "reason": vals.get("reason") or "initial",
            "note": vals.get("note") or False,
        }

    @api.model
    def _ams_import_chains(self, rows):
        """The rows by account, each account's in date order and split around the history
        it has already, with the rows that break that history.

        :return: ``(chains, faults)``: one ``{partner, before, after}`` per account, in the
            order the accounts first appear (``before``: the rows before its first period,
            ``after``: the others), and ``[(row, ValidationError), ...]``, the first row at
            fault of each account that has one
        """
        by_partner = {}
        for row in rows:
            by_partner.setdefault(row["partner"], []).append(row)
        first, last = {}, {}
        # sudo: the whole history of the imported accounts, which the import must continue
        # (checked: a director imports)
        for period in self.sudo().search(
            [("partner_id", "in", [p.id for p in by_partner])], order="date_from desc"
        ):
            last.setdefault(period.partner_id, period)
            first[period.partner_id] = period
        chains, faults = [], []
        for partner, periods in by_partner.items():
            periods.sort(key=lambda r: r["date_from"])
            start = first.get(partner)
            before = [r for r in periods if start and r["date_from"] < start.date_from]
            chain = {"partner": partner, "before": before, "after": periods[len(before) :]}
            fault = self._ams_chain_fault(chain, start, last.get(partner))
            if fault:
                faults.append(fault)
            chains.append(chain)
        return chains, faults

    @api.model
    def _ams_chain_fault(self, chain, first, last):
        """The first row of an account's imported ``chain`` that overlaps or leaves a gap,
        with its refusal (``(row, ValidationError)``), or ``None``: the rows before the
        account's ``first`` period must lead into it, the others follow its ``last``."""
        partner, before, after = chain["partner"], chain["before"], chain["after"]
        checks = [
            (row, partial(self._ams_check_follows, partner, previous, row))
            for previous, row in pairwise(before)
        ]
        if before:
            checks.append(
                (before[-1], partial(self._ams_check_precedes, partner, before[-1], first))
            )
        previous = self._ams_period_row(last) if last else None
        for index, row in enumerate(after):
            if previous:
                checks.append(
                    (row, partial(self._ams_check_follows, partner, previous, row, not index))
                )
            previous = row
        for row, check in checks:
            try:
                check()
            except ValidationError as error:
                return row, error
        return None

    @api.model
    def _ams_period_row(self, period):
        return {"user": period.user_id, "date_from": period.date_from, "date_to": period.date_to}

    @api.model
    def _ams_import_write(self, chains):
        """Write the checked ``chains`` through the history writer: the rows before each
        account's first period from the latest back, then the others one step of every
        chain at a time (the accounts opening the same period together), then the ends."""
        Partner = self.env["res.partner"]
        self._ams_write_steps([list(reversed(chain["before"])) for chain in chains], prepend=True)
        after = [chain["after"] for chain in chains if chain["after"]]
        if not after:
            return
        # the writer opens each period, closing the one before; the last one may end
        self._ams_write_steps(after)
        ends = {}
        for rows in after:
            if rows[-1]["date_to"]:
                ends.setdefault(rows[-1]["date_to"], Partner)
                ends[rows[-1]["date_to"]] |= rows[-1]["partner"]
        for day, partners in ends.items():
            self._ams_set_owner(
                partners, self.env["res.users"], day + timedelta(days=1), force=True
            )

    @api.model
    def _ams_write_steps(self, chains, prepend=False):
        """Give the accounts of ``chains`` (lists of rows) their owners, step by step: at
        each step the ``n``-th row of every chain, rows alike written together."""
        Partner = self.env["res.partner"]
        for step in range(max((len(chain) for chain in chains), default=0)):
            groups = {}
            for chain in chains:
                if step < len(chain):
                    row = chain[step]
                    key = (row["user"], row["date_from"], row["reason"], row["note"])
                    groups.setdefault(key, Partner)
                    groups[key] |= row["partner"]
            for (user, day, reason, note), partners in groups.items():
                self._ams_set_owner(
                    partners, user, day, reason=reason, note=note, force=True, prepend=prepend
                )

    @api.model
    def _ams_check_follows(self, partner, previous, row, existing=False):
        """Refuse ``row`` unless it starts the day after ``previous`` ends: an imported
        history has neither overlaps nor gaps. After the current period of an account's
        history (``existing``), a later row is a re-assignment: the writer ends the current
        period the day before."""
        if existing and not previous["date_to"] and row["date_from"] > previous["date_from"]:
            return
        if not previous["date_to"] or row["date_from"] <= previous["date_to"]:
            raise ValidationError(
                self.env._(
                    "Ownership periods of %(account)s overlap: %(owner)s owns it from "
                    "%(since)s to %(until)s%(where)s, and %(new)s from %(from)s. An account has "
                    "one owner at a time: end the earlier period the day before.",
                    account=partner.display_name,
                    owner=previous["user"].name,
                    since=previous["date_from"],
                    until=previous["date_to"] or self.env._("today"),
                    where=self.env._(" (in its history)") if existing else "",
                    new=row["user"].name,
                    **{"from": row["date_from"]},
                )
            )
        if (row["date_from"] - previous["date_to"]).days > 1:
            raise ValidationError(
                self.env._(
                    "Ownership history of %(account)s has a gap: %(owner)s owns it until "
                    "%(until)s%(where)s, %(new)s only from %(from)s. Start the next period the "
                    "day after the previous one ends.",
                    account=partner.display_name,
                    owner=previous["user"].name,
                    until=previous["date_to"],
                    where=self.env._(" (in its history)") if existing else "",
                    new=row["user"].name,
                    **{"from": row["date_from"]},
                )
            )

    @api.model
    def _ams_check_precedes(self, partner, row, first):
        """Refuse ``row``, the last imported row before the account's ``first`` period,
        unless it ends the day before that period begins; the same manager may run on into
        it (the row then continues that period)."""
        day_before = first.date_from - timedelta(days=1)
        if row["user"] == first.user_id and (
            not row["date_to"]
            or (
                day_before <= row["date_to"]
                and (not first.date_to or row["date_to"] <= first.date_to)
            )
        ):
            return
        values = {
            "account": partner.display_name,
            "new": row["user"].name,
            "from": row["date_from"],
            "to": row["date_to"] or self.env._("today"),
            "owner": first.user_id.name,
            "since": first.date_from,
            "day": day_before,
        }
        if not row["date_to"] or row["date_to"] > day_before:
            raise ValidationError(
                self.env._(
                    "Ownership periods of %(account)s overlap: %(new)s from %(from)s to %(to)s, "
                    "and %(owner)s owns it from %(since)s (in its history). A history imported "
                    "before the first period of an account ends the day before it (%(day)s), "
                    "or continues it with the same account manager.",
                    **values,
                )
            )
        if row["date_to"] < day_before:
            raise ValidationError(
                self.env._(
                    "Ownership history of %(account)s has a gap: %(new)s owns it until %(to)s, "
                    "%(owner)s only from %(since)s (in its history). End the imported history "
                    "the day before (%(day)s).",
                    **values,
                )
            )

    @api.model
    def _owner_at(self, pairs):
        """Who owned which account on which date, for many (partner_id, date) at once.

        :param pairs: iterable of ``(commercial_partner_id, date)``
        :return: ``{(partner_id, date): user_id}`` for the pairs covered by a period
        """
        pairs = {(pid, day) for pid, day in pairs if pid and day}
        if not pairs:
            return {}
        self.flush_model(["partner_id", "user_id", "date_from", "date_to"])
        values = SQL(", ").join(SQL("(%s, %s::date)", pid, day) for pid, day in pairs)
        self.env.cr.execute(
            SQL(
                """
                SELECT q.partner_id, q.day, own.user_id
                  FROM (VALUES %s) AS q(partner_id, day)
                  JOIN %s
                """,
                values,
                self._sql_join(SQL("q.partner_id"), SQL("q.day")),
            )
        )
        return {(pid, day): uid for pid, day, uid in self.env.cr.fetchall()}
