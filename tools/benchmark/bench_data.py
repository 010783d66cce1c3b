"""The benchmark's data set: managers, customers, ownership history, two years of ledger.

Everything that has business logic is created through the ORM: users, teams, customers,
the ownership history (``res.partner._set_account_manager``), quotas, the commission plan
and a small set of *prototype* invoices, credit notes and payments posted by Odoo's own
accounting. The bulk of the ledger is then written by :class:`Cloner`: each generated
invoice is a copy of a prototype for another customer, shifted in time by whole days and
scaled by a whole number ``k`` (quantities, amounts, taxes, residuals, reconciliations).
Integer prices, a 15 % tax and a foreign currency at rate 0.5 keep every scaled amount
exact, so a copy holds the rows the ORM would have written for the same customer, date
and quantities — :func:`verify` proves that, column by column, against invoices the ORM
posts (the test suite runs it).
"""

import io
import random
from collections import Counter
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tools import SQL
from odoo.tools import date_utils

MODULE = "account_manager_suite"


@dataclass(frozen=True)
class Size:
    managers: int
    customers: int
    lines: int  # product lines of customer invoices and credit notes


SIZES = {
    "XS": Size(5, 100, 2_000),
    "S": Size(20, 2_000, 50_000),
    "M": Size(100, 10_000, 250_000),
    "L": Size(300, 30_000, 1_000_000),
}

# code, name, price (integers: a 15 % tax of an integer amount has two decimals at most)
PRODUCTS = [
    ("maintenance", "Annual Maintenance Contract", 4800),
    ("consulting", "Consulting Day", 1150),
    ("licence", "Fleet Analytics Licence", 390),
    ("sensor", "Industrial Sensor Kit", 845),
    ("training", "On-site Training Workshop", 2150),
    ("spares", "Spare Parts Package", 265),
]


@dataclass(frozen=True)
class Shape:
    """A prototype: what kind of document, in which currency, with which lines, how paid."""

    name: str
    move_type: str
    foreign: bool
    lines: tuple  # (product code, quantity)
    paid: str  # "", "partial" or "full"
    weight: int


SHAPES = [
    Shape("invoice-4", "out_invoice", False, (("maintenance", 1), ("consulting", 2),
          ("licence", 10), ("spares", 3)), "", 30),
    Shape("invoice-3-partial", "out_invoice", False, (("sensor", 4), ("training", 1),
          ("spares", 6)), "partial", 12),
    Shape("invoice-5-paid", "out_invoice", False, (("licence", 25), ("consulting", 3),
          ("sensor", 2), ("spares", 10), ("training", 1)), "full", 20),
    Shape("invoice-2", "out_invoice", False, (("consulting", 1), ("spares", 2)), "", 10),
    Shape("invoice-6-paid", "out_invoice", False, (("maintenance", 2), ("licence", 40),
          ("consulting", 5), ("sensor", 6), ("training", 2), ("spares", 12)), "full", 10),
    Shape("invoice-4-foreign", "out_invoice", True, (("sensor", 3), ("licence", 12),
          ("consulting", 1), ("spares", 4)), "", 10),
    Shape("refund-1", "out_refund", False, (("spares", 2),), "", 5),
    Shape("refund-2-foreign", "out_refund", True, (("consulting", 1), ("sensor", 1)), "", 3),
]  # fmt: skip
SHAPE_BY_NAME = {shape.name: shape for shape in SHAPES}
PROTOTYPE_DAY = date(2020, 1, 6)
FOREIGN_RATE = 0.5  # foreign units per company unit: amounts double exactly
TIERS = {"tier_key": 5, "tier_strategic": 15, "tier_standard": 50, "tier_small": 30}
TIER_ACTIVITY = {"tier_key": 6, "tier_strategic": 3, "tier_standard": 1, "tier_small": 0.5}
PASSWORD = "bench"


def empty_commission_queue(env):
    """Leave every invoice as the commission queue job leaves it: computed, nothing
    pending, nothing noted of an earlier computation."""
    env.cr.execute(
        """
        UPDATE account_move
           SET ams_commission_pending = NULL,
               ams_commission_date = NULL,
               ams_commission_user_id = NULL
         WHERE ams_commission_pending
        """
    )


def log(message):
    print(f"[bench] {message}", flush=True)


# ------------------------------------------------------------------------ configuration


