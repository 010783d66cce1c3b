from odoo import fields
from odoo import models
from odoo.tools import SQL

from ..models.account_manager_revenue import OWNER


class AccountManagerRevenueReport(models.Model):
    """Revenue analysis: the attribution engine's revenue lines as a read-only view, for
    pivots and graphs by account manager, team, customer tier and period.

    One row per revenue line of the ledger (posted customer invoice and credit note
    product lines), attributed to the owner of the account on the invoice date — the same
    lines, attribution and currency as ``account.manager.revenue``: the companies' own
    currency, or where companies of several currencies are shown together the current
    company's, converted at the invoice date.
    """

    _name = "account.manager.revenue.report"
    _description = "Revenue Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "move_id"

    date = fields.Date(string="Invoice Date", readonly=True)
    user_id = fields.Many2one("res.users", string="Account Manager", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Account", readonly=True)
    account_tier_id = fields.Many2one("account.manager.tier", string="Customer Tier", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    move_type = fields.Selection(
        [("out_invoice", "Invoice"), ("out_refund", "Credit Note")], readonly=True
    )
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount = fields.Monetary(string="Revenue", readonly=True)

    @property
    def _table_query(self):
        engine = self.env["account.manager.revenue"]
        source, conditions = engine._revenue_source()
        currency = engine._figures_currency()
        return SQL(
            """
            SELECT aml.id, am.invoice_date AS date, %(owner)s AS user_id,
                   users.sale_team_id AS team_id, am.commercial_partner_id AS partner_id,
                   cp.account_tier_id, am.id AS move_id, am.move_type,
                   pt.categ_id AS product_categ_id, aml.company_id,
                   %(currency)s AS currency_id, %(amount)s AS amount
              %(source)s
              JOIN res_partner cp ON cp.id = am.commercial_partner_id
         LEFT JOIN res_users users ON users.id = %(owner)s
         LEFT JOIN product_product pp ON pp.id = aml.product_id
         LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE %(where)s
            """,
            source=source,
            owner=OWNER,
            currency=currency.id,
            amount=engine._revenue_amount(currency),
            where=SQL(" AND ").join(conditions),
        )
