from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

# What the engine can group by, and the SQL expression of each key.
_GROUPBY = {
    "user": SQL("own.user_id"),
    "partner": SQL("am.commercial_partner_id"),
    "company": SQL("aml.company_id"),
    "move_type": SQL("am.move_type"),
    "month": SQL("date_trunc('month', am.invoice_date)::date"),
    "quarter": SQL("date_trunc('quarter', am.invoice_date)::date"),
    "year": SQL("date_trunc('year', am.invoice_date)::date"),
}


# The same keys for sales orders, dated by their order date.
_ORDER_GROUPBY = {
    "user": SQL("own.user_id"),
    "partner": SQL("p.commercial_partner_id"),
    "company": SQL("so.company_id"),
    "state": SQL("so.state"),
    "month": SQL("date_trunc('month', so.date_order)::date"),
    "quarter": SQL("date_trunc('quarter', so.date_order)::date"),
    "year": SQL("date_trunc('year', so.date_order)::date"),
    "order": SQL("so.id"),
}
# What an order contributes, in company currency (currency_rate converts from it).
_ORDER_AMOUNTS = {
    "ordered": SQL("sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1)"),
    "to_invoice": SQL(
        "(sol.price_subtotal - COALESCE(sol.untaxed_amount_invoiced, 0))"
        " / COALESCE(NULLIF(so.currency_rate, 0), 1)"
    ),
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

    Revenue is read from Odoo's ledger (``account.move.line``): the product lines of
    posted customer invoices and credit notes, untaxed (``balance``), dated by the invoice
    date, in one currency: the companies' own, or where companies of several currencies
    are read together the current company's, converted at the invoice date with Odoo's
    rates (``_figures_currency``, ``_convert_sql``). Each line is attributed to the
    account manager who owned the customer's commercial entity on that date, through the
    ownership history (``account.manager.ownership._sql_join``) — never through today's
    owner.

    Each public method runs one query for the whole batch it is given; the models that
    show figures (partners, quotas, commissions, reports) ask this engine and never sum
    invoices themselves.
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
        self.env["account.move"].flush_model(
            ["move_type", "invoice_date", "commercial_partner_id", "state"]
        )
        self.env["account.manager.ownership"].flush_model(
            ["partner_id", "user_id", "date_from", "date_to"]
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
    def _revenue_source(self):
        """The attributed revenue lines: the ``FROM`` clause and the conditions that make
        a ledger line revenue (aliases ``aml``, ``am``, ``own`` for the ownership period
        of the invoice date). Shared by ``_revenue``, ``_commission_base`` and the revenue
        analysis view, so all read the same lines.

        :return: ``(SQL from_clause, [SQL condition, ...])``
        """
        source = SQL(
            """
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
         LEFT JOIN %s
            """,
            self.env["account.manager.ownership"]._sql_join(
                SQL("am.commercial_partner_id"), SQL("am.invoice_date")
            ),
        )
        conditions = [
            SQL("aml.parent_state = 'posted'"),
            SQL("aml.display_type = 'product'"),
            SQL("am.move_type IN ('out_invoice', 'out_refund')"),
        ]
        return source, conditions

    @api.model
    def _revenue_amount(self, currency):
        """The revenue of a line of ``_revenue_source`` in ``currency``, at its invoice date."""
        return self._convert_sql(
            SQL("-aml.balance"), SQL("aml.company_currency_id"), SQL("am.invoice_date"), currency
        )

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
        in_period = [SQL("am.invoice_date BETWEEN %s AND %s", start, end) for start, end in ranges]
        key_sql = {
            **_GROUPBY,
            "period": SQL(
                "CASE %s END",
                SQL(" ").join(
                    SQL("WHEN %s THEN %s", condition, index)
                    for index, condition in enumerate(in_period)
                ),
            ),
            "first_period_partner": SQL(
                "CASE WHEN %s THEN am.commercial_partner_id END", in_period[0]
            ),
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
        source, conditions = self._revenue_source()
        conditions += [
            SQL("(%s)", SQL(" OR ").join(in_period)),
            SQL("aml.company_id IN %s", tuple(company_ids)),
        ]
        if user_ids is not None:
            conditions.append(SQL("own.user_id IN %s", tuple(user_ids) or (None,)))
        if partner_ids is not None:
            conditions.append(SQL("am.commercial_partner_id IN %s", tuple(partner_ids) or (None,)))
        keys = [key_sql[key] for key in groupby]
        select_keys = SQL(", ").join(keys) if keys else SQL("NULL")
        query = SQL(
            """
            SELECT %(keys)s, SUM(%(amount)s)
              %(source)s
             WHERE %(where)s
          GROUP BY %(group)s
            """,
            keys=select_keys,
            amount=self._revenue_amount(currency),
            source=source,
            where=SQL(" AND ").join(conditions),
            group=SQL(", ").join(keys) if keys else SQL("()"),
        )
        self.env.cr.execute(query)
        return {tuple(row[:-1]) if keys else (): row[-1] for row in self.env.cr.fetchall()}

    @api.model
    def _order_revenue(
        self,
        date_from,
        date_to,
        groupby=("user",),
        states=("sale",),
        amount="ordered",
        user_ids=None,
        partner_ids=None,
        company_ids=None,
        currency=None,
    ):
        """Untaxed amounts of sales orders, attributed like revenue: to the owner of the
        customer's account on the order date; in ``currency`` (see ``_revenue``), orders
        of another company currency converted at the order date.

        :param states: order states to read: ``("sale",)`` is the booked revenue,
            ``("draft", "sent")`` the open quotations (pipeline)
        :param amount: ``ordered`` (the order's untaxed amount) or ``to_invoice`` (what
            is not invoiced yet: the order book)
        :param date_from: first order date, or ``None`` for no lower bound
        :param date_to: last order date, or ``None`` for no upper bound
        :return: ``{key_tuple: amount}`` keyed as ``groupby`` (see ``_revenue``; ``state``
            groups by order state, ``order`` by order)
        """
        unknown = set(groupby) - set(_ORDER_GROUPBY)
        if unknown:
            raise ValueError(f"Unknown order grouping {unknown}")
        self.env["sale.order.line"].flush_model(
            ["price_subtotal", "untaxed_amount_invoiced", "order_id", "display_type"]
        )
        self.env["sale.order"].flush_model(
            ["state", "date_order", "partner_id", "company_id", "currency_rate"]
        )
        self.env["account.manager.ownership"].flush_model(
            ["partner_id", "user_id", "date_from", "date_to"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self._flush_rates()
        company_ids = list(company_ids or self.env.companies.ids)
        currency = currency or self._figures_currency(company_ids)
        # Order dates are datetimes (UTC); attribution uses their calendar day.
        conditions = [
            SQL("so.state IN %s", tuple(states)),
            SQL("sol.display_type IS NULL"),
            SQL("so.company_id IN %s", tuple(company_ids)),
        ]
        if date_to:
            conditions.append(SQL("so.date_order < %s", date_to + timedelta(days=1)))
        if date_from:
            conditions.append(SQL("so.date_order >= %s", date_from))
        if user_ids is not None:
            conditions.append(SQL("own.user_id IN %s", tuple(user_ids) or (None,)))
        if partner_ids is not None:
            conditions.append(SQL("p.commercial_partner_id IN %s", tuple(partner_ids) or (None,)))
        keys = [_ORDER_GROUPBY[key] for key in groupby]
        self.env.cr.execute(
            SQL(
                """
                SELECT %(keys)s, SUM(%(amount)s)
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN res_company soc ON soc.id = so.company_id
                  JOIN res_partner p ON p.id = so.partner_id
             LEFT JOIN %(owner)s
                 WHERE %(where)s
              GROUP BY %(group)s
                """,
                keys=SQL(", ").join(keys) if keys else SQL("NULL"),
                owner=self.env["account.manager.ownership"]._sql_join(
                    SQL("p.commercial_partner_id"), SQL("so.date_order::date")
                ),
                amount=self._convert_sql(
                    _ORDER_AMOUNTS[amount],
                    SQL("soc.currency_id"),
                    SQL("so.date_order::date"),
                    currency,
                ),
                where=SQL(" AND ").join(conditions),
                group=SQL(", ").join(keys) if keys else SQL("()"),
            )
        )
        return {tuple(row[:-1]) if keys else (): row[-1] for row in self.env.cr.fetchall()}

    @api.model
    def _crm_installed(self):
        """CRM opportunities count in the pipeline where Odoo's ``crm`` is installed."""
        return "crm.lead" in self.env

    @api.model
    def _opportunity_pipeline(self, date_to, user_ids=None, company_ids=None, today=None):
        """Open CRM opportunities of the managers' accounts expected to close by
        ``date_to`` (or without an expected date), in company currency:
        ``{(user_id,): (expected, weighted)}``, weighted by each opportunity's own
        probability. An opportunity is attributed, like an order, to the owner of its
        customer's account on its expected closing day (today when that is past or not
        set); opportunities of prospects without an owner are business development's.
        Opportunities with a quotation or an order are left out: the quotation is in the
        pipeline and the order in the order book already. Empty without ``crm``."""
        if not self._crm_installed():
            return {}
        today = today or fields.Date.context_today(self)
        Lead = self.env["crm.lead"]
        Lead.flush_model(
            ["type", "active", "probability", "expected_revenue", "date_deadline", "partner_id"]
        )
        self.env["account.manager.ownership"].flush_model(
            ["partner_id", "user_id", "date_from", "date_to"]
        )
        company_ids = list(company_ids or self.env.companies.ids)
        conditions = [
            SQL("l.type = 'opportunity'"),
            SQL("l.active"),
            SQL("l.probability < 100"),
            SQL("(l.date_deadline IS NULL OR l.date_deadline <= %s)", date_to),
            SQL("l.company_id IN %s", tuple(company_ids)),
        ]
        if "opportunity_id" in self.env["sale.order"]._fields:  # sale_crm
            self.env["sale.order"].flush_model(["opportunity_id", "state"])
            conditions.append(
                SQL(
                    "NOT EXISTS (SELECT 1 FROM sale_order so "
                    "WHERE so.opportunity_id = l.id AND so.state != 'cancel')"
                )
            )
        if user_ids is not None:
            conditions.append(SQL("own.user_id IN %s", tuple(user_ids) or (None,)))
        self.env.cr.execute(
            SQL(
                """
                SELECT own.user_id, SUM(l.expected_revenue),
                       SUM(l.expected_revenue * l.probability / 100.0)
                  FROM crm_lead l
                  JOIN res_partner p ON p.id = l.partner_id
                  JOIN %(owner)s
                 WHERE %(where)s
              GROUP BY own.user_id
                """,
                owner=self.env["account.manager.ownership"]._sql_join(
                    SQL("p.commercial_partner_id"),
                    SQL("GREATEST(COALESCE(l.date_deadline, %(today)s), %(today)s)", today=today),
                ),
                where=SQL(" AND ").join(conditions),
            )
        )
        return {(uid,): (expected, weighted) for uid, expected, weighted in self.env.cr.fetchall()}

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
        self._flush_sources()
        self.env["account.partial.reconcile"].flush_model()
        self.env["product.product"].flush_model(["standard_price", "product_tmpl_id"])
        self.env["account.manager.product.cost"].flush_model()
        self.env["res.partner"].flush_model(["account_tier_id"])
        company_ids = list(company_ids or self.env.companies.ids)
        # the revenue lines of the engine (``_revenue_source``), of these managers, with
        # what the commission needs about each: its customer, product and cost
        source, conditions = self._revenue_source()
        details = SQL(
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
        conditions += [
            SQL("own.user_id IN %s", tuple(user_ids) or (None,)),
            SQL("aml.company_id IN %s", tuple(company_ids)),
        ]
        # The real cost: the invoice's cost-of-goods journal items where the company posts
        # them (shared by the invoice's lines of that product by quantity), else the
        # product's cost on the invoice date (its cost history), else its cost today.
        cost = SQL(
            """
            CASE WHEN cogs.amount IS NOT NULL
                 THEN cogs.amount * ABS(aml.quantity) / NULLIF(
                     SUM(ABS(aml.quantity)) OVER (PARTITION BY am.id, aml.product_id), 0)
                 ELSE SIGN(-aml.balance) * ABS(aml.quantity) * COALESCE(
                      hist.cost, (pp.standard_price ->> aml.company_id::text)::numeric, 0)
            END
            """
        )
        # each cost with the dates it is valid: from its date to the next one's; the
        # first known cost also before its date (what the product cost until it changed)
        cost_history = SQL(
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

        # The cost-of-goods items of the moves read, per move and product, in one pass.
        def cogs(moves):
            return SQL(
                """
                cogs AS (
                    SELECT c.move_id, c.product_id, SUM(c.balance) AS amount
                      FROM account_move_line c
                      JOIN account_account ca ON ca.id = c.account_id
                     WHERE c.display_type = 'cogs' AND c.move_id IN (%s)
                       AND ca.account_type IN ('expense', 'expense_direct_cost')
                  GROUP BY c.move_id, c.product_id
                )
                """,
                moves,
            )

        if earning_basis == "invoiced":
            query = SQL(
                """
                WITH %(cogs)s, %(cost_history)s
                SELECT aml.id, am.id, am.commercial_partner_id, own.user_id, am.invoice_date,
                       -aml.balance, %(cost)s, pt.categ_id, cp.account_tier_id
                  %(source)s %(details)s
                 WHERE %(where)s
                """,
                cogs=cogs(
                    SQL(
                        "SELECT id FROM account_move WHERE move_type IN "
                        "('out_invoice', 'out_refund') AND invoice_date BETWEEN %s AND %s",
                        date_from,
                        date_to,
                    )
                ),
                cost=cost,
                cost_history=cost_history,
                source=source,
                details=details,
                where=SQL(" AND ").join(
                    [*conditions, SQL("am.invoice_date BETWEEN %s AND %s", date_from, date_to)]
                ),
            )
        else:
            query = SQL(
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
                SELECT aml.id, am.id, am.commercial_partner_id, own.user_id, paid.day,
                       -aml.balance * paid.amount / receivable.total,
                       %(cost)s * paid.amount / receivable.total,
                       pt.categ_id, cp.account_tier_id
                  %(source)s
                  JOIN paid ON paid.move_id = am.id
                  JOIN receivable ON receivable.move_id = paid.move_id AND receivable.total != 0
                  %(details)s
                 WHERE %(where)s
                """,
                cogs=cogs(SQL("SELECT move_id FROM paid")),
                cost=cost,
                cost_history=cost_history,
                source=source,
                details=details,
                where=SQL(" AND ").join(conditions),
                date_from=date_from,
                date_to=date_to,
            )
        self.env.cr.execute(query)
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
        return [dict(zip(keys, row, strict=True)) for row in self.env.cr.fetchall()]

    @api.model
    def _receivables(self, partner_ids, on_date=None, company_ids=None, currency=None):
        """Open receivables of commercial entities, read from the ledger.

        :return: ``{partner_id: (open_amount, overdue_amount)}`` in ``currency`` (see
            ``_revenue``); overdue means due (or dated, without due date) before
            ``on_date``.
        """
        on_date = on_date or fields.Date.context_today(self)
        return {
            partner_id: (sum(buckets.values()), sum(buckets.values()) - buckets["not_due"])
            for partner_id, buckets in self._receivables_aging(
                partner_ids, on_date, company_ids, currency
            ).items()
        }

    @api.model
    def _receivables_aging(self, partner_ids, on_date, company_ids=None, currency=None):
        """Open receivables of commercial entities by days past due, from the ledger.

        :return: ``{partner_id: {"not_due", "1_30", "31_60", "61_90", "over_90"}}`` in
            ``currency`` (see ``_revenue``), converted at the date of each journal item
        """
        if not partner_ids:
            return {}
        self.env["account.move.line"].flush_model(
            [
                "amount_residual",
                "account_id",
                "parent_state",
                "partner_id",
                "date_maturity",
                "company_currency_id",
            ]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self._flush_rates()
        company_ids = list(company_ids or self.env.companies.ids)
        currency = currency or self._figures_currency(company_ids)
        self.env.cr.execute(
            SQL(
                """
                WITH open_lines AS (
                    SELECT p.commercial_partner_id AS partner_id, %(amount)s AS amount,
                           %(on_date)s::date - COALESCE(aml.date_maturity, aml.date) AS late
                      FROM account_move_line aml
                      JOIN account_account acc ON acc.id = aml.account_id
                      JOIN res_partner p ON p.id = aml.partner_id
                     WHERE acc.account_type = 'asset_receivable'
                       AND aml.parent_state = 'posted'
                       AND aml.amount_residual != 0
                       AND aml.company_id IN %(companies)s
                       AND p.commercial_partner_id IN %(partners)s
                )
                SELECT partner_id,
                       COALESCE(SUM(amount) FILTER (WHERE late <= 0), 0),
                       COALESCE(SUM(amount) FILTER (WHERE late BETWEEN 1 AND 30), 0),
                       COALESCE(SUM(amount) FILTER (WHERE late BETWEEN 31 AND 60), 0),
                       COALESCE(SUM(amount) FILTER (WHERE late BETWEEN 61 AND 90), 0),
                       COALESCE(SUM(amount) FILTER (WHERE late > 90), 0)
                  FROM open_lines
              GROUP BY partner_id
                """,
                on_date=on_date,
                amount=self._convert_sql(
                    SQL("aml.amount_residual"),
                    SQL("aml.company_currency_id"),
                    SQL("aml.date"),
                    currency,
                ),
                companies=tuple(company_ids),
                partners=tuple(partner_ids),
            )
        )
        keys = ("not_due", "1_30", "31_60", "61_90", "over_90")
        return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in self.env.cr.fetchall()}
