from odoo import api
from odoo import fields
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    account_manager_id = fields.Many2one(
        "res.users",
        compute="_compute_account_manager_id",
        store=True,
        index=True,
        help="Owner of the customer account on the invoice date (ownership history), else "
        "the account manager of the sales order. Revenue is attributed the same way.",
    )

    @api.depends("partner_id", "invoice_date", "move_type", "line_ids.sale_line_ids")
    def _compute_account_manager_id(self):
        customer_moves = self.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        today = fields.Date.context_today(self)

        def key(move):
            return move.commercial_partner_id.id or move.partner_id.commercial_partner_id.id, (
                move.invoice_date or today
            )

        owners = self.env["account.manager.ownership"]._owner_at(key(m) for m in customer_moves)
        for move in self:
            if move not in customer_moves:
                move.account_manager_id = False
                continue
            move.account_manager_id = (
                owners.get(key(move))
                or move.line_ids.sale_line_ids.order_id[:1].account_manager_id.id
                or move.partner_id.commercial_partner_id.account_manager_id.id
            )

    def button_draft(self):
        result = super().button_draft()
        self.env["account.manager.commission.line"]._clawback(self)
        return result

    def button_cancel(self):
        result = super().button_cancel()
        self.env["account.manager.commission.line"]._clawback(self)
        return result
