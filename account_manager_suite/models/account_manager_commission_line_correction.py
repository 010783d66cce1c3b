from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models


class AccountManagerCommissionCorrection(models.Model):
    """Settled periods stay as they were paid: what changes in them afterwards (an
    invoice posted late, corrected, cancelled or re-assigned) is a correction or a
    claw-back line of the running period."""

    # a file of its own on purpose: one concern each (queue job, corrections)
    _inherit = "account.manager.commission.line"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _correct_settled(self, users, date_from, date_to, company, move_ids):
        """What the invoices ``move_ids`` earn now in a settled period, minus what they
        have earned there so far (settled lines, claw-backs, earlier corrections), as
        correction lines of the running period. The settled period keeps the tier it was
        settled with; its bonuses and cap are not reopened."""
        plan_of = self._plans_of(users, date_to, company)
        self._lock_managers(users, company)
        wanted = self._period_vals(
            plan_of,
            date_from,
            date_to,
            company,
            standard_rates=self._settled_rates(users, date_from, company),
            move_ids=move_ids,
        )
        # sudo: the queue job's (the system's) read of what every manager earned on these
        # invoices in the settled period, to net the correction; nothing is shown
        earned = self.sudo().search(
            [
                ("user_id", "in", users.ids),
                ("company_id", "=", company.id),
                ("move_id", "in", list(move_ids)),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ]
        )
        self._keep_settled_rules(wanted, earned, company.currency_id)
        # sudo: correction lines are the queue job's, computed, never typed by a user
        return self.sudo().create(
            self._correction_vals(wanted, earned, plan_of, date_from, date_to, company)
        )

    @api.model
    def _settled_rates(self, users, date_from, company):
        """The standard rule and rate each manager's settled period was settled with:
        ``{user_id: (rate, rule_type)}``."""
        # sudo: the queue job's read of the rates the settled lines were settled with
        return {
            line.user_id.id: (line.rate, line.rule_type)
            for line in self.sudo().search(
                [
                    ("user_id", "in", users.ids),
                    ("company_id", "=", company.id),
                    ("date_from", "=", date_from),
                    ("rule_type", "in", ("base", "tier")),
                ],
                order="id",
            )
        }

    @api.model
    def _keep_settled_rules(self, wanted, earned, currency):
        """An invoice line that was settled keeps the rule and rate it was settled with,
        whatever the plan says now: only its amount may have changed."""
        settled_rule = {
            (line.user_id.id, line.move_line_id.id): (line.rule_type, line.rate)
            for line in earned
            if line.state == "settled" and not line.is_correction
        }
        for vals in wanted:
            rule_rate = settled_rule.get((vals["user_id"], vals["move_line_id"]))
            if rule_rate and rule_rate != (vals["rule_type"], vals["rate"]):
                vals["rule_type"], vals["rate"] = rule_rate
                vals["amount"] = currency.round(vals["base_amount"] * vals["rate"] / 100.0)
                vals["explanation"] = {**(vals.get("explanation") or {}), "kept_rate": True}

    @api.model
    def _correction_vals(self, wanted, earned, plan_of, date_from, date_to, company):
        """The difference between what is ``wanted`` now and what was ``earned``, per
        manager and invoice line, as lines of the running period."""
        currency = company.currency_id
        net = defaultdict(lambda: [0.0, 0.0, 0.0])  # earned - wanted, its base, earned
        for line in earned:
            net[(line.user_id.id, line.move_line_id.id)][0] += line.amount
            net[(line.user_id.id, line.move_line_id.id)][1] += line.base_amount
            net[(line.user_id.id, line.move_line_id.id)][2] += line.amount
        template = {(vals["user_id"], vals["move_line_id"]): dict(vals) for vals in wanted}
        for vals in wanted:
            net[(vals["user_id"], vals["move_line_id"])][0] -= vals["amount"]
            net[(vals["user_id"], vals["move_line_id"])][1] -= vals["base_amount"]
        for line in earned:
            template.setdefault((line.user_id.id, line.move_line_id.id), self._clawback_of(line))
        today = fields.Date.context_today(self)
        vals_list = []
        for key, (surplus, surplus_base, before) in net.items():
            if currency.is_zero(surplus):
                continue
            vals = template[key]
            start, end = plan_of[key[0]]._period_of(today)
            amount = currency.round(-surplus)
            vals_list.append(
                {
                    **vals,
                    "date_from": start,
                    "date_to": end,
                    "rule_type": vals["rule_type"] if surplus < 0 else "clawback",
                    "base_amount": currency.round(-surplus_base),
                    "amount": amount,
                    "is_correction": True,
                    "explanation": {
                        "rule": vals["rule_type"] if surplus < 0 else "clawback",
                        "rate": str(vals["rate"]),
                        "amount": f"{amount:.{currency.decimal_places}f}",
                        "correction": {
                            "period_from": date_from.isoformat(),
                            "period_to": date_to.isoformat(),
                            "earned": f"{before:.{currency.decimal_places}f}",
                            "now": f"{before - surplus:.{currency.decimal_places}f}",
                        },
                        "of": vals.get("explanation") or None,
                    },
                }
            )
        return vals_list

    @api.model
    def _clawback(self, moves):
        """Invoices reset to draft or cancelled: their lines not yet in a settlement go;
        what is left of them (settled, or in a settlement on its way) is netted by a
        negative line in the running period, dated like the line it claws back, to be
        deducted by the next settlement."""
        # sudo: the commission lines of the invoices the user resets or cancels (their
        # right to do so on the invoice is checked by button_draft/button_cancel): lines
        # not settled go, claw-backs net the others; nothing is returned to the user
        lines = self.sudo().search([("move_id", "in", moves.ids)])
        lines.filtered(lambda line: line.state == "draft" and not line.settlement_id).unlink()
        net = defaultdict(lambda: self.browse())
        for line in lines.exists():
            net[(line.user_id, line.move_line_id, line.date)] |= line
        today = fields.Date.context_today(self)
        vals_list = []
        for kept in net.values():
            amount = sum(kept.mapped("amount"))
            if kept.currency_id.is_zero(amount):
                continue
            start, end = kept[0].plan_id._period_of(today)
            vals_list.append(
                {
                    **self._clawback_of(kept[0]),
                    "date_from": start,
                    "date_to": end,
                    "base_amount": -sum(kept.mapped("base_amount")),
                    "amount": -amount,
                    "is_correction": True,
                    "explanation": {
                        "rule": "clawback",
                        "rate": str(kept[0].rate),
                        "amount": f"{-amount:.{kept.currency_id.decimal_places}f}",
                        "clawback": {
                            "period_from": kept[0].date_from.isoformat(),
                            "earned": f"{amount:.{kept.currency_id.decimal_places}f}",
                        },
                    },
                }
            )
        # sudo: the claw-backs are the system's consequence of that reset, never typed
        return self.sudo().create(vals_list)

    @api.model
    def _clawback_of(self, line):
        """What a claw-back of ``line`` keeps of it: the manager, plan, invoice line,
        source date and rate (amounts and period are the caller's)."""
        return {
            "user_id": line.user_id.id,
            "plan_id": line.plan_id.id,
            "date": line.date,
            "move_line_id": line.move_line_id.id,
            "move_id": line.move_id.id,
            "partner_id": line.partner_id.id,
            "rule_type": "clawback",
            "rate": line.rate,
            "company_id": line.company_id.id,
        }
