from odoo import api
from odoo import models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._ams_invoices()._ams_queue_commissions()
        return partials

    def unlink(self):
        # payments undone: on the paid basis, the commission they earned goes again
        invoices = self._ams_invoices()
        result = super().unlink()
        invoices.exists()._ams_queue_commissions()
        return result

    def _ams_invoices(self):
        """The customer invoices and credit notes that these reconciliations pay."""
        return (self.debit_move_id.move_id | self.credit_move_id.move_id).filtered(
            lambda m: m.move_type in ("out_invoice", "out_refund")
        )