class Setup:
    """The accounting the data set uses: currency, tax, products, journals, payment term."""

    def __init__(self, env):
        self.env = env
        company = env.company
        if not env["account.account"].search_count([("company_ids", "in", company.id)]):
            env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        self.company = company
        currency = company.currency_id
        self.foreign = env.ref("base.EUR" if currency.name != "EUR" else "base.USD")
        self.foreign.active = True
        if not self.foreign.rate_ids.filtered(lambda r: r.company_id == company):
            env["res.currency.rate"].create(
                {
                    "name": date(2000, 1, 1),
                    "rate": FOREIGN_RATE,
                    "currency_id": self.foreign.id,
                    "company_id": company.id,
                }
            )
        Tax = env["account.tax"]
        self.tax = Tax.search([("name", "=", "Bench VAT 15%"), ("company_id", "=", company.id)])
        if not self.tax:
            self.tax = Tax.create({"name": "Bench VAT 15%", "amount": 15, "type_tax_use": "sale"})
        Product = env["product.product"]
        self.products = {}
        for code, name, price in PRODUCTS:
            product = Product.search([("default_code", "=", f"BENCH-{code}")])
            self.products[code] = product or Product.create(
                {
                    "name": name,
                    "default_code": f"BENCH-{code}",
                    "type": "service",
                    "list_price": price,
                    "standard_price": round(price * 0.6),
                    "taxes_id": [Command.set(self.tax.ids)],
                }
            )
        self.term = env.ref("account.account_payment_term_30days")
        self.bank = env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
        )

    def post_bundle(self, shape, partner, day, k=1):
        """Post one document of ``shape`` through the ORM; returns its moves."""
        currency = self.foreign if shape.foreign else self.company.currency_id
        move = (
            self.env["account.move"]
            .with_context(tracking_disable=True)
            .create(
                {
                    "move_type": shape.move_type,
                    "partner_id": partner.id,
                    "invoice_date": day,
                    "currency_id": currency.id,
                    "invoice_payment_term_id": self.term.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.products[code].id,
                                "quantity": quantity * k,
                                "price_unit": self.products[code].list_price,
                                "tax_ids": [Command.set(self.tax.ids)],
                            }
                        )
                        for code, quantity in shape.lines
                    ],
                }
            )
        )
        move.action_post()
        moves = move
        if shape.paid:
            total = move.amount_total / k
            amount = move.amount_total if shape.paid == "full" else k * (total // 2)
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids, tracking_disable=True
            ).create(
                {
                    "payment_date": day + timedelta(days=20),
                    "amount": amount,
                    "journal_id": self.bank.id,
                }
            )._create_payments()
            moves |= move.matched_payment_ids.move_id
        return moves


# ------------------------------------------------------------------------ the cloner

# For each table: what kind of row it holds, and its columns that point at rows cloned
# with it (rewritten to the copies).
TABLES = [
    ("account_move", "move", {"origin_payment_id": "payment", "reversed_entry_id": "move"}),
    ("account_payment", "payment", {"move_id": "move"}),
    ("account_full_reconcile", "full", {"exchange_move_id": "move"}),
    (
        "account_move_line",
        "line",
        {"move_id": "move", "payment_id": "payment", "full_reconcile_id": "full"},
    ),
    (
        "account_partial_reconcile",
        "partial",
        {
            "debit_move_id": "line",
            "credit_move_id": "line",
            "full_reconcile_id": "full",
            "exchange_move_id": "move",
        },
    ),
]
TABLES_FKS = {table: fks for table, _kind, fks in TABLES}
RELATIONS = [
    ("account_move_line_account_tax_rel", {"account_move_line_id": "line"}),
    ("account_account_tag_account_move_line_rel", {"account_move_line_id": "line"}),
    ("account_move__account_payment", {"invoice_id": "move", "payment_id": "payment"}),
]
PARTNER_COLUMNS = {
    "account_move": {"partner_id", "commercial_partner_id", "partner_shipping_id"},
    "account_move_line": {"partner_id"},
    "account_payment": {"partner_id"},
}
# Numbers that grow with the quantities ...
SCALED = {
    "account_move": {
        "amount_untaxed", "amount_tax", "amount_total", "amount_residual",
        "amount_untaxed_signed", "amount_untaxed_in_currency_signed", "amount_tax_signed",
        "amount_total_signed", "amount_total_in_currency_signed", "amount_residual_signed",
        "quick_edit_total_amount", "commission_total",
    },
    "account_move_line": {
        "debit", "credit", "balance", "amount_currency", "amount_residual",
        "amount_residual_currency", "price_subtotal", "price_total", "tax_base_amount",
        "quantity", "discount_amount_currency", "discount_balance",
    },
    "account_payment": {"amount", "amount_company_currency_signed"},
    "account_partial_reconcile": {"amount", "debit_amount_currency", "credit_amount_currency"},
    "account_full_reconcile": set(),
}  # fmt: skip
# ... and numbers that do not.
KEPT = {"price_unit", "discount", "invoice_currency_rate", "currency_rate", "sequence"}
# Texts that may carry a prototype move's name (labels, references, memos).
RENAMED = {"ref", "payment_reference", "invoice_origin", "name", "move_name", "memo"}
# Pointers that close a cycle (a payment's move points back at the payment): set after
# both tables are written.
DEFERRED = {("account_move", "origin_payment_id")}
NOT_COPIED = {"create_date", "write_date"}


