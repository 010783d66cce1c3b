from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class AccountManagerSettleWizard(models.TransientModel):
    """Proposes the closed quota periods ready for settlement, with the commission of
    each manager; confirming creates the settlements and the accrual entries. Nobody
    types a date: the periods are the closed ones."""

    _name = "account.manager.settle.wizard"
    _inherit = ["account.manager.input.mixin"]
    _description = "Propose Commission Settlements"

    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("account.manager.settle.wizard.line", "wizard_id")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" in fields_list:
            values["line_ids"] = [Command.create(row) for row in self._ready_rows()]
        return values

    @api.model
    def _ready_rows(self):
        company = self.env.company
        quotas = self.env["account.manager.quota"].search(
            [("state", "=", "closed"), ("company_id", "=", company.id)]
        )
        settled = {
            (s.user_id.id, s.date_from)
            for s in self.env["account.manager.commission.settlement"].search(
                [("company_id", "=", company.id)]
            )
        }
        assigned = self.env["account.manager.commission.assignment"].search(
            [("company_id", "=", company.id)]
        )
        periods = {}
        for quota in quotas:
            if (quota.user_id.id, quota.date_from) in settled:
                continue
            if not assigned.filtered(
                lambda a, q=quota: a.user_id == q.user_id
                and a.date_from <= q.date_to
                and (not a.date_to or a.date_to >= q.date_to)
            ):
                continue
            periods.setdefault((quota.date_from, quota.date_to), self.env["res.users"])
            periods[(quota.date_from, quota.date_to)] |= quota.user_id
        Line = self.env["account.manager.commission.line"]
        rows = []
        for (start, end), users in sorted(periods.items()):
            lines = Line._compute_period(users, start, end, company=company)
            for user in users:
                rows.append(
                    {
                        "date_from": start,
                        "date_to": end,
                        "user_id": user.id,
                        "amount": sum(
                            lines.filtered(lambda line, u=user: line.user_id == u).mapped("amount")
                        ),
                    }
                )
        return rows

    def action_confirm(self):
        self.ensure_one()
        # the lines are a preview: the periods ready now are read again, not taken from
        # what the browser sent back
        rows = self._ready_rows()
        if not rows:
            raise UserError(self.env._("No closed period waits for settlement."))
        Settlement = self.env["account.manager.commission.settlement"]
        settlements = Settlement
        for start, end in sorted({(row["date_from"], row["date_to"]) for row in rows}):
            settlements |= Settlement._propose(start, end)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Settlements"),
            "res_model": Settlement._name,
            "view_mode": "list,form",
            "domain": [("id", "in", settlements.ids)],
        }
