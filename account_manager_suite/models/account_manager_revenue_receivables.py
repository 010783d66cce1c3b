from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL


class AccountManagerRevenueReceivables(models.AbstractModel):
    """The attribution engine's open receivables of commercial entities and their aging,
    read from the ledger."""

    # a file of its own on purpose: one concern each (invoices, orders, receivables)
    _inherit = "account.manager.revenue"  # pylint: disable=consider-merging-classes-inherited

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
