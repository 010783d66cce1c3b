from odoo import api
from odoo import models
from odoo.tools import SQL

# The owner of a revenue line: the account manager who owned the invoice's commercial
# entity on its invoice date, by the ownership history. The history's one join
# (``account.manager.ownership._sql_join``) computes it once per invoice, stored as
# ``account.move.account_manager_id``, which the history writer recomputes for every
# invoice an owner change touches (``account.manager.ownership._ams_reattribute``): the
# engine reads that column instead of joining every ledger line to the history again.
OWNER = SQL("am.account_manager_id")
# The ledger's tables, and a revenue line's amount, currency and day (``_revenue_source``).
LEDGER_LINES = SQL("account_move_line")
LEDGER_MOVES = SQL("account_move")
LINE_REVENUE = SQL("-aml.balance")
LINE_CURRENCY = SQL("aml.company_currency_id")
LINE_DAY = SQL("am.invoice_date")

# What the engine can group revenue by, and the SQL expression of each key in the summary
# of the ledger (account.manager.revenue.day, alias ``rd``) that ``_revenue`` reads.
_GROUPBY = {
    "user": SQL("rd.user_id"),
    "partner": SQL("rd.partner_id"),
    "company": SQL("rd.company_id"),
    "move_type": SQL("rd.move_type"),
    "month": SQL("date_trunc('month', rd.invoice_date)::date"),
    "quarter": SQL("date_trunc('quarter', rd.invoice_date)::date"),
    "year": SQL("date_trunc('year', rd.invoice_date)::date"),
}


# The rate of a currency on a day, as Odoo's res.currency._get_rates reads it: the latest
# rate of the company (else a shared one) on or before the day, else its first one, else 1.
_RATE = """COALESCE(
    (SELECT r.rate FROM res_currency_rate r
      WHERE r.currency_id = %(currency)s AND r.name <= %(day)s
        AND (r.company_id IS NULL OR r.company_id = %(company)s)
   ORDER BY r.company_id, r.name DESC LIMIT 1),
    (SELECT r.rate FROM res_currency_rate r
      WHERE r.currency_id = %(currency)s
        AND (r.company_id IS NULL OR r.company_id = %(company)s)
   ORDER BY r.company_id, r.name ASC LIMIT 1),
    1.0)"""


