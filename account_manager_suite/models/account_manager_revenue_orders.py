from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

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


class AccountManagerRevenueOrders(models.AbstractModel):
    """The attribution engine's sales orders (booked revenue, pipeline, order book) and
    CRM opportunities, attributed like revenue through the ownership history."""

    # a file of its own on purpose: one concern each (invoices, orders, receivables)
    _inherit = "account.manager.revenue"  # pylint: disable=consider-merging-classes-inherited

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
