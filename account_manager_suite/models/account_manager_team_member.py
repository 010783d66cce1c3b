from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError

from ..const import acts_as_director

TEAM_ROLES = [
    ("backup", "Backup Account Manager"),
    ("project_manager", "Project Manager"),
    ("customer_service", "Customer Service"),
    ("technical", "Technical Contact"),
    ("executive", "Executive Sponsor"),
    ("other", "Other"),
]


class AccountManagerTeamMember(models.Model):
    """A colleague who works on a (key) account beside its account manager."""

    _name = "account.manager.team.member"
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

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        # the account may come from a default (``default_partner_id``): checked as given
        vals_list = [self._add_missing_default_values(vals) for vals in vals_list]
        partners = self.env["res.partner"].browse(
            [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        )
        self._check_owner_of(partners)
        return super().create(vals_list)

    def write(self, vals):
        partners = self.partner_id
        if vals.get("partner_id"):
            partners |= self.env["res.partner"].browse(vals["partner_id"])
        self._check_owner_of(partners)
        return super().write(vals)

    def unlink(self):
        self._check_owner_of(self.partner_id)
        return super().unlink()

    @api.model
    def _check_owner_of(self, partners):
        """Only the owner of an account, or a sales director, changes its team: checked
        against the account as it is before the change, so a new membership cannot grant
        the very right it needs (the record rules see the row only once it exists)."""
        if acts_as_director(self.env):
            return
        # sudo: the owner of accounts the user may not read is compared, nothing returned
        accounts = partners.sudo().commercial_partner_id
        denied = accounts.filtered(lambda p: p.account_manager_id != self.env.user)
        if denied:
            raise AccessError(
                self.env._(
                    "Only the account manager of %(accounts)s or a sales director may change "
                    "its account team: ask them to add you.",
                    accounts=", ".join(denied.mapped("display_name")),
                )
            )
