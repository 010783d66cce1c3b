from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import date_utils

from .account_manager_assessment import RELATIONSHIP
from .account_manager_assessment import SATISFACTION


# res.partner is split by concern on purpose (issue 18): one file each
class ResPartner(models.Model):
    """What the account looks like from the portfolio: its figures read from the books by
    the attribution engine, and the customer's satisfaction as last assessed. Shown only
    to those who may see the account (``_ams_accessible_accounts``)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # qualitative: the customer's satisfaction and the relationship, as last assessed
    assessment_ids = fields.One2many(
        "account.manager.assessment", "partner_id", string="Customer Assessments", readonly=True
    )
    satisfaction = fields.Selection(
        SATISFACTION,
        string="Customer Satisfaction",
        compute="_compute_satisfaction",
        help="As last assessed (Record assessment).",
    )
    relationship = fields.Selection(
        RELATIONSHIP, string="Relationship Quality", compute="_compute_satisfaction"
    )
    satisfaction_date = fields.Date(string="Last Assessed", compute="_compute_satisfaction")

    # figures of the portfolio, read from the books by the attribution engine
    ams_currency_id = fields.Many2one(
        "res.currency", compute="_compute_account_figures", string="Figures Currency"
    )
    account_figures_visible = fields.Boolean(compute="_compute_account_figures")
    revenue_this_year = fields.Monetary(
        compute="_compute_account_figures", currency_field="ams_currency_id"
    )
    revenue_last_year = fields.Monetary(
        compute="_compute_account_figures", currency_field="ams_currency_id"
    )
    receivable_amount = fields.Monetary(
        string="Open Receivables",
        compute="_compute_account_figures",
        currency_field="ams_currency_id",
    )
    overdue_amount = fields.Monetary(
        compute="_compute_account_figures", currency_field="ams_currency_id"
    )
    open_quotation_count = fields.Integer(compute="_compute_account_figures")
    open_quotation_amount = fields.Monetary(
        compute="_compute_account_figures", currency_field="ams_currency_id"
    )

    # ------------------------------------------------------------------ computes

    @api.depends_context("uid")
    def _compute_satisfaction(self):
        """The latest assessment of each account the user may read, in one query."""
        Assessment = self.env["account.manager.assessment"]
        latest = Assessment._latest_of(self._origin.ids) if Assessment.has_access("read") else {}
        for partner in self:
            assessment = latest.get(partner._origin.id)
            partner.satisfaction = assessment.satisfaction if assessment else False
            partner.relationship = assessment.relationship if assessment else False
            partner.satisfaction_date = assessment.date if assessment else False

    @api.depends_context("uid", "company", "allowed_company_ids")
    def _compute_account_figures(self):
        accounts = self.filtered("id").commercial_partner_id
        visible = accounts._ams_accessible_accounts()
        today = fields.Date.context_today(self)
        year_start = date_utils.start_of(today, "year")
        engine = self.env["account.manager.revenue"]
        # one currency for every figure: the companies' own, else the current company's
        currency = engine._figures_currency()
        last_year_start = year_start - relativedelta(years=1)
        by_year = engine._revenue(
            last_year_start,
            today,
            groupby=("partner", "year"),
            partner_ids=visible.ids,
            currency=currency,
        )
        receivables = engine._receivables(visible.ids, today, currency=currency)
        quotations = visible._ams_open_quotations(currency)
        for partner in self:
            account = partner.commercial_partner_id
            partner.ams_currency_id = currency
            partner.account_figures_visible = account in visible
            partner.revenue_this_year = by_year.get((account.id, year_start), 0.0)
            partner.revenue_last_year = by_year.get((account.id, last_year_start), 0.0)
            open_amount, overdue = receivables.get(account.id, (0.0, 0.0))
            partner.receivable_amount = open_amount
            partner.overdue_amount = overdue
            count, amount = quotations.get(account.id, (0, 0.0))
            partner.open_quotation_count = count
            partner.open_quotation_amount = amount

    def _ams_open_quotations(self, currency):
        """The number and untaxed amount of the open quotations of the accounts in
        ``self`` and their contacts, attributed like every order whatever their date, in
        ``currency``: ``{account_id: (count, amount)}``, in one query."""
        if not self:
            return {}
        # sudo: totals of the accounts in ``self`` only (the caller's own or team accounts),
        # whoever's quotations they are
        quotations = (
            self.env["account.manager.revenue"]
            .sudo()
            ._order_revenue(
                None,
                None,
                groupby=("partner", "order"),
                states=("draft", "sent"),
                partner_ids=self.ids,
                currency=currency,
            )
        )
        totals = {}
        for (partner_id, _order_id), amount in quotations.items():
            total = totals.setdefault(partner_id, [0, 0.0])
            total[0] += 1
            total[1] += amount
        return {account_id: tuple(total) for account_id, total in totals.items()}

    # ------------------------------------------------------------------ actions

    def action_record_assessment(self):
        """Record how satisfied the customer is and how the relationship stands."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Assessment"),
            "res_model": "account.manager.assessment",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }
