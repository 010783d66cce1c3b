from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.tools import date_utils

from ..const import MANAGER_GROUP
from ..const import acts_as_director

# the figures depend on the recipient and the digest's period
SCOPE_CONTEXT = ("uid", "company", "start_datetime", "end_datetime")


class DigestDigest(models.Model):
    """The module's KPIs in Odoo's periodic digest e-mails.

    Each figure is read as the recipient (the digest computes its KPIs with the
    recipient's user): a sales director sees every manager of the company, an account
    manager their own portfolio, anybody else none of them. The figures come from the
    attribution engine, the quotas and the commission lines, as the screens show them.
    """

    _inherit = "digest.digest"

    kpi_ams_attainment = fields.Boolean("Quota Attainment (running quarter)")
    kpi_ams_attainment_value = fields.Float(compute="_compute_kpi_ams_attainment_value")
    kpi_ams_revenue = fields.Boolean("Revenue Attributed")
    kpi_ams_revenue_value = fields.Monetary(compute="_compute_kpi_ams_revenue_value")
    kpi_ams_at_risk = fields.Boolean("Accounts at Risk")
    kpi_ams_at_risk_value = fields.Integer(compute="_compute_kpi_ams_at_risk_value")
    kpi_ams_checkin_overdue = fields.Boolean("Overdue Check-ins")
    kpi_ams_checkin_overdue_value = fields.Integer(compute="_compute_kpi_ams_checkin_overdue_value")
    kpi_ams_commission = fields.Boolean("Commission Accrued")
    kpi_ams_commission_value = fields.Monetary(compute="_compute_kpi_ams_commission_value")

    # ------------------------------------------------------------------ compute

    @api.depends_context(*SCOPE_CONTEXT)
    def _compute_kpi_ams_attainment_value(self):
        """Actual over target of the quotas of the quarter running at the period's end,
        in %, as refreshed from the engine (the figures of My Quarter)."""
        user_ids, (_start, end), company = self._ams_kpi_scope()
        quarter_start, quarter_end = date_utils.get_quarter(end)
        # sudo: the quotas of the recipient's scope (_ams_kpi_scope: their own, or every
        # manager's for a director)
        quotas = (
            self.env["account.manager.quota"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("period_type", "=", "quarter"),
                    ("date_from", "=", quarter_start),
                    ("date_to", "=", quarter_end),
                    *([("user_id", "in", user_ids)] if user_ids is not None else []),
                ]
            )
        )
        quotas._refresh_attainment()
        target = sum(quotas.mapped("target"))
        actual = sum(quotas.mapped("actual_amount"))
        value = 100.0 * actual / target if target else 0.0
        for digest in self:
            digest.kpi_ams_attainment_value = value

    @api.depends_context(*SCOPE_CONTEXT)
    def _compute_kpi_ams_revenue_value(self):
        """Revenue attributed to the managers in the period, by the attribution engine."""
        user_ids, (start, end), company = self._ams_kpi_scope()
        # sudo: the engine's revenue of the recipient's scope (_ams_kpi_scope)
        revenue = (
            self.env["account.manager.revenue"]
            .sudo()
            ._revenue(start, end, ("user",), user_ids=user_ids, company_ids=company.ids)
        )
        total = sum(amount for (user_id,), amount in revenue.items() if user_id)
        for digest in self:
            digest.kpi_ams_revenue_value = company.currency_id.round(total)

    @api.depends_context(*SCOPE_CONTEXT)
    def _compute_kpi_ams_at_risk_value(self):
        """Accounts flagged at risk by the period's end and not cleared since."""
        user_ids, (_start, end), company = self._ams_kpi_scope()
        count = self._ams_accounts_count(
            user_ids, company, [("at_risk", "=", True), ("at_risk_since", "<=", end)]
        )
        for digest in self:
            digest.kpi_ams_at_risk_value = count

    @api.depends_context(*SCOPE_CONTEXT)
    def _compute_kpi_ams_checkin_overdue_value(self):
        """Accounts whose next check-in is past (today: a state, not a history)."""
        user_ids, _period, company = self._ams_kpi_scope()
        count = self._ams_accounts_count(user_ids, company, [("checkin_overdue", "=", True)])
        for digest in self:
            digest.kpi_ams_checkin_overdue_value = count

    @api.depends_context(*SCOPE_CONTEXT)
    def _compute_kpi_ams_commission_value(self):
        """Commission earned on the invoices (or payments) dated in the period."""
        user_ids, (start, end), company = self._ams_kpi_scope()
        domain = [
            ("company_id", "=", company.id),
            ("date", ">=", start),
            ("date", "<=", end),
            *([("user_id", "in", user_ids)] if user_ids is not None else []),
        ]
        # sudo: the commission lines of the recipient's scope (_ams_kpi_scope)
        [(total,)] = (
            self.env["account.manager.commission.line"]
            .sudo()
            ._read_group(domain, [], ["amount:sum"])
        )
        for digest in self:
            digest.kpi_ams_commission_value = company.currency_id.round(total or 0.0)

    # ------------------------------------------------------------------ business methods

    def _ams_kpi_scope(self):
        """``(user_ids, (first day, last day), company)`` of the recipient's figures:
        ``user_ids`` is ``None`` for a director (every manager), the recipient alone for
        an account manager; anybody else has no access (Odoo leaves the KPI out)."""
        user = self.env.user
        if acts_as_director(self.env):
            user_ids = None
        elif user.has_group(MANAGER_GROUP):
            user_ids = [user.id]
        else:
            raise AccessError(self.env._("Account Management figures are for its users."))
        start, end, companies = self._get_kpi_compute_parameters()
        # the digest's periods end now: the days they cover, in the ledger's dates
        first = fields.Datetime.to_datetime(start).date() if start else fields.Date.today()
        last = fields.Datetime.to_datetime(end).date() if end else fields.Date.today()
        return user_ids, (first, last), companies[:1]

    def _ams_accounts_count(self, user_ids, company, domain):
        """The company's accounts owned in the scope that match ``domain``."""
        scope = [
            ("parent_id", "=", False),
            ("account_manager_id", "!=", False),
            ("company_id", "in", [company.id, False]),
            *([("account_manager_id", "in", user_ids)] if user_ids is not None else []),
        ]
        # sudo: a count of the accounts of the recipient's scope (_ams_kpi_scope)
        return self.env["res.partner"].sudo().with_company(company).search_count(scope + domain)

    def _compute_kpis_actions(self, company, user):
        actions = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("account_manager_suite.menu_account_management_root").id
        for kpi, action in (
            ("kpi_ams_attainment", "action_account_manager_quota"),
            ("kpi_ams_revenue", "action_account_manager_revenue_report"),
            ("kpi_ams_at_risk", "action_all_accounts"),
            ("kpi_ams_checkin_overdue", "action_all_accounts"),
            ("kpi_ams_commission", "action_account_manager_commission_line"),
        ):
            actions[kpi] = f"account_manager_suite.{action}?menu_id={menu}"
        return actions