class Cloner:
    """Copies prototype documents for many customers, dates and scales in a few queries."""

    def __init__(self, env, prototypes):
        """:param prototypes: ``{shape name: account.move recordset}`` (the document and
        its payment moves)"""
        self.env = env
        self.cr = env.cr
        self.prototypes = prototypes
        self.columns = {}
        for table, _kind, _fks in TABLES:
            self.cr.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = %s ORDER BY ordinal_position",
                [table],
            )
            self.columns[table] = self.cr.fetchall()
            for column, data_type in self.columns[table]:
                numeric = data_type in ("numeric", "double precision", "real")
                if numeric and column not in SCALED[table] | KEPT:
                    raise RuntimeError(
                        f"{table}.{column} ({data_type}) is neither scaled nor kept: "
                        "classify it in tools/bench/data.py"
                    )

    def _proto_rows(self):
        """``(bundle, kind, old_id)`` of every prototype row, and the prototype moves'
        names, journals and dates."""
        rows, moves = [], {}
        for bundle, protos in self.prototypes.items():
            lines = protos.line_ids
            partials = lines.matched_debit_ids | lines.matched_credit_ids
            payments = self.env["account.payment"].search([("move_id", "in", protos.ids)])
            rows += [(bundle, "move", i) for i in protos.ids]
            rows += [(bundle, "line", i) for i in lines.ids]
            rows += [(bundle, "payment", i) for i in payments.ids]
            rows += [(bundle, "partial", i) for i in partials.ids]
            rows += [(bundle, "full", i) for i in lines.full_reconcile_id.ids]
            moves[bundle] = [(m.id, m.name, m.journal_id.id, m.date, m.sequence_prefix,
                              m.sequence_number) for m in protos.sorted("id")]  # fmt: skip
        return rows, moves

    def clone(self, specs):
        """Write the copies.

        :param specs: list of ``(bundle, partner_id, day, k)``: a copy of prototype
            ``bundle`` for ``partner_id``, its document dated ``day``, scaled by ``k``
        :return: ids of the new documents (first move of each bundle), in spec order
        """
        cr = self.cr
        self.env.flush_all()
        rows, moves = self._proto_rows()
        cr.execute(
            """
            DROP TABLE IF EXISTS bench_proto, bench_spec, bench_name, bench_map;
            CREATE TEMP TABLE bench_proto (bundle text, kind text, old_id int);
            CREATE TEMP TABLE bench_spec (spec_id int PRIMARY KEY, bundle text, partner_id int,
                shift int, k int, old1 text, new1 text, old2 text, new2 text);
            CREATE TEMP TABLE bench_name (spec_id int, old_id int, name text, prefix text,
                number int);
            CREATE TEMP TABLE bench_map (kind text, spec_id int, old_id int, new_id int);
            """
        )
        _copy(cr, "bench_proto", rows)
        # Names follow each journal's sequence for the year of the copy's date.
        cr.execute(
            "SELECT journal_id, sequence_prefix, MAX(sequence_number) FROM account_move "
            "WHERE sequence_prefix IS NOT NULL GROUP BY 1, 2"
        )
        counters = Counter({(j, p): n for j, p, n in cr.fetchall()})
        spec_rows, name_rows = [], []
        for spec_id, (bundle, partner_id, day, k) in enumerate(specs, start=1):
            shift = (day - moves[bundle][0][3]).days
            names = []
            for old_id, old_name, journal_id, old_date, prefix, _number in moves[bundle]:
                year = (old_date + timedelta(days=shift)).year
                new_prefix = prefix.replace(str(old_date.year), str(year))
                counters[(journal_id, new_prefix)] += 1
                seq = counters[(journal_id, new_prefix)]
                digits = len(old_name) - len(prefix)
                new_name = f"{new_prefix}{seq:0{digits}d}"
                name_rows.append((spec_id, old_id, new_name, new_prefix, seq))
                names += [old_name, new_name]
            names += [None, None]
            spec_rows.append((spec_id, bundle, partner_id, shift, k, *names[:4]))
        _copy(cr, "bench_spec", spec_rows)
        _copy(cr, "bench_name", name_rows)
        cr.execute(
            """
            CREATE INDEX ON bench_name (spec_id, old_id);
            CREATE INDEX ON bench_proto (bundle, kind);
            ANALYZE bench_spec; ANALYZE bench_name; ANALYZE bench_proto;
            """
        )
        sequences = {kind: f"{table}_id_seq" for table, kind, _fks in TABLES}
        for kind, sequence in sequences.items():
            cr.execute(
                SQL(
                    """
                    INSERT INTO bench_map
                    SELECT p.kind, s.spec_id, p.old_id, nextval(%s)
                      FROM bench_spec s
                      JOIN bench_proto p ON p.bundle = s.bundle AND p.kind = %s
                  ORDER BY s.spec_id, p.old_id
                    """,
                    sequence,
                    kind,
                )
            )
        cr.execute("CREATE INDEX ON bench_map (kind, spec_id, old_id); ANALYZE bench_map;")
        for table, kind, fks in TABLES:
            self._insert(table, kind, fks)
        for table, column in DEFERRED:
            kind = next(k for t, k, _f in TABLES if t == table)
            cr.execute(
                SQL(
                    """
                    UPDATE %(table)s new SET %(column)s = fk.new_id
                      FROM bench_map m
                      JOIN %(table)s t ON t.id = m.old_id
                      JOIN bench_map fk ON fk.kind = %(target)s AND fk.spec_id = m.spec_id
                       AND fk.old_id = t.%(column)s
                     WHERE m.kind = %(kind)s AND new.id = m.new_id
                    """,
                    table=SQL.identifier(table),
                    column=SQL.identifier(column),
                    target=TABLES_FKS[table][column],
                    kind=kind,
                )
            )
        for table, fks in RELATIONS:
            self._insert_relation(table, fks)
        cr.execute(
            "SELECT DISTINCT ON (spec_id) spec_id, new_id FROM bench_map WHERE kind = 'move' "
            "ORDER BY spec_id, old_id"
        )
        first = dict(cr.fetchall())
        self.env.invalidate_all()
        # Odoo numbers moves from a per-transaction cache of the last number it gave:
        # names written here must be seen by the next move the ORM posts.
        self.env["account.move"]._get_sequence_cache().clear()
        return [first[spec_id] for spec_id in range(1, len(specs) + 1)]

    def _insert(self, table, kind, fks):
        joins, exprs, names = [], [], []
        for column, data_type in self.columns[table]:
            names.append(SQL.identifier(column))
            if column == "id":
                expr = SQL("m.new_id")
            elif (table, column) in DEFERRED:
                expr = SQL("NULL")
            elif column in fks:
                alias = f"fk_{column}"
                joins.append(
                    SQL(
                        "LEFT JOIN bench_map %s ON %s.kind = %s AND %s.spec_id = s.spec_id "
                        "AND %s.old_id = t.%s",
                        SQL.identifier(alias),
                        SQL.identifier(alias),
                        fks[column],
                        SQL.identifier(alias),
                        SQL.identifier(alias),
                        SQL.identifier(column),
                    )
                )
                expr = SQL("%s.new_id", SQL.identifier(alias))
            elif column in PARTNER_COLUMNS.get(table, ()):
                expr = SQL("CASE WHEN t.%s IS NULL THEN NULL ELSE s.partner_id END",
                           SQL.identifier(column))  # fmt: skip
            elif column in NOT_COPIED:
                expr = SQL("(now() AT TIME ZONE 'UTC')")
            elif column in SCALED[table]:
                expr = SQL("t.%s * s.k", SQL.identifier(column))
            elif data_type == "date":
                expr = SQL("t.%s + s.shift", SQL.identifier(column))
            elif column in RENAMED and data_type in ("text", "character varying"):
                expr = _renamed(SQL("t.%s", SQL.identifier(column)))
            else:
                expr = SQL("t.%s", SQL.identifier(column))
            exprs.append(expr)
        exprs = self._special(table, exprs, names, joins)
        self.cr.execute(
            SQL(
                """
                INSERT INTO %(table)s (%(names)s)
                SELECT %(exprs)s
                  FROM bench_spec s
                  JOIN bench_map m ON m.spec_id = s.spec_id AND m.kind = %(kind)s
                  JOIN %(table)s t ON t.id = m.old_id
                  %(joins)s
                """,
                table=SQL.identifier(table),
                names=SQL(", ").join(names),
                exprs=SQL(", ").join(exprs),
                kind=kind,
                joins=SQL(" ").join(joins),
            )
        )

    def _special(self, table, exprs, names, joins):
        """Columns whose copy is more than a shift, a scale or a mapping."""
        position = {name: i for i, (name, _type) in enumerate(self.columns[table])}

        def put(column, expr):
            if column in position:
                exprs[position[column]] = expr

        if table == "account_move":
            joins.append(SQL("JOIN bench_name n ON n.spec_id = s.spec_id AND n.old_id = t.id"))
            put("name", SQL("n.name"))
            put("sequence_prefix", SQL("n.prefix"))
            put("sequence_number", SQL("n.number"))
            joins.append(SQL("JOIN res_partner bp ON bp.id = s.partner_id"))
            put(
                "invoice_partner_display_name",
                SQL("CASE WHEN t.invoice_partner_display_name IS NULL THEN NULL "
                    "ELSE bp.complete_name END"),
            )  # fmt: skip
            # a journal entry's due date is the day it was made, not shifted
            put(
                "invoice_date_due",
                SQL("CASE WHEN t.move_type = 'entry' THEN t.invoice_date_due "
                    "ELSE t.invoice_date_due + s.shift END"),
            )  # fmt: skip
            # the owner of the customer's account on the copy's invoice date
            put(
                "account_manager_id",
                SQL(
                    """
                    CASE WHEN t.move_type IN ('out_invoice', 'out_refund') THEN (
                        SELECT own.user_id FROM account_manager_ownership own
                         WHERE own.partner_id = s.partner_id
                           AND own.date_from <= t.invoice_date + s.shift
                           AND (own.date_to IS NULL OR own.date_to >= t.invoice_date + s.shift)
                    ) END
                    """
                ),
            )
        if table == "account_move_line":
            # only product lines have a quantity that grows; a payment's lines count one
            put(
                "quantity",
                SQL("CASE WHEN tm.move_type != 'entry' AND t.display_type = 'product' "
                    "THEN t.quantity * s.k ELSE t.quantity END"),
            )  # fmt: skip
            joins.append(SQL("JOIN account_move tm ON tm.id = t.move_id"))
            # P<partial id> for a partial reconciliation, the full reconciliation's id
            put(
                "matching_number",
                SQL(
                    """
                    CASE WHEN t.matching_number LIKE 'P%%' THEN 'P' || (
                             SELECT x.new_id FROM bench_map x WHERE x.kind = 'partial'
                                AND x.spec_id = s.spec_id
                                AND x.old_id = substr(t.matching_number, 2)::int)
                         WHEN t.full_reconcile_id IS NOT NULL
                         THEN "fk_full_reconcile_id".new_id::text
                         ELSE t.matching_number END
                    """
                ),
            )
        return exprs

    def _insert_relation(self, table, fks):
        self.cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        columns = [row[0] for row in self.cr.fetchall()]
        mapped = [c for c in columns if c in fks]
        driver = mapped[0]
        joins = [
            SQL(
                "JOIN bench_map %s ON %s.kind = %s AND %s.old_id = t.%s",
                SQL.identifier(f"fk_{c}"),
                SQL.identifier(f"fk_{c}"),
                fks[c],
                SQL.identifier(f"fk_{c}"),
                SQL.identifier(c),
            )
            if c == driver
            else SQL(
                "JOIN bench_map %s ON %s.kind = %s AND %s.old_id = t.%s "
                "AND %s.spec_id = %s.spec_id",
                SQL.identifier(f"fk_{c}"),
                SQL.identifier(f"fk_{c}"),
                fks[c],
                SQL.identifier(f"fk_{c}"),
                SQL.identifier(c),
                SQL.identifier(f"fk_{c}"),
                SQL.identifier(f"fk_{driver}"),
            )
            for c in mapped
        ]
        exprs = [
            SQL("%s.new_id", SQL.identifier(f"fk_{c}"))
            if c in fks
            else SQL("t.%s", SQL.identifier(c))
            for c in columns
        ]
        self.cr.execute(
            SQL(
                "INSERT INTO %s (%s) SELECT %s FROM %s t %s",
                SQL.identifier(table),
                SQL(", ").join(SQL.identifier(c) for c in columns),
                SQL(", ").join(exprs),
                SQL.identifier(table),
                SQL(" ").join(joins),
            )
        )


