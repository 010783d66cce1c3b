from collections import defaultdict

from odoo import api
from odoo import models

from ..models.account_manager_commission_line import RULE_TYPES


class ReportCommissionStatement(models.AbstractModel):
    """The figures of a manager's commission statement (PDF): revenue by account, rules
    applied, attainment, bonuses, claw-backs, total, and what was paid when."""

    _name = "report.account_manager_suite.report_commission_statement"
    _description = "Commission Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        settlements = self.env["account.manager.commission.settlement"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": settlements._name,
            "docs": settlements,
            "statements": {
                settlement.id: self._statement_data(settlement) for settlement in settlements
            },
        }

    @api.model
    def _statement_data(self, settlement):
        settlement.ensure_one()
        lines = settlement.line_ids
        by_account = defaultdict(lambda: [0.0, 0.0])
        by_rule = defaultdict(lambda: [0.0, 0.0])
        for line in lines:
            if line.partner_id:
                by_account[line.partner_id.display_name][0] += line.base_amount
                by_account[line.partner_id.display_name][1] += line.amount
            key = (dict(RULE_TYPES)[line.rule_type], line.rate)
            by_rule[key][0] += line.base_amount if line.move_line_id else 0.0
            by_rule[key][1] += line.amount
        # sudo: the quota of the statement's own manager and period, for whoever may read
        # the statement (reading its lines above checked it)
        quota = (
            self.env["account.manager.quota"]
            .sudo()
            .search(
                [
                    ("user_id", "=", settlement.user_id.id),
                    ("date_from", "=", settlement.date_from),
                    ("company_id", "=", settlement.company_id.id),
                ],
                limit=1,
            )
        )
        # sudo: the payment dates and amounts of this settlement's own bill
        bill = settlement.bill_id.sudo()
        partials = bill._get_all_reconciled_invoice_partials() if bill else []
        return {
            # the band table of the tier commission, from the calculator's explanation
            **settlement._statement_tiers(),
            "accounts": sorted(by_account.items(), key=lambda item: -item[1][0]),
            "rules": sorted(by_rule.items()),
            "quota": quota,
            "bonus": sum(lines.filtered(lambda line: line.rule_type == "bonus").mapped("amount")),
            "clawback": sum(
                lines.filtered(lambda line: line.rule_type == "clawback").mapped("amount")
            ),
            "bonuses": lines.filtered(lambda line: line.rule_type == "bonus"),
            "cap": sum(lines.filtered(lambda line: line.rule_type == "cap").mapped("amount")),
            "disputed": lines.filtered("disputed"),
            "correction_total": sum(
                lines.filtered(
                    lambda line: line.is_correction and line.rule_type != "clawback"
                ).mapped("amount")
            ),
            "corrections": lines.filtered("is_correction").sorted(
                lambda line: (line.date, line.id)
            ),
            "payments": [(p["aml"].date, p["amount"]) for p in partials],
            # sudo: the adjustments of this statement's own lines (reason, author, approver)
            "adjustments": self.env["account.manager.commission.adjustment"]
            .sudo()
            .search([("line_id", "in", lines.ids)], order="date, id"),
        }
