from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

TEAM_ROLES = [
    ("backup", "Backup Account Manager"),
    ("project_manager", "Project Manager"),
    ("customer_service", "Customer Service"),
    ("technical", "Technical Contact"),
    ("executive", "Executive Sponsor"),
    ("other", "Other"),
]


class AccountTeamMember(models.Model):
    """A colleague who works on a (key) account beside its account manager."""

    _name = "account.team.member"
    _inherit = ["account.manager.input.mixin"]
    _description = "Account Team Member"
    _order = "partner_id, sequence, id"

    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Member",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("share", "=", False)],
    )
    role = fields.Selection(TEAM_ROLES, required=True, default="backup")
    note = fields.Char()
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)

    _sql_constraints = [
        (
            "member_role_uniq",
            "unique(partner_id, user_id, role)",
            "This person already has this role in the account team.",
        ),
    ]

    @api.constrains("partner_id", "user_id")
    def _check_member(self):
        for member in self:
            if member.partner_id.commercial_partner_id != member.partner_id:
                raise ValidationError(
                    self.env._(
                        "Account teams belong to the account (%(account)s), not to its "
                        "contact %(contact)s: choose the company as Account.",
                        account=member.partner_id.commercial_partner_id.display_name,
                        contact=member.partner_id.display_name,
                    )
                )
            self.env["res.users"]._ams_check_assignable(member.user_id)