def _renamed(expr):
    """Names of the prototype moves inside a text (labels, references) become the copy's."""
    return SQL(
        "CASE WHEN %(e)s IS NULL THEN NULL ELSE replace(replace(%(e)s, s.old1, s.new1), "
        "COALESCE(s.old2, E'\\x01'), COALESCE(s.new2, '')) END",
        e=expr,
    )


def _copy(cr, table, rows):
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    cr._obj.copy_from(buffer, table)


# ------------------------------------------------------------------------ the data set


def window(today):
    """Two years of invoices ending yesterday, and the last complete quarter."""
    start = today - relativedelta(years=2)
    quarter_start, quarter_end = date_utils.get_quarter(date_utils.subtract(today, months=3))
    return (start, today - timedelta(days=1), quarter_start, quarter_end)


def build(env, size_name, seed=7, today=None, with_oca=None):
    """Create the data set of ``size_name`` in ``env``'s database (not committed here)."""
    size = SIZES[size_name]
    rng = random.Random(seed)
    today = today or date.today()
    start, end, q_start, q_end = window(today)
    setup = Setup(env)
    log(f"size {size_name}: {size}")

    managers = _managers(env, size, setup)
    customers = _customers(env, size, rng)
    history = _ownership(env, customers, managers, start, end, rng)
    log(f"{len(managers)} managers, {len(customers)} customers, {history} re-assignments")

    proto_partner = env["res.partner"].create({"name": "Bench Prototype Customer",
                                               "is_company": True})  # fmt: skip
    prototypes = {
        shape.name: setup.post_bundle(shape, proto_partner, PROTOTYPE_DAY) for shape in SHAPES
    }
    specs, lines = [], 0
    shapes = [s.name for s in SHAPES]
    shape_weights = [s.weight for s in SHAPES]
    activity = [TIER_ACTIVITY[customer.account_tier_id.get_external_id()[
        customer.account_tier_id.id].split(".")[1]] for customer in customers]  # fmt: skip
    days = (end - start).days
    while lines < size.lines:
        batch = rng.choices(range(len(customers)), weights=activity, k=1000)
        for index in batch:
            shape = rng.choices(shapes, weights=shape_weights)[0]
            day = start + timedelta(days=rng.randrange(days + 1))
            specs.append((shape, customers[index].id, day, rng.randint(1, 4)))
            lines += len(SHAPE_BY_NAME[shape].lines)
            if lines >= size.lines:
                break
    log(f"cloning {len(specs)} documents with {lines} product lines")
    Cloner(env, prototypes).clone(specs)
    # the engine's summary of the ledger as its daily compaction leaves it
    env["account.manager.revenue.day"]._compact()
    # the planner must know the new sizes before the quotas read the ledger
    env.cr.execute("ANALYZE")
    env.cr.execute(
        """
        UPDATE res_partner p SET customer_rank = c.n
          FROM (SELECT commercial_partner_id AS id, COUNT(*) AS n FROM account_move
                 WHERE move_type IN ('out_invoice', 'out_refund') GROUP BY 1) c
         WHERE p.id = c.id
        """
    )
    _plans(env, managers, start, q_start, q_end)
    # posted through the ORM, every invoice waits in the commission queue; the data set
    # starts as the scheduled job leaves it: the queue empty, the measured quarter's
    # lines computed (step (g) recomputes one manager's among them, (b) all from scratch)
    empty_commission_queue(env)
    env["account.manager.commission.line"]._compute_period(managers, q_start, q_end)
    env["ir.config_parameter"].set_param(
        "account_manager_suite.bench_quarter", f"{q_start},{q_end}"
    )
    env.cr.execute("ANALYZE")
    return {"managers": managers, "customers": customers, "quarter": (q_start, q_end)}


