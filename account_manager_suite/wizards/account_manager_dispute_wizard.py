from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class AccountManagerDisputeWizard(models.TransientModel):
    """A manager disputes lines of their commission statement, saying why: the lines are
    held out of the bill until a sales director resolves them."""

    _name = "account.manager.dispute.wizard"
    _inherit = ["account.manager.input.mixin"]
    _description = "Dispute Commission Lines"

    line_ids = fields.Many2many(
        "account.manager.commission.line",
        "account_manager_dispute_wizard_line_rel",
        "wizard_id",
        "line_id",
        string="Commission Lines",
        required=True,
    )
    note = fields.Text(string="Reason", required=True, help="What is wrong with these lines.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" in fields_list and self.env.context.get("active_model") == (
            "account.manager.commission.line"
        ):
            values["line_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return values

    def action_confirm(self):
        self.ensure_one()
        if not (self.note or "").strip():
            raise UserError(
                self.env._("Say why the lines are disputed (Reason): a director resolves them.")
            )
        self.line_ids.action_dispute(self.note.strip())
        return {"type": "ir.actions.act_window_close"}
