from odoo import api
from odoo import models


class ReportAccountPlan(models.AbstractModel):
    """The account plan (PDF). The plan's template reads the plan's own fields; what it
    shows besides them (the account team) comes from here, so that every face of the plan
    reads the same values."""

    _name = "report.account_manager_suite.report_account_plan"
    _description = "Account Plan"

    @api.model
    def _get_report_values(self, docids, data=None):
        plans = self.env["account.manager.account.plan"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": plans._name,
            "docs": plans,
            "teams": {plan.id: plan.partner_id.account_team_member_ids for plan in plans},
        }
