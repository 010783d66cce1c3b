from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError

from ..const import DIRECTOR_GROUP
from ..const import MANAGEMENT_FIELDS
from ..const import acts_as_director

# DIRECTOR_GROUP is re-exported for account_manager_commission_line.py, which imports it
# from here and is being rewritten in parallel: it reads ..const once merged.
__all__ = ["DIRECTOR_GROUP"]


class ResPartner(models.Model):
    """The customer account and its owner: the account manager, the tier, the account
    team, the plans, who may see and change the account, and the entry of the ownership
    history's writer (``_set_account_manager``; the writer is the ownership model's,
    account_manager_ownership_writer.py). Check-ins, health and the portfolio figures have
    their files (res_partner_checkin.py, res_partner_health.py, res_partner_portfolio.py)."""

    _inherit = "res.partner"

    account_manager_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        help="The account manager who owns this customer account. Changing it records a "
        "new ownership period; revenue is attributed by those periods.",
    )
    account_manager_since = fields.Date(readonly=True, copy=False)
    account_tier_id = fields.Many2one(
        "account.manager.tier", string="Customer Tier", index=True, tracking=True
    )
    ownership_ids = fields.One2many(
        "account.manager.ownership", "partner_id", string="Ownership History", readonly=True
    )
    account_team_member_ids = fields.One2many(
        "account.manager.team.member", "partner_id", string="Account Team"
    )
    account_plan_ids = fields.One2many(
        "account.manager.account.plan", "partner_id", string="Account Plans"
    )
    account_plan_count = fields.Integer(compute="_compute_account_plan_count")

    # ------------------------------------------------------------------ computes

    def _compute_account_plan_count(self):
        counts = dict(
            self.env["account.manager.account.plan"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.account_plan_count = counts.get(partner._origin, 0)

    # ------------------------------------------------------------------ CRUD

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "account_manager_id", "account_tier_id"]

    @api.model_create_multi
    def create(self, vals_list):
        partners = super(ResPartner, self.with_context(_ams_history_written=True)).create(vals_list)
        partners = partners.with_env(self.env)
        owned = partners.filtered(lambda p: p.account_manager_id and p._ams_is_account())
        if owned and not acts_as_director(self.env):
            # nor born owned: a customer created with its owner would skip the hand-over
            raise AccessError(
                self.env._(
                    "Only a Sales Director creates a customer with its account manager "
                    "(%(accounts)s); without one, the hand-over rules assign it on its "
                    "first confirmed order.",
                    accounts=", ".join(owned.mapped("display_name")),
                )
            )
        day = self._ams_effective_date()
        # going live: a director may give the first owner from a past date
        since = {
            partner: self._ams_since_of(vals) or day
            for partner, vals in zip(partners, vals_list, strict=True)
            if vals.get("account_manager_since")
        }
        for user in owned.account_manager_id:
            accounts = owned.filtered(lambda p, u=user: p.account_manager_id == u)
            for start in {since.get(account, day) for account in accounts}:
                accounts.filtered(lambda p, d=start: since.get(p, day) == d)._set_account_manager(
                    user, start, reason="initial", force=True
                )
        return partners

    def write(self, vals):
        if not self.env.su and vals.keys() & MANAGEMENT_FIELDS:
            self._ams_check_management_access()
        since = None
        if "account_manager_since" in vals and not self.env.context.get("_ams_history_written"):
            since = self._ams_since_of(vals)
            vals = {k: v for k, v in vals.items() if k != "account_manager_since"}
            if since and "account_manager_id" not in vals:
                for user in self.filtered(lambda p: p._ams_is_account()).account_manager_id:
                    self.filtered(lambda p, u=user: p.account_manager_id == u)._set_account_manager(
                        user, since, backdate=True
                    )
            if not vals:
                return True
        if "account_manager_id" in vals and not self.env.context.get("_ams_history_written"):
            accounts = self.filtered(lambda p: p._ams_is_account())
            user = self.env["res.users"].browse(vals["account_manager_id"] or [])
            other_vals = {k: v for k, v in vals.items() if k != "account_manager_id"}
            result = super().write(other_vals) if other_vals else True
            accounts._set_account_manager(
                user,
                since or self._ams_effective_date(),
                reason=self.env.context.get("account_manager_change_reason", "manual"),
                backdate=bool(since),
            )
            contacts = self - accounts
            if contacts:
                super(ResPartner, contacts).write({"account_manager_id": user.id})
        else:
            result = super().write(vals)
        return result

    # ------------------------------------------------------------------ actions

    def action_open_reassign_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Re-assign Accounts"),
            "res_model": "account.manager.reassign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.commercial_partner_id.ids},
        }

    @api.readonly
    def action_view_account_plans(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_manager_suite.action_account_manager_account_plan"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    @api.readonly
    def action_print_account_status(self):
        return self.env.ref("account_manager_suite.action_report_account_status").report_action(
            self.commercial_partner_id
        )

    # ------------------------------------------------------------------ ownership

    @api.model
    def _ams_account_domain(self):
        """The accounts as a domain (what ``_ams_is_account`` says of one partner)."""
        return ["|", ("is_company", "=", True), ("parent_id", "=", False)]

    def _ams_is_account(self):
        """An account is a commercial entity: a company or a person without a company."""
        self.ensure_one()
        return self.commercial_partner_id == self

    @api.model
    def _ams_since_of(self, vals):
        """The first owner's start a director gives on the account form (going live)."""
        if not acts_as_director(self.env):
            raise AccessError(
                self.env._(
                    "Only a Sales Director can set Account Manager Since: it dates the "
                    "ownership history that revenue is attributed by."
                )
            )
        return fields.Date.to_date(vals["account_manager_since"])

    @api.model
    def _ams_effective_date(self):
        # a date over RPC arrives as a string
        day = self.env.context.get("account_manager_effective_date")
        return fields.Date.to_date(day) if day else fields.Date.context_today(self)

    def _ams_accessible_accounts(self):
        """The accounts among ``self`` whose management data and figures the user may see:
        all for sales directors, else those they own or sit on the account team of."""
        if acts_as_director(self.env):
            return self
        uid = self.env.uid
        # sudo: the user's own seats on the account teams of these accounts
        team = self.env["account.manager.team.member"].sudo()
        on_team = team.search([("partner_id", "in", self.ids), ("user_id", "=", uid)]).partner_id
        return self.filtered(lambda p: p.account_manager_id.id == uid) | (on_team & self)

    def _ams_check_management_access(self):
        accounts = self.commercial_partner_id.filtered("account_manager_id")
        denied = accounts - accounts._ams_accessible_accounts()
        if denied:
            raise AccessError(
                self.env._(
                    "Only the account manager, the account team or a sales director may change "
                    "the management data (tier, cadence, risk) of %(accounts)s.",
                    accounts=", ".join(denied.mapped("display_name")),
                )
            )

    def _set_account_manager(
        self, user, day, reason="manual", note=False, force=False, backdate=False, prepend=False
    ):
        """Make ``user`` the owner of the accounts in ``self`` from ``day`` on, through the
        ownership history's only writer (``account.manager.ownership._ams_set_owner``,
        whose docstring tells the parameters), for what gives accounts an owner from
        outside the history: the account form, the hand-over rules, the re-assign wizard."""
        self.env["account.manager.ownership"]._ams_set_owner(
            self,
            user,
            day,
            reason=reason,
            note=note,
            force=force,
            backdate=backdate,
            prepend=prepend,
        )
