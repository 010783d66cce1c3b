from datetime import date

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import create_index

BEFORE_HISTORY = date(1970, 1, 1)


class AccountManagerProductCost(models.Model):
    """The cost of a product from a date on, per company: what the margin basis of a
    commission plan deducts for an invoice of that date when the company posts no
    cost-of-goods journal items (no anglo-saxon stock valuation).

    Written by the system whenever a product's cost changes; the first change of a
    product that has no history yet (it existed before the module) also keeps the cost it
    had before, valid for every earlier date.
    """

    _name = "account.manager.product.cost"
    _description = "Product Cost History"
    _order = "product_id, date desc, id desc"

    product_id = fields.Many2one("product.product", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    date = fields.Date(string="Valid From", required=True)
    cost = fields.Float(digits="Product Price", required=True)

    def init(self):
        create_index(
            self.env.cr,
            "account_manager_product_cost_lookup_idx",
            self._table,
            ["product_id", "company_id", "date"],
        )

    @api.model
    def _record(self, products, previous_costs):
        """Today's cost of ``products`` in the current company; ``previous_costs``
        (``{product_id: cost}``) is what they cost before, kept for a product's first
        record."""
        company = self.env.company
        today = fields.Date.context_today(self)
        # sudo: the cost history is the system's (a product's cost written by a buyer is
        # recorded), read and written here only for ``products`` in the current company
        known = set(
            self.sudo()
            .search_fetch(
                [("product_id", "in", products.ids), ("company_id", "=", company.id)],
                ["product_id"],
            )
            .product_id.ids
        )
        vals_list = []
        for product in products:
            if product.id not in known and previous_costs.get(product.id):
                vals_list.append(
                    {
                        "product_id": product.id,
                        "company_id": company.id,
                        "date": BEFORE_HISTORY,
                        "cost": previous_costs[product.id],
                    }
                )
            vals_list.append(
                {
                    "product_id": product.id,
                    "company_id": company.id,
                    "date": today,
                    "cost": product.standard_price,
                }
            )
        # sudo: the system's record of the cost just written on ``products``; the caller
        # (a product's create or write) returns nothing of it to the user
        return self.sudo().create(vals_list)