def _managers(env, size, setup):
    group = env.ref(f"{MODULE}.group_account_manager")
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    vals = []
    for number in range(1, size.managers + 1):
        login = f"bench_am_{number:03d}"
        vals.append(
            {
                "name": f"Bench Manager {number:03d}",
                "login": login,
                "email": f"{login}@example.com",
                "groups_id": [Command.link(group.id)],
                # hashing passwords is slow: only the first ones log in (load test)
                **({"password": PASSWORD} if number <= 10 else {}),
            }
        )
    managers = Users.create(vals)
    director = Users.create(
        {
            "name": "Bench Director",
            "login": "bench_director",
            "password": PASSWORD,
            "groups_id": [Command.link(env.ref(f"{MODULE}.group_sales_director").id)],
        }
    )
    teams = env["crm.team"]
    for start in range(0, len(managers), 10):
        members = managers[start : start + 10]
        teams |= teams.create(
            {
                "name": f"Bench Team {start // 10 + 1:02d}",
                "user_id": director.id,
                "member_ids": [Command.set(members.ids)],
            }
        )
    return managers


def _customers(env, size, rng):
    tiers = [env.ref(f"{MODULE}.{xmlid}") for xmlid in TIERS]
    countries = [env.ref(f"base.{code}") for code in ("de", "id", "nl", "sg", "at", "my")]
    Partner = env["res.partner"].with_context(tracking_disable=True)
    customers = Partner
    for chunk in range(0, size.customers, 1000):
        customers |= Partner.create(
            [
                {
                    "name": f"Bench Customer {number:05d}",
                    "is_company": True,
                    "account_tier_id": rng.choices(tiers, weights=list(TIERS.values()))[0].id,
                    "country_id": rng.choice(countries).id,
                }
                for number in range(chunk + 1, min(chunk + 1000, size.customers) + 1)
            ]
        )
    return customers


