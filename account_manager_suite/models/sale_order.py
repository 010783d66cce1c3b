from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError

from ..const import DIRECTOR_GROUP
from ..const import acts_as_director


class SaleOrder(models.Model):
    _inherit = "sale.order"

    account_manager_id = fields.Many2one(
        "res.users",
        compute="_compute_account_manager_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        help="Owner of the customer account on the order date. Only sales directors change it.",
    )
    can_edit_account_manager = fields.Boolean(compute="_compute_can_edit_account_manager")
    ams_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    ams_commission_estimate = fields.Monetary(
        string="Commission if Invoiced",
        compute="_compute_ams_commission_whatif",
        currency_field="ams_company_currency_id",
        help="What this quotation would add to its account manager's commission if it were "
        "invoiced in the running period at its untaxed amount (bonuses and cap included). "
        "Shown to the account manager and to sales directors.",
    )
    ams_commission_whatif = fields.Char(
        string="Commission What-if", compute="_compute_ams_commission_whatif"
    )

    @api.depends("partner_id", "date_order")
    def _compute_account_manager_id(self):
        def key(order):
            # the calendar day of the order date as stored (UTC), as the engine reads it
            day = (order.date_order or fields.Datetime.now()).date()
            return order.partner_id.commercial_partner_id.id, day

        # the engine's rule, without fallback: an account without owner on the order date
        # gives the order none (the salesperson is still on the order, as its salesperson)
        owners = self.env["account.manager.ownership"]._owner_at(key(o) for o in self)
        for order in self:
            order.account_manager_id = owners.get(key(order), False)

    @api.depends_context("uid")
    def _compute_can_edit_account_manager(self):
        allowed = self.env.user.has_group(DIRECTOR_GROUP)
        for order in self:
            order.can_edit_account_manager = allowed

    @api.depends("order_line.price_subtotal", "account_manager_id", "state", "company_id")
    @api.depends_context("uid")
    def _compute_ams_commission_whatif(self):
        # sudo: the running commission period of the order's account manager, computed
        # below only for that manager themself and for sales directors
        Line = self.env["account.manager.commission.line"].sudo()
        director = self.env.user.has_group(DIRECTOR_GROUP)
        for order in self:
            manager = order.account_manager_id
            what_if = None
            if (
                order.state in ("draft", "sent")
                and manager
                and (director or manager == self.env.user)
            ):
                what_if = Line._what_if_order(order, manager)
            order.ams_commission_estimate = float(what_if.commission) if what_if else 0.0
            order.ams_commission_whatif = (
                Line._what_if_text(what_if, order.company_id.currency_id) if what_if else False
            )

    @api.model_create_multi
    def create(self, vals_list):
        requested = [vals.get("account_manager_id") for vals in vals_list]
        if not self._ams_may_set_manager():
            vals_list = [
                {k: v for k, v in vals.items() if k != "account_manager_id"} for vals in vals_list
            ]
        orders = super().create(vals_list)
        if not self._ams_may_set_manager():
            orders._ams_check_requested_manager(requested)
        return orders

    def write(self, vals):
        if "account_manager_id" in vals and not self._ams_may_set_manager():
            requested = vals["account_manager_id"]
            result = super().write({k: v for k, v in vals.items() if k != "account_manager_id"})
            self._ams_check_requested_manager([requested] * len(self))
            return result
        return super().write(vals)

    def _ams_may_set_manager(self):
        return acts_as_director(self.env)

    def _ams_check_requested_manager(self, requested):
        """A non-director may send the manager the order would get anyway (the web client
        does after an onchange), never another one."""
        for order, user_id in zip(self, requested, strict=True):
            if user_id and user_id != order.account_manager_id.id:
                raise AccessError(
                    self.env._(
                        "Only a Sales Director can change the Account Manager of %(order)s: "
                        "it follows the owner of %(customer)s on the order date.",
                        order=order.display_name,
                        customer=order.partner_id.commercial_partner_id.display_name,
                    )
                )

    def action_confirm(self):
        result = super().action_confirm()
        # sudo: the hand-over is the system's (the salesperson may not read the rules nor
        # write the customer); only the customers of these orders without a manager move
        handed_over = self.env["account.manager.assignment.rule"].sudo()._assign_accounts(self)
        orders = self.filtered(lambda o: o.partner_id.commercial_partner_id in handed_over)
        if orders:
            self.env.add_to_compute(self._fields["account_manager_id"], orders)
            orders.flush_recordset(["account_manager_id"])
        return result
