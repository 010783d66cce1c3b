from odoo import api
from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model_create_multi
    def create(self, vals_list):
        products = super().create(vals_list)
        costed = products.filtered("standard_price")
        if costed:
            self.env["account.manager.product.cost"]._record(costed, {})
        return products

    def write(self, vals):
        if "standard_price" not in vals:
            return super().write(vals)
        previous = {product.id: product.standard_price for product in self}
        result = super().write(vals)
        changed = self.filtered(lambda p: p.standard_price != previous[p.id])
        if changed:
            self.env["account.manager.product.cost"]._record(changed, previous)
        return result
