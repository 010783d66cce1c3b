from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class AccountManagerReassignWizard(models.TransientModel):
    """Move accounts from one account manager to another from an effective date.

    The preview fields and ``action_apply`` share ``_get_moves``: what the preview shows
    is exactly what moves.
    """

    _name = "account.manager.reassign.wizard"
    _inherit = ["account.manager.input.mixin"]
    _description = "Re-assign Accounts"

    from_user_id = fields.Many2one(
        "res.users",
        string="From Account Manager",
        domain=[("share", "=", False)],
        help="Fills Accounts with every account this manager owns.",
    )
    partner_ids = fields.Many2many(
        "res.partner", string="Accounts", domain=[("account_manager_id", "!=", False)]
    )
    to_user_id = fields.Many2one(
        "res.users",
        string="New Account Manager",
        required=True,
        domain=[("share", "=", False)],
    )
    effective_date = fields.Date(required=True, default=fields.Date.context_today)
    note = fields.Char(string="Reason", help="Why the accounts move, e.g. leave, departure.")
    move_quotations = fields.Boolean(string="Move Open Quotations", default=True)
    move_activities = fields.Boolean(string="Move Open Activities", default=True)
    move_followers = fields.Boolean(default=True)
    preview_partner_ids = fields.Many2many(
        "res.partner", compute="_compute_preview", string="Accounts that Move"
    )
    preview_order_ids = fields.Many2many(
        "sale.order", compute="_compute_preview", string="Quotations that Move"
    )
    preview_activity_ids = fields.Many2many(
        "mail.activity", compute="_compute_preview", string="Activities that Move"
    )

    @api.onchange("from_user_id")
    def _onchange_from_user_id(self):
        if self.from_user_id:
            self.partner_ids = (
                self.env["res.partner"]
                .search([("account_manager_id", "=", self.from_user_id.id)])
                .filtered(lambda p: p._ams_is_account())
            )

    @api.depends("partner_ids", "to_user_id", "move_quotations", "move_activities", "from_user_id")
    def _compute_preview(self):
        for wizard in self:
            moves = wizard._get_moves()
            wizard.preview_partner_ids = moves["accounts"]
            wizard.preview_order_ids = moves["orders"]
            wizard.preview_activity_ids = moves["activities"]

    def _get_moves(self):
        """What re-assigning moves: accounts, their open quotations handled by their
        current manager, and that manager's open activities on both."""
        self.ensure_one()
        accounts = self.partner_ids.commercial_partner_id.filtered(
            lambda p: p.account_manager_id and p.account_manager_id != self.to_user_id
        )
        orders = self.env["sale.order"]
        activities = self.env["mail.activity"]
        if accounts and self.move_quotations:
            orders = (
                self.env["sale.order"]
                .search(
                    [
                        ("partner_id", "child_of", accounts.ids),
                        ("state", "in", ("draft", "sent")),
                    ]
                )
                .filtered(
                    lambda o: o.partner_id.commercial_partner_id.account_manager_id
                    in (o.account_manager_id | o.user_id)
                )
            )
        if accounts and self.move_activities:
            old_owners = accounts.account_manager_id
            domain = [
                ("user_id", "in", old_owners.ids),
                "|",
                "&",
                ("res_model", "=", "res.partner"),
                ("res_id", "in", accounts.ids),
                "&",
                ("res_model", "=", "sale.order"),
                ("res_id", "in", orders.ids),
            ]
            activities = (
                self.env["mail.activity"]
                .search(domain)
                .filtered(lambda a: a._ams_account_owner(accounts, orders) == a.user_id)
            )
        return {"accounts": accounts, "orders": orders, "activities": activities}

    def action_apply(self):
        self.ensure_one()
        if not self.partner_ids:
            raise UserError(
                self.env._("Choose at least one account in Accounts (or a From Account Manager).")
            )
        self.env["res.users"]._ams_check_assignable(self.to_user_id)
        moves = self._get_moves()
        accounts = moves["accounts"]
        if not accounts:
            raise UserError(
                self.env._(
                    "Every chosen account is already owned by %(user)s: nothing to re-assign.",
                    user=self.to_user_id.name,
                )
            )
        old_owner = {account.id: account.account_manager_id for account in accounts}
        accounts._set_account_manager(
            self.to_user_id, self.effective_date, reason="reassignment", note=self.note
        )
        for order in moves["orders"]:
            vals = {"account_manager_id": self.to_user_id.id}
            if order.user_id == old_owner[order.partner_id.commercial_partner_id.id]:
                vals["user_id"] = self.to_user_id.id
            order.write(vals)
        moves["activities"].write({"user_id": self.to_user_id.id})
        if self.move_followers:
            new_partner = self.to_user_id.partner_id
            for account in accounts:
                account.message_unsubscribe(partner_ids=old_owner[account.id].partner_id.ids)
                account.message_subscribe(partner_ids=new_partner.ids)
            for order in moves["orders"]:
                old = old_owner[order.partner_id.commercial_partner_id.id]
                order.message_unsubscribe(partner_ids=old.partner_id.ids)
                order.message_subscribe(partner_ids=new_partner.ids)
        for account in accounts:
            account.message_post(
                body=self.env._(
                    "Re-assigned from %(old)s to %(new)s as of %(day)s. %(note)s",
                    old=old_owner[account.id].name,
                    new=self.to_user_id.name,
                    day=self.effective_date,
                    note=self.note or "",
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        return {"type": "ir.actions.act_window_close"}