def _ownership(env, customers, managers, start, end, rng):
    """Every customer owned from the start; 15 % re-assigned on the first of a month."""
    customers = customers.with_context(tracking_disable=True)
    owner = {}
    by_manager = defaultdict(list)
    for customer in customers:
        owner[customer.id] = rng.choice(managers)
        by_manager[owner[customer.id]].append(customer.id)
    for manager, ids in by_manager.items():
        customers.browse(ids)._set_account_manager(manager, start, reason="initial", force=True)
    moves = defaultdict(list)
    months = [(start + relativedelta(day=1, months=m)) for m in range(1, 24)]
    for customer in rng.sample(list(customers), k=len(customers) * 15 // 100):
        new_owner = rng.choice(managers - owner[customer.id])
        moves[(new_owner, rng.choice(months))].append(customer.id)
    for (manager, day), ids in sorted(moves.items(), key=lambda item: item[0][1]):
        customers.browse(ids)._set_account_manager(manager, day, reason="reassignment", force=True)
    return sum(len(ids) for ids in moves.values())


def _plans(env, managers, start, q_start, q_end):
    """A flat 5 % commission plan for everyone, and the measured quarter's quotas."""
    plan = env["account.manager.commission.plan"].create(
        {"name": "Bench flat 5 %", "base_rate": 5.0, "period_type": "quarter"}
    )
    env["account.manager.commission.assignment"].create(
        [{"plan_id": plan.id, "user_id": m.id, "date_from": start} for m in managers]
    )
    env["account.manager.quota"].create(
        [
            {
                "user_id": m.id,
                "period_type": "quarter",
                "date_from": q_start,
                "date_to": q_end,
                "target": 150_000,
            }
            for m in managers
        ]
    )


# ------------------------------------------------------------------------ verification


def verify(env, k=3, day=None):
    """Post each prototype shape through the ORM and copy it with the cloner for the same
    customer, date and scale; return the differences between the two sets of rows (an
    empty list when the copies are exactly what the ORM writes)."""
    setup = Setup(env)
    customer = env["res.partner"].search(
        [("name", "like", "Bench Customer"), ("account_manager_id", "!=", False)], limit=1
    )
    proto_partner = env["res.partner"].search([("name", "=", "Bench Prototype Customer")])
    prototypes = {
        shape.name: env["account.move"].search(
            [("partner_id", "=", proto_partner.id), ("move_type", "=", shape.move_type)]
        )
        for shape in SHAPES
    }
    # the prototypes of one move type are told apart by their lines
    for shape in SHAPES:
        moves = prototypes[shape.name].filtered(
            lambda m, s=shape: sorted(m.invoice_line_ids.mapped("quantity"))
            == sorted(float(q) for _c, q in s.lines)
            and (m.currency_id == setup.foreign) == s.foreign
        )
        payments = moves.matched_payment_ids.move_id
        prototypes[shape.name] = moves | payments
    day = day or date.today() - timedelta(days=40)
    cloner = Cloner(env, prototypes)
    differences = []
    for shape in SHAPES:
        orm = setup.post_bundle(shape, customer, day, k)
        cloner.clone([(shape.name, customer.id, day, k)])
        # both as the commission queue job leaves them (the data set starts so too)
        empty_commission_queue(env)
        env.cr.execute("SELECT kind, new_id FROM bench_map ORDER BY kind, old_id")
        copy_ids = defaultdict(list)
        for kind, new_id in env.cr.fetchall():
            copy_ids[kind].append(new_id)
        orm_ids = _bundle_ids(env, orm)
        for table, kind, fks in TABLES:
            left = _normalised_rows(env, table, orm_ids, kind, fks)
            right = _normalised_rows(env, table, copy_ids, kind, fks)
            if len(left) != len(right):
                differences.append(f"{shape.name} {table}: {len(left)} rows vs {len(right)}")
                continue
            for number, (a, b) in enumerate(zip(left, right, strict=True)):
                for column in a:
                    if a[column] != b[column]:
                        differences.append(
                            f"{shape.name} {table}[{number}].{column}: "
                            f"ORM {a[column]!r} copy {b[column]!r}"
                        )
        for table, fks in RELATIONS:
            column = next(iter(fks))
            ids = {"orm": orm_ids, "copy": copy_ids}
            found = {}
            for side, by_kind in ids.items():
                env.cr.execute(
                    SQL(
                        "SELECT * FROM %s WHERE %s IN %s",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        tuple(by_kind[fks[column]]) or (0,),
                    )
                )
                found[side] = sorted(
                    tuple(
                        by_kind[fks[c]].index(v) if c in fks else v
                        for c, v in zip([d[0] for d in env.cr.description], row, strict=True)
                    )
                    for row in env.cr.fetchall()
                )
            if found["orm"] != found["copy"]:
                differences.append(f"{shape.name} {table}: {found['orm']} vs {found['copy']}")
    return differences


def _bundle_ids(env, moves):
    lines = moves.line_ids
    partials = lines.matched_debit_ids | lines.matched_credit_ids
    return {
        "move": sorted(moves.ids),
        "line": sorted(lines.ids),
        "payment": sorted(env["account.payment"].search([("move_id", "in", moves.ids)]).ids),
        "partial": sorted(partials.ids),
        "full": sorted(lines.full_reconcile_id.ids),
    }


def _normalised_rows(env, table, ids, kind, fks):
    """Rows of ``table`` for a bundle, with its own ids replaced by their position and its
    move names by placeholders, so that two bundles can be compared."""
    if not ids[kind]:
        return []
    env.cr.execute(
        SQL(
            "SELECT * FROM %s WHERE id IN %s ORDER BY id", SQL.identifier(table), tuple(ids[kind])
        )  # fmt: skip
    )
    columns = [d[0] for d in env.cr.description]
    rows = [dict(zip(columns, row, strict=True)) for row in env.cr.fetchall()]
    env.cr.execute("SELECT id, name FROM account_move WHERE id IN %s", [tuple(ids["move"])])
    names = {name: f"<move{ids['move'].index(i)}>" for i, name in env.cr.fetchall()}
    result = []
    for row in rows:
        for column in ("id", "create_date", "write_date", "sequence_number"):
            row.pop(column, None)
        for column, target in fks.items():
            if row.get(column) is not None:
                row[column] = f"<{target}{ids[target].index(row[column])}>"
        for column, value in row.items():
            if isinstance(value, str):
                for name, placeholder in names.items():
                    value = value.replace(name, placeholder)
                row[column] = value
        number = row.get("matching_number")
        if number and number.startswith("P"):
            row["matching_number"] = f"<partial{ids['partial'].index(int(number[1:]))}>"
        elif number and number.isdecimal():
            row["matching_number"] = f"<full{ids['full'].index(int(number))}>"
        result.append(row)
    return result
