from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _ams_account_owner(self, accounts, orders):
        """The manager owning the account this activity is about (re-assign wizard)."""
        self.ensure_one()
        if self.res_model == "res.partner":
            return accounts.browse(self.res_id).account_manager_id
        return orders.browse(self.res_id).partner_id.commercial_partner_id.account_manager_id
