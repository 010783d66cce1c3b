from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class AccountManagerTier(models.Model):
    """Customer tier: how much attention an account gets (key, strategic, standard, small).

    The tier drives defaults such as the check-in cadence of the accounts in it.
    """

    _name = "account.manager.tier"
    _inherit = ["account.manager.input.mixin"]
    _description = "Customer Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short unique code, e.g. KEY or STD.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    checkin_cadence_days = fields.Integer(
        string="Check-in Cadence (days)",
        default=30,
        required=True,
        help="The account manager is reminded to contact an account of this tier "
        "when its last contact is older than this number of days.",
    )
    is_key_account = fields.Boolean(
        string="Key Account Tier",
        help="Accounts of this tier get an account plan and usually an account team.",
    )
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the tier between companies.",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "The tier code must be unique per company: choose another Code.",
        ),
    ]

    @api.constrains("checkin_cadence_days")
    def _check_checkin_cadence_days(self):
        for tier in self:
            if tier.checkin_cadence_days <= 0:
                raise ValidationError(
                    self.env._(
                        "Check-in Cadence of tier %(tier)s must be at least 1 day "
                        "(got %(days)s). Enter a positive number of days.",
                        tier=tier.name,
                        days=tier.checkin_cadence_days,
                    )
                )
