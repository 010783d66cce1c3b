from odoo import api, models
from odoo.exceptions import ValidationError


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _ams_check_assignable(self, users):
        """Accounts may only be given to active internal users."""
        for user in users:
            if not user.active:
                raise ValidationError(
                    self.env._(
                        "%(user)s is archived and cannot own accounts: choose an active "
                        "Account Manager.",
                        user=user.name,
                    )
                )
            if user.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is a portal or public user and cannot own accounts: choose "
                        "an internal user as Account Manager.",
                        user=user.name,
                    )
                )
