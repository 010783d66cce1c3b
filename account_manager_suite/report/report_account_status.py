from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from ..const import AGING_BUCKETS
from ..const import AT_RISK_REASONS
from ..const import HEALTH_STATES


class ReportAccountStatus(models.AbstractModel):
    """The figures of the account status of a portfolio, the one provider of the PDF
    (this model's template) and the workbook (``account_status_xlsx``), for a whole
    portfolio in a fixed number of queries. Only accounts the user may see are included."""

    _name = "report.account_manager_suite.report_account_status"
    _description = "Account Status (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": partners._name,
            "docs": partners,
            "status": self._status_data(partners),
        }

    @api.model
    def _status_data(self, partners):
        accounts = partners.commercial_partner_id._ams_accessible_accounts()
        if not accounts:
            raise UserError(
                self.env._(
                    "The status of these accounts is for their account managers, their account "
                    "teams and sales directors."
                )
            )
        today = fields.Date.context_today(self)
        aging = self.env["account.manager.revenue"]._receivables_aging(accounts.ids, today)
        # sudo: the open plan actions of the accounts of the report, which the caller was
        # checked for above
        actions = (
            self.env["account.manager.account.plan.action"]
            .sudo()
            .search(
                [("plan_id.partner_id", "in", accounts.ids), ("state", "=", "open")],
                order="date_deadline",
            )
        )
        empty_aging = dict.fromkeys(AGING_BUCKETS, 0.0)
        rows = []
        for account in accounts.sorted("name"):
            rows.append(
                {
                    **self._account_row(account),
                    "aging": aging.get(account.id, empty_aging),
                    "actions": [
                        (action.name, action.user_id.name, action.date_deadline)
                        for action in actions
                        if action.plan_id.partner_id == account
                    ],
                }
            )
        return {
            "title": self.env._("Account Status"),
            "date": today,
            "currency": self.env["account.manager.revenue"]._figures_currency(),
            "rows": rows,
        }

    @api.model
    def _account_row(self, account):
        """The account's management data and figures (its computed fields)."""
        roles = dict(self.env["account.manager.team.member"]._fields["role"].selection)
        return {
            "account": account.display_name,
            "manager": account.account_manager_id.name or "",
            "team": [
                (member.user_id.name, roles[member.role])
                for member in account.account_team_member_ids
            ],
            "tier": account.account_tier_id.name or "",
            "health_score": account.health_score,
            "health_state": dict(HEALTH_STATES).get(account.health_state, ""),
            "health_reasons": (account.health_reasons or "").splitlines(),
            "at_risk": dict(AT_RISK_REASONS).get(account.at_risk_reason, "")
            if account.at_risk
            else "",
            "revenue_this_year": account.revenue_this_year,
            "revenue_last_year": account.revenue_last_year,
            "receivable": account.receivable_amount,
            "overdue": account.overdue_amount,
            "quotation_count": account.open_quotation_count,
            "quotation_amount": account.open_quotation_amount,
            "last_contact": account.last_contact_date,
            "next_checkin": account.next_checkin_date,
            "satisfaction": self._satisfaction(account),
            "satisfaction_date": account.satisfaction_date,
        }

    @api.model
    def _satisfaction(self, account):
        if not account.satisfaction:
            return ""
        fields_ = account._fields
        satisfaction = dict(fields_["satisfaction"]._description_selection(self.env))
        relationship = dict(fields_["relationship"]._description_selection(self.env))
        return self.env._(
            "%(satisfaction)s (%(score)s/5), relationship %(relationship)s",
            satisfaction=satisfaction[account.satisfaction],
            score=account.satisfaction,
            relationship=relationship[account.relationship],
        )
