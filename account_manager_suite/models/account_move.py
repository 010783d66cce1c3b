from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = "account.move"

    account_manager_id = fields.Many2one(
        "res.users",
        compute="_compute_account_manager_id",
        store=True,
        index=True,
        help="Owner of the customer account on the invoice date (ownership history); empty "
        "when the account had no owner that day. Revenue is attributed the same way.",
    )

    ams_commission_pending = fields.Boolean(
        string="Commissions to Recompute",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Posted, reset, cancelled or paid since the commissions were last computed: "
        "a scheduled action recomputes the periods it touches.",
    )
    # what the commissions were computed with before the pending changes: an invoice reset,
    # moved to another account or date and posted again, or re-assigned, before the
    # scheduled action runs leaves periods of its former owner and date to compute again
    ams_commission_date = fields.Date(
        string="Commissions Computed on Date",
        copy=False,
        readonly=True,
        help="While commissions are to be recomputed: the invoice date they were last "
        "computed with.",
    )
    ams_commission_user_id = fields.Many2one(
        "res.users",
        string="Commissions Computed for",
        copy=False,
        readonly=True,
        help="While commissions are to be recomputed: the account manager they were last "
        "computed for.",
    )

    @api.depends("commercial_partner_id", "invoice_date", "move_type")
    def _compute_account_manager_id(self):
        # exactly the engine's rule: the owner of the commercial entity on the invoice date;
        # an invoice dated when the account had no owner (or not dated yet) has none
        customer_moves = self.filtered(
            lambda m: m.move_type in ("out_invoice", "out_refund") and m.invoice_date
        )

        def key(move):
            return move.commercial_partner_id.id, move.invoice_date

        owners = self.env["account.manager.ownership"]._owner_at(key(m) for m in customer_moves)
        for move in self:
            move.account_manager_id = owners.get(key(move)) if move in customer_moves else False

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted._ams_queue_commissions()
        posted._ams_settlements()._on_bill_posted()
        return posted

    def button_draft(self):
        result = super().button_draft()
        self.env["account.manager.commission.line"]._clawback(self)
        self._ams_queue_commissions()
        self._ams_settlements()._on_bill_reset()
        return result

    def button_cancel(self):
        result = super().button_cancel()
        self.env["account.manager.commission.line"]._clawback(self)
        self._ams_queue_commissions()
        self._ams_settlements()._on_bill_dropped()
        return result

    def unlink(self):
        self._ams_settlements()._on_bill_dropped()
        return super().unlink()

    def _ams_settlements(self):
        """The commission settlements these moves are the vendor bills of."""
        bills = self.filtered(lambda m: m.move_type in ("in_invoice", "in_refund"))
        # sudo: the settlements of the bills the user is acting on (posting, cancelling),
        # whose state follows the bill's; nothing is returned to the user
        Settlement = self.env["account.manager.commission.settlement"].sudo()
        return Settlement.search([("bill_id", "in", bills.ids)]) if bills else Settlement

    def _ams_queue_commissions(self):
        """Queue the customer invoices whose commissions must be computed again, and
        wake the scheduled action that does it (one batch for all of them)."""
        moves = self.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        if not moves:
            return
        moves.flush_recordset(["invoice_date", "account_manager_id"])
        # the first change since the last computation keeps the date and account it used
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move
                   SET ams_commission_pending = true,
                       ams_commission_date = CASE WHEN ams_commission_pending
                           THEN ams_commission_date ELSE invoice_date END,
                       ams_commission_user_id = CASE WHEN ams_commission_pending
                           THEN ams_commission_user_id ELSE account_manager_id END
                 WHERE id IN %s
                """,
                tuple(moves.ids),
            )
        )
        moves.invalidate_recordset(
            ["ams_commission_pending", "ams_commission_date", "ams_commission_user_id"]
        )
        self.env["account.manager.commission.line"]._wake_queue()
