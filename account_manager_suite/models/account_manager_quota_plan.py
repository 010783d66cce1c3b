from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import date_utils

from ..const import PERIOD_MONTHS
from .account_manager_quota import BASES


class AccountManagerQuotaPlan(models.Model):
    """A yearly quota plan: an annual target per account manager, split into quarterly or
    monthly quotas, evenly or by weights (e.g. seasonality); each quota stays editable."""

    _name = "account.manager.quota.plan"
    _description = "Yearly Quota Plan"
    _inherit = ["mail.thread", "account.manager.input.mixin"]
    _order = "year desc, id desc"

    name = fields.Char(required=True, tracking=True)
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_type = fields.Selection(
        [("quarter", "Quarters"), ("month", "Months")],
        string="Split Into",
        required=True,
        default="quarter",
    )
    weighting = fields.Selection(
        [("even", "Evenly"), ("weights", "By Weights")], required=True, default="even"
    )
    weights = fields.Char(
        help="One weight per period, comma-separated: 4 for quarters (e.g. 20,25,25,30), "
        "12 for months. The annual target is split in proportion.",
    )
    basis = fields.Selection(
        BASES, required=True, default=lambda self: self.env.company.ams_quota_basis
    )
    line_ids = fields.One2many("account.manager.quota.plan.line", "plan_id", string="Targets")
    quota_ids = fields.One2many("account.manager.quota", "plan_id", string="Quotas")
    quota_count = fields.Integer(compute="_compute_quota_count")
    annual_total = fields.Monetary(compute="_compute_annual_total")

    @api.depends("quota_ids")
    def _compute_quota_count(self):
        for plan in self:
            plan.quota_count = len(plan.quota_ids)

    @api.depends("line_ids.annual_target")
    def _compute_annual_total(self):
        for plan in self:
            plan.annual_total = sum(plan.line_ids.mapped("annual_target"))

    @api.constrains("year")
    def _check_year(self):
        for plan in self:
            if not 2000 <= plan.year <= 2100:
                raise ValidationError(
                    self.env._(
                        "Year %(year)s of plan %(plan)s is not a valid year: enter a year "
                        "such as %(today)s.",
                        year=plan.year,
                        plan=plan.name,
                        today=fields.Date.context_today(self).year,
                    )
                )

    @api.constrains("weighting", "weights", "period_type")
    def _check_weights(self):
        for plan in self.filtered(lambda p: p.weighting == "weights"):
            plan._split_weights()

    def _periods(self):
        self.ensure_one()
        year = date(self.year, 1, 1)
        step = relativedelta(months=PERIOD_MONTHS[self.period_type])
        return list(date_utils.date_range(year, date_utils.end_of(year, "year"), step))

    def _split_weights(self):
        """Weights of the periods; validates what the director typed."""
        self.ensure_one()
        count = len(self._periods())
        if self.weighting == "even":
            return [1.0] * count
        try:
            weights = [float(w) for w in (self.weights or "").replace(";", ",").split(",")]
        except ValueError as error:
            raise ValidationError(
                self.env._(
                    "Weights of plan %(plan)s must be numbers separated by commas, e.g. "
                    "20,25,25,30 (got %(weights)r).",
                    plan=self.name,
                    weights=self.weights,
                )
            ) from error
        if len(weights) != count or any(w < 0 for w in weights) or not sum(weights):
            raise ValidationError(
                self.env._(
                    "Plan %(plan)s needs %(count)s weights (one per %(period)s), none negative "
                    "and not all zero; got %(weights)r.",
                    plan=self.name,
                    count=count,
                    period=self.period_type,
                    weights=self.weights,
                )
            )
        return weights

    def action_generate_quotas(self):
        """Create the quotas of every line, split by the weights; the last period takes
        the rounding difference so the periods add up to the annual target exactly."""
        for plan in self:
            if not plan.line_ids:
                raise UserError(
                    self.env._("Add at least one account manager with an annual target first.")
                )
            if plan.quota_ids:
                raise UserError(
                    self.env._(
                        "Plan %(plan)s has generated its quotas already: edit them per "
                        "period, or delete them to generate again.",
                        plan=plan.name,
                    )
                )
            weights = plan._split_weights()
            total_weight = sum(weights)
            currency = plan.currency_id
            vals_list = []
            for line in plan.line_ids:
                amounts = [currency.round(line.annual_target * w / total_weight) for w in weights]
                amounts[-1] = currency.round(line.annual_target - sum(amounts[:-1]))
                for start, amount in zip(plan._periods(), amounts, strict=True):
                    if currency.is_zero(amount):
                        continue
                    vals_list.append(
                        {
                            "plan_id": plan.id,
                            "user_id": line.user_id.id,
                            "company_id": plan.company_id.id,
                            "period_type": plan.period_type,
                            "date_from": start,
                            "date_to": date_utils.end_of(start, plan.period_type),
                            "basis": plan.basis,
                            "target": amount,
                        }
                    )
            self.env["account.manager.quota"].create(vals_list)
        return self.action_view_quotas()

    def action_view_quotas(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_manager_suite.action_account_manager_quota"
        )
        action["domain"] = [("plan_id", "in", self.ids)]
        action["context"] = {}
        return action