class AccountManagerRevenue(models.AbstractModel):
    """The attribution engine: every revenue and receivable figure of the module.

    Revenue is Odoo's ledger (``account.move.line``): the product lines of posted
    customer invoices and credit notes (``_revenue_source``), untaxed (``balance``), dated
    by the invoice date, read through its summary by customer, owner and day that the
    database keeps (``account.manager.revenue.day``), in one currency: the companies'
    own, or where companies of several currencies are read together the current
    company's, converted at the invoice date with Odoo's rates (``_figures_currency``,
    ``_convert_sql``). Each line is attributed to the
    account manager who owned the customer's commercial entity on that date, through the
    ownership history (``account.manager.ownership._sql_join``, evaluated once per invoice
    and kept on it as ``account_manager_id``: see ``OWNER``) — never through today's
    owner.

    Each public method runs one query for the whole batch it is given; the models that
    show figures (partners, quotas, commissions, reports) ask this engine and never sum
    invoices themselves.

    Sales orders and CRM opportunities are in ``account_manager_revenue_orders.py``, the
    receivables and their aging in ``account_manager_revenue_receivables.py``.
    """

    _name = "account.manager.revenue"
    _description = "Account Manager Revenue Attribution Engine"

    @api.model
    def _flush_sources(self):
        self.env["account.move.line"].flush_model(
            [
                "balance",
                "display_type",
                "parent_state",
                "move_id",
                "company_id",
                "company_currency_id",
                "partner_id",
            ]
        )
        # the ownership history first: a pending owner change recomputes the invoices'
        # account_manager_id, flushed with them
        self.env["account.manager.ownership"].flush_model(
            ["partner_id", "user_id", "date_from", "date_to"]
        )
        self.env["account.move"].flush_model(
            ["move_type", "invoice_date", "commercial_partner_id", "state", "account_manager_id"]
        )

    @api.model
    def _figures_currency(self, company_ids=None):
        """The one currency the figures of ``company_ids`` (default: the user's active
        companies) are given in: theirs when they share it, else the current company's,
        to which the others are converted at the invoice date."""
        companies = self.env["res.company"].browse(company_ids or self.env.companies.ids)
        currencies = companies.currency_id
        return currencies if len(currencies) == 1 else self.env.company.currency_id

    @api.model
    def _convert_sql(self, amount, company_currency, day, currency):
        """SQL of ``amount`` (in ``company_currency``, SQL) in ``currency`` at ``day``
        (SQL), with Odoo's rates (``res_currency_rate``) of the current company, as
        ``res.currency._convert`` would: unchanged where the currencies agree."""
        company = self.env.company.root_id.id
        rate = SQL(_RATE, currency=currency.id, day=day, company=company)
        from_rate = SQL(_RATE, currency=company_currency, day=day, company=company)
        return SQL(
            "CASE WHEN %(from)s = %(to)s THEN %(amount)s "
            "ELSE %(amount)s * %(rate)s / %(from_rate)s END",
            amount=amount,
            to=currency.id,
            rate=rate,
            from_rate=from_rate,
            **{"from": company_currency},
        )

    @api.model
    def _flush_rates(self):
        self.env["res.currency.rate"].flush_model(["rate", "name", "currency_id", "company_id"])

    @api.model
    def _revenue_source(self, lines=LEDGER_LINES, moves=LEDGER_MOVES):
        """The attributed revenue lines: the ``FROM`` clause and the conditions that make
        a ledger line revenue (aliases ``aml`` and ``am``; the owner on the invoice date
        is ``OWNER``, the invoice's ``account_manager_id``). Shared by the summary
        ``account.manager.revenue.day`` (which ``_revenue`` reads; its triggers read
        changed ``lines`` or ``moves``), ``_commission_base`` and the revenue analysis
        view, so all read the same lines.

        :return: ``(SQL from_clause, [SQL condition, ...])``
        """
        source = SQL(
            """
              FROM %(lines)s aml
              JOIN %(moves)s am ON am.id = aml.move_id
            """,
            lines=lines,
            moves=moves,
        )
        conditions = [
            SQL("aml.parent_state = 'posted'"),
            SQL("aml.display_type = 'product'"),
            SQL("am.move_type IN ('out_invoice', 'out_refund')"),
        ]
        return source, conditions

    @api.model
    def _revenue_amount(
        self,
        currency,
        company_ids=None,
        amount=LINE_REVENUE,
        company_currency=LINE_CURRENCY,
        day=LINE_DAY,
    ):
        """The revenue of a line of ``_revenue_source`` (or of a summary row: its
        ``amount``, ``company_currency`` and ``day``) in ``currency``, at its invoice date.
        Where the lines read are of ``company_ids`` only and all these companies keep
        their books in ``currency``, the amount as it is (what the conversion gives them,
        without its subqueries, which the planner costs for every line)."""
        companies = self.env["res.company"].browse(company_ids or [])
        if companies and companies.currency_id == currency:
            return amount
        return self._convert_sql(amount, company_currency, day, currency)

    @api.model
    def _execute(self, query):
        """Run one of the engine's aggregates and return its rows, without JIT
        compilation for the rest of the transaction (``SET LOCAL``, in the same
        statement). The planner estimates the engine's queries above PostgreSQL's
        ``jit_above_cost`` from about a quarter of 100,000 invoice lines on, where
        compiling them takes longer than it saves (EXPLAIN ANALYZE at size L: 0.1 to
        0.8 s of JIT for a 0.5 s query); nothing a request runs after them gains from it."""
        self.env.cr.execute(SQL("SET LOCAL jit = off; %s", query))
        return self.env.cr.fetchall()

    @api.model
    def _revenue(
        self,
        date_from,
        date_to,
        groupby=("user",),
        user_ids=None,
        partner_ids=None,
        company_ids=None,
        periods=None,
        currency=None,
    ):
        """Attributed revenue between two invoice dates (both included).

        :param groupby: keys among ``user``, ``partner``, ``company``, ``move_type``,
            ``month``, ``quarter``, ``year`` and, with ``periods``, ``period`` and
            ``first_period_partner`` (the partner in the first of ``periods``, ``None`` in
            the others: the detail of one period beside the totals of the others, in one
            pass); ``user`` is ``None`` for revenue of accounts that had no owner on the
            invoice date.
        :param user_ids: only revenue attributed to these managers
        :param partner_ids: only these commercial entities
        :param company_ids: companies to read (default: the user's active companies)
        :param periods: list of ``(date_from, date_to)`` read in one pass instead of
            ``date_from``..``date_to``; the key ``period`` is the index in that list
        :param currency: the currency of the amounts (default ``_figures_currency``: the
            companies' own when they share one, else the current company's); amounts of
            other currencies are converted at the invoice date
        :return: ``{key_tuple: amount}`` invoices minus credit notes, in ``currency``;
            keys follow the order of ``groupby``.
        """
        ranges = periods or [(date_from, date_to)]
        in_period = [SQL("rd.invoice_date BETWEEN %s AND %s", start, end) for start, end in ranges]
        key_sql = {
            **_GROUPBY,
            "period": SQL(
                "CASE %s END",
                SQL(" ").join(
                    SQL("WHEN %s THEN %s", condition, index)
                    for index, condition in enumerate(in_period)
                ),
            ),
            "first_period_partner": SQL("CASE WHEN %s THEN rd.partner_id END", in_period[0]),
        }
        unknown = (
            set(groupby)
            - set(_GROUPBY)
            - ({"period", "first_period_partner"} if periods else set())
        )
        if unknown:
            raise ValueError(f"Unknown revenue grouping {unknown}")
        self._flush_sources()
        self._flush_rates()
        company_ids = list(company_ids or self.env.companies.ids)
        currency = currency or self._figures_currency(company_ids)
        conditions = [
            SQL("(%s)", SQL(" OR ").join(in_period)),
            SQL("rd.company_id IN %s", tuple(company_ids)),
        ]
        if user_ids is not None:
            conditions.append(SQL("rd.user_id IN %s", tuple(user_ids) or (None,)))
        if partner_ids is not None:
            conditions.append(SQL("rd.partner_id IN %s", tuple(partner_ids) or (None,)))
        keys = [key_sql[key] for key in groupby]
        select_keys = SQL(", ").join(keys) if keys else SQL("NULL")
        amount = self._revenue_amount(
            currency,
            company_ids,
            amount=SQL("rd.amount"),
            company_currency=SQL("rd.company_currency_id"),
            day=SQL("rd.invoice_date"),
        )
        # the summary of the ledger's revenue lines (_revenue_source), kept by the database
        query = SQL(
            """
            SELECT %(keys)s, SUM(%(amount)s)
              FROM account_manager_revenue_day rd
             WHERE %(where)s
          GROUP BY %(group)s
            """,
            keys=select_keys,
            amount=amount,
            where=SQL(" AND ").join(conditions),
            group=SQL(", ").join(keys) if keys else SQL("()"),
        )
        return {tuple(row[:-1]) if keys else (): row[-1] for row in self._execute(query)}

    @api.model
    def _commission_base(
        self, date_from, date_to, user_ids, earning_basis="invoiced", company_ids=None
    ):
        """Commissionable invoice lines of managers, line by line, in company currency.

        Invoiced basis: the product lines of posted customer invoices and credit notes
        dated in the period. Paid basis: the same lines in proportion to what was paid
        (reconciled) in the period, dated by the payment; a credit note reconciled with
        an invoice cancels its share. Both are attributed to the owner on the invoice
        date; the cost is the invoice's cost-of-goods items (anglo-saxon accounting),
        else the product's cost on the invoice date (``account.manager.product.cost``),
        else its cost today (company-dependent ``standard_price``).

        :return: list of dicts with ``move_line_id``, ``move_id``, ``partner_id``,
            ``user_id``, ``date``, ``revenue``, ``cost``, ``categ_id``, ``tier_id``
        """
        self._flush_commission_sources()
        company_ids = list(company_ids or self.env.companies.ids)
        # the revenue lines of the engine (``_revenue_source``), of these managers, with
        # what the commission needs about each: its customer, product and cost
        source, conditions = self._revenue_source()
        conditions += [
            SQL("%s IN %s", OWNER, tuple(user_ids) or (None,)),
            SQL("aml.company_id IN %s", tuple(company_ids)),
        ]
        if earning_basis == "invoiced":
            query = self._commission_base_invoiced(date_from, date_to, source, conditions)
        else:
            query = self._commission_base_paid(date_from, date_to, source, conditions)
        rows = self._execute(query)
        keys = (
            "move_line_id",
            "move_id",
            "partner_id",
            "user_id",
            "date",
            "revenue",
            "cost",
            "categ_id",
            "tier_id",
        )
        return [dict(zip(keys, row, strict=True)) for row in rows]

    @api.model
    def _flush_commission_sources(self):
        """What ``_commission_base`` reads, beyond the revenue lines, written to the
        database."""
        self._flush_sources()
        self.env["account.partial.reconcile"].flush_model()
        self.env["product.product"].flush_model(["standard_price", "product_tmpl_id"])
        self.env["account.manager.product.cost"].flush_model()
        self.env["res.partner"].flush_model(["account_tier_id"])

    @api.model
    def _commission_base_invoiced(self, date_from, date_to, source, conditions):
        """The query of ``_commission_base`` on the invoiced basis: the lines of the
        invoices dated in the period, at their full amount."""
        return SQL(
            """
            WITH %(cogs)s, %(cost_history)s
            SELECT aml.id, am.id, am.commercial_partner_id, %(owner)s, am.invoice_date,
                   -aml.balance, %(cost)s, pt.categ_id, cp.account_tier_id
              %(source)s %(details)s
             WHERE %(where)s
            """,
            cogs=self._commission_cogs(
                SQL(
                    "SELECT id FROM account_move WHERE move_type IN "
                    "('out_invoice', 'out_refund') AND invoice_date BETWEEN %s AND %s",
                    date_from,
                    date_to,
                )
            ),
            owner=OWNER,
            cost=self._commission_cost(),
            cost_history=self._commission_cost_history(),
            source=source,
            details=self._commission_details(),
            where=SQL(" AND ").join(
                [*conditions, SQL("am.invoice_date BETWEEN %s AND %s", date_from, date_to)]
            ),
        )

    @api.model
    def _commission_base_paid(self, date_from, date_to, source, conditions):
        """The query of ``_commission_base`` on the paid basis: the lines of the invoices
        paid (reconciled) in the period, in proportion to the payment, dated by it."""
        return SQL(
            """
            WITH paid AS (
                SELECT l.move_id, apr.max_date AS day, SUM(apr.amount) AS amount
                  FROM account_partial_reconcile apr
                  JOIN account_move_line l
                    ON l.id IN (apr.debit_move_id, apr.credit_move_id)
                  JOIN account_account a
                    ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                  JOIN account_move m
                    ON m.id = l.move_id AND m.move_type IN ('out_invoice', 'out_refund')
                 WHERE apr.max_date BETWEEN %(date_from)s AND %(date_to)s
              GROUP BY l.move_id, apr.max_date
            ), receivable AS (
                SELECT l.move_id, ABS(SUM(l.balance)) AS total
                  FROM account_move_line l
                  JOIN account_account a
                    ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                 WHERE l.move_id IN (SELECT move_id FROM paid)
              GROUP BY l.move_id
            ), %(cogs)s, %(cost_history)s
            SELECT aml.id, am.id, am.commercial_partner_id, %(owner)s, paid.day,
                   -aml.balance * paid.amount / receivable.total,
                   %(cost)s * paid.amount / receivable.total,
                   pt.categ_id, cp.account_tier_id
              %(source)s
              JOIN paid ON paid.move_id = am.id
              JOIN receivable ON receivable.move_id = paid.move_id AND receivable.total != 0
              %(details)s
             WHERE %(where)s
            """,
            cogs=self._commission_cogs(SQL("SELECT move_id FROM paid")),
            owner=OWNER,
            cost=self._commission_cost(),
            cost_history=self._commission_cost_history(),
            source=source,
            details=self._commission_details(),
            where=SQL(" AND ").join(conditions),
            date_from=date_from,
            date_to=date_to,
        )

    @api.model
    def _commission_details(self):
        """The joins of ``_commission_base`` beyond the revenue lines: the customer, the
        product and its category, the cost-of-goods items (``cogs``) and the cost history
        (``cost_history``) of the invoice date."""
        return SQL(
            """
            JOIN res_partner cp ON cp.id = am.commercial_partner_id
       LEFT JOIN product_product pp ON pp.id = aml.product_id
       LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
       LEFT JOIN cogs ON cogs.move_id = am.id AND cogs.product_id = aml.product_id
       LEFT JOIN cost_history hist
              ON hist.product_id = aml.product_id AND hist.company_id = aml.company_id
             AND (hist.valid_from IS NULL OR am.invoice_date >= hist.valid_from)
             AND (hist.valid_to IS NULL OR am.invoice_date < hist.valid_to)
            """
        )

    @api.model
    def _commission_cost(self):
        """The real cost of a line: the invoice's cost-of-goods journal items where the
        company posts them (shared by the invoice's lines of that product by quantity),
        else the product's cost on the invoice date (its cost history), else its cost
        today."""
        return SQL(
            """
            CASE WHEN cogs.amount IS NOT NULL
                 THEN cogs.amount * ABS(aml.quantity) / NULLIF(cogs.quantity, 0)
                 ELSE SIGN(-aml.balance) * ABS(aml.quantity) * COALESCE(
                      hist.cost, (pp.standard_price ->> aml.company_id::text)::numeric, 0)
            END
            """
        )

    @api.model
    def _commission_cost_history(self):
        """The ``cost_history`` CTE: each cost with the dates it is valid, from its date
        to the next one's; the first known cost also before its date (what the product
        cost until it changed)."""
        return SQL(
            """
            cost_history AS (
                SELECT product_id, company_id, cost,
                       CASE WHEN LAG(date) OVER w IS NOT NULL THEN date END AS valid_from,
                       LEAD(date) OVER w AS valid_to
                  FROM (SELECT DISTINCT ON (product_id, company_id, date)
                               product_id, company_id, date, cost
                          FROM account_manager_product_cost
                      ORDER BY product_id, company_id, date, id DESC) last_of_day
                WINDOW w AS (PARTITION BY product_id, company_id ORDER BY date)
            )
            """
        )

    @api.model
    def _commission_cogs(self, moves):
        """The ``cogs`` CTE: the cost-of-goods items of ``moves`` (SQL of their ids), per
        move and product, in one pass, with the quantity of the move's product lines of
        that product that share them (read for these moves only: a window over every
        line read would sort them all, where most companies post no such items)."""
        return SQL(
            """
            cogs AS (
                SELECT c.move_id, c.product_id, SUM(c.balance) AS amount,
                       (SELECT SUM(ABS(p.quantity))
                          FROM account_move_line p
                         WHERE p.move_id = c.move_id AND p.product_id = c.product_id
                           AND p.display_type = 'product') AS quantity
                  FROM account_move_line c
                  JOIN account_account ca ON ca.id = c.account_id
                 WHERE c.display_type = 'cogs' AND c.move_id IN (%s)
                   AND ca.account_type IN ('expense', 'expense_direct_cost')
              GROUP BY c.move_id, c.product_id
            )
            """,
            moves,
        )
