from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

from .account_manager_revenue import LEDGER_LINES
from .account_manager_revenue import LEDGER_MOVES
from .account_manager_revenue import LINE_CURRENCY
from .account_manager_revenue import LINE_DAY
from .account_manager_revenue import LINE_REVENUE
from .account_manager_revenue import OWNER

# The key of a summary row, and what each is in the ledger (aliases of _revenue_source).
KEYS = {
    "company_id": SQL("aml.company_id"),
    "company_currency_id": LINE_CURRENCY,
    "partner_id": SQL("am.commercial_partner_id"),
    "user_id": OWNER,
    "invoice_date": LINE_DAY,
    "move_type": SQL("am.move_type"),
}
# What a change of these columns of a line or of an invoice can change in the summary.
LINE_COLUMNS = ("balance", "parent_state", "display_type", "move_id", "company_id",
                "company_currency_id")  # fmt: skip
MOVE_COLUMNS = ("move_type", "invoice_date", "commercial_partner_id", "account_manager_id")
# The trigger functions, and the statement-level triggers that call them: (trigger, event,
# table, transition tables, function); and the row trigger before a posted invoice's
# deletion, which calls the function of its name.
LINES_FUNCTION = "account_manager_revenue_day_lines"
MOVES_FUNCTION = "account_manager_revenue_day_moves"
MOVE_DELETED = "account_manager_revenue_day_move_deleted"
STATEMENT_TRIGGERS = (
    ("account_manager_revenue_day_lines_insert", "INSERT", "account_move_line",
     "NEW TABLE AS new_lines", LINES_FUNCTION),
    ("account_manager_revenue_day_lines_update", "UPDATE", "account_move_line",
     "OLD TABLE AS old_lines NEW TABLE AS new_lines", LINES_FUNCTION),
    ("account_manager_revenue_day_lines_delete", "DELETE", "account_move_line",
     "OLD TABLE AS old_lines", LINES_FUNCTION),
    ("account_manager_revenue_day_moves_update", "UPDATE", "account_move",
     "OLD TABLE AS old_moves NEW TABLE AS new_moves", MOVES_FUNCTION),
)  # fmt: skip
TRIGGERS = (
    *((trigger, table) for trigger, _event, table, _transitions, _f in STATEMENT_TRIGGERS),
    (MOVE_DELETED, "account_move"),
)
FUNCTIONS = (LINES_FUNCTION, MOVES_FUNCTION, MOVE_DELETED)


class AccountManagerRevenueDay(models.Model):
    """The attribution engine's summary of the ledger: the revenue of ``_revenue_source``
    (product lines of posted customer invoices and credit notes) added up by company,
    customer, owner on the invoice date, invoice date and move type, in the companies'
    currency. ``account.manager.revenue._revenue`` reads it instead of the ledger: a
    quarter at size L is some 125,000 ledger lines and a few thousand summary rows.

    The database keeps it, not the ORM: triggers on ``account_move_line`` and
    ``account_move`` (statement-level, with transition tables: one ``INSERT`` a
    statement, whatever its size) add what each change of the ledger adds to or takes
    from a row, in rows of their own (appended, so that two users posting invoices of one
    customer on one day never wait for, or fail on, each other's row); whatever writes the
    ledger — the ORM, a re-attribution, an import in SQL — keeps it right. ``_compact``
    (a scheduled action) adds each key's rows into one. The columns hold ids without
    foreign keys: a summary of rows that are themselves guarded (a posted invoice's
    partner, company and currency cannot be deleted; a deleted user's invoices lose
    their owner through the ledger's own ``SET NULL``, which the triggers follow).
    """

    _name = "account.manager.revenue.day"
    _description = "Account Manager Revenue by Day"
    _log_access = False

    company_id = fields.Integer(required=True, readonly=True)
    company_currency_id = fields.Integer(required=True, readonly=True)
    partner_id = fields.Integer(string="Account", readonly=True, index=True)
    user_id = fields.Integer(string="Account Manager", readonly=True, index=True)
    invoice_date = fields.Date(readonly=True, index=True)
    move_type = fields.Char(required=True, readonly=True)
    amount = fields.Float(digits=(16, 6), readonly=True)

    def init(self):
        self._create_triggers()
        self.env.cr.execute(SQL("SELECT 1 FROM %s LIMIT 1", SQL.identifier(self._table)))
        if not self.env.cr.fetchone():
            # a new summary (installation, upgrade): the ledger as it stands
            self._rebuild()

    # ------------------------------------------------------------------ the summary

    @api.model
    def _select(self, lines, moves, sign=1):
        """SQL of the summary rows of ``lines`` joined to ``moves`` (relations named
        ``aml`` and ``am``), with ``sign`` (1 or -1) on their revenue."""
        engine = self.env["account.manager.revenue"]
        source, conditions = engine._revenue_source(lines=lines, moves=moves)
        return SQL(
            "SELECT %(keys)s, %(sign)s * SUM(%(revenue)s) %(source)s WHERE %(where)s "
            "GROUP BY %(keys)s",
            keys=SQL(", ").join(KEYS.values()),
            sign=sign,
            revenue=LINE_REVENUE,
            source=source,
            where=SQL(" AND ").join(conditions),
        )

    @api.model
    def _insert(self, select):
        return SQL(
            "INSERT INTO %(table)s (%(columns)s, amount) %(select)s",
            table=SQL.identifier(self._table),
            columns=SQL(", ").join(SQL.identifier(column) for column in KEYS),
            select=select,
        )

    @api.model
    def _rebuild(self):
        """The summary again, from the whole ledger (one statement)."""
        self.env["account.manager.revenue"]._flush_sources()
        self.env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(self._table)))
        self.env.cr.execute(self._insert(self._select(LEDGER_LINES, LEDGER_MOVES)))

    @api.model
    def _compact(self):
        """Each key's rows added into one, the keys whose rows add up to nothing removed
        (one statement; under a transaction lock, one compaction at a time)."""
        table = SQL.identifier(self._table)
        columns = SQL(", ").join(SQL.identifier(column) for column in KEYS)
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(hashtext(%s))", self._table))
        self.env.cr.execute(
            SQL(
                """
                WITH gone AS (
                    DELETE FROM %(table)s
                     WHERE (%(columns)s) IN (
                         SELECT %(columns)s FROM %(table)s
                       GROUP BY %(columns)s HAVING COUNT(*) > 1 OR SUM(amount) = 0)
                 RETURNING %(columns)s, amount)
                INSERT INTO %(table)s (%(columns)s, amount)
                SELECT %(columns)s, SUM(amount) FROM gone
              GROUP BY %(columns)s HAVING SUM(amount) <> 0
                """,
                table=table,
                columns=columns,
            )
        )

    @api.model
    def _cron_compact(self):
        self._compact()

    # ------------------------------------------------------------------ the triggers

    @api.model
    def _update(self, new, old, columns, of="lines"):
        """The body of an update's trigger: the rows of transition table ``new`` whose
        ``columns`` differ from their ``old`` version added, their old versions taken; the
        changed rows stand for the ledger's lines or its moves (``of``) in the join."""
        changed = SQL(" OR ").join(
            SQL("%s IS DISTINCT FROM %s", SQL.identifier("o", c), SQL.identifier("n", c))
            for c in columns
        )

        def select(kept, sign):
            rows = SQL(
                "(SELECT %s.* FROM %s n JOIN %s o ON o.id = n.id WHERE %s)",
                SQL.identifier(kept), SQL.identifier(new), SQL.identifier(old), changed,
            )  # fmt: skip
            if of == "lines":
                return self._select(rows, LEDGER_MOVES, sign=sign)
            return self._select(LEDGER_LINES, rows, sign=sign)

        return self._insert(SQL("%s UNION ALL %s", select("n", 1), select("o", -1)))

    @api.model
    def _line_changes(self):
        """The body of the lines' trigger: what the inserted, updated or deleted lines
        (transition tables ``new_lines``, ``old_lines``) add and take."""
        return SQL(
            "IF TG_OP = 'INSERT' THEN %s; ELSIF TG_OP = 'DELETE' THEN %s; ELSE %s; END IF;",
            self._insert(self._select(SQL("new_lines"), LEDGER_MOVES)),
            self._insert(self._select(SQL("old_lines"), LEDGER_MOVES, sign=-1)),
            # an update: only the lines whose revenue, invoice or state changed
            self._update("new_lines", "old_lines", LINE_COLUMNS),
        )

    @api.model
    def _move_changes(self):
        """The body of the invoices' trigger: the lines of an invoice whose customer,
        owner, date or type changed, taken from the old key and added to the new."""
        return SQL("%s;", self._update("new_moves", "old_moves", MOVE_COLUMNS, of="moves"))

    @api.model
    def _move_deleted(self):
        """The body of the row trigger before an invoice is deleted (Odoo deletes only
        drafts, this is for what deletes in SQL): its lines taken while they exist; the
        cascade that deletes them finds no invoice to join and takes nothing more."""
        return SQL(
            "%s; RETURN OLD;",
            self._insert(self._select(LEDGER_LINES, SQL("(SELECT OLD.*)"), sign=-1)),
        )

    @api.model
    def _create_triggers(self):
        cr = self.env.cr
        for name, body, returns in (
            (LINES_FUNCTION, self._line_changes(), SQL("RETURN NULL;")),
            (MOVES_FUNCTION, self._move_changes(), SQL("RETURN NULL;")),
            (MOVE_DELETED, self._move_deleted(), SQL("")),
        ):
            cr.execute(
                SQL(
                    "CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS "
                    "$body$ BEGIN %s %s END $body$",
                    SQL.identifier(name),
                    body,
                    returns,
                )
            )
        self._drop_triggers(functions=False)
        for trigger, event, table, transitions, function in STATEMENT_TRIGGERS:
            cr.execute(
                SQL(
                    "CREATE TRIGGER %s AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT "
                    "EXECUTE FUNCTION %s()",
                    SQL.identifier(trigger),
                    SQL(event),
                    SQL.identifier(table),
                    SQL(transitions),
                    SQL.identifier(function),
                )
            )
        cr.execute(
            SQL(
                "CREATE TRIGGER %s BEFORE DELETE ON account_move FOR EACH ROW "
                "WHEN (OLD.state = 'posted') EXECUTE FUNCTION %s()",
                SQL.identifier(MOVE_DELETED),
                SQL.identifier(MOVE_DELETED),
            )
        )

    @api.model
    def _drop_triggers(self, functions=True):
        """The triggers off the ledger (uninstall_hook: Odoo drops the summary's table,
        they must not outlive it)."""
        for trigger, table in TRIGGERS:
            self.env.cr.execute(
                SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(trigger),
                    SQL.identifier(table))
            )  # fmt: skip
        if functions:
            for function in FUNCTIONS:
                self.env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(function)))
