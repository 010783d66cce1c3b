from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools import float_round

from .. import calculator
from .overlap import find_overlap
from .res_partner import DIRECTOR_GROUP
from .row_lock import lock_rows_nowait

MODULE = "account_manager_suite"
PERIOD_TYPES = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")]
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_FIGURE_FIELDS = (
    "actual_amount",
    "attainment",
    "remaining_amount",
    "projected_amount",
    "projected_attainment",
    "over_attainment_amount",
)
BASES = [("invoiced", "Invoiced Revenue"), ("booked", "Booked Revenue")]


def period_end(date_from, period_type):
    return date_from + relativedelta(months=PERIOD_MONTHS[period_type], days=-1)


class AccountManagerQuota(models.Model):
    """The minimum sales figure a sales director sets for an account manager and a period.

    While the period is open, its figures (actual, attainment, projection) are refreshed
    from the attribution engine; closing the period freezes them, and feeds the
    manager's performance review.
    """

    _name = "account.manager.quota"
    _description = "Account Manager Quota"
    _inherit = ["mail.thread", "mail.activity.mixin", "account.manager.input.mixin"]
    _order = "date_from desc, user_id"

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        required=True,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    plan_id = fields.Many2one("account.manager.quota.plan", ondelete="cascade", index=True)
    period_type = fields.Selection(PERIOD_TYPES, required=True, default="quarter")
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    basis = fields.Selection(
        BASES,
        required=True,
        default=lambda self: self.env.company.ams_quota_basis,
        help="Invoiced: posted customer invoices minus credit notes by invoice date. "
        "Booked: confirmed sales orders by order date.",
    )
    target = fields.Monetary(required=True, tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        string="Status",
        default="open",
        required=True,
        tracking=True,
    )
    actual_amount = fields.Monetary(string="Actual", readonly=True, copy=False)
    attainment = fields.Float(
        string="Attainment (%)", readonly=True, copy=False, aggregator="avg", digits=(16, 1)
    )
    remaining_amount = fields.Monetary(string="Remaining", readonly=True, copy=False)
    projected_amount = fields.Monetary(
        string="Run-rate Projection",
        readonly=True,
        copy=False,
        help="Actual extrapolated to the end of the period at the pace so far.",
    )
    projected_attainment = fields.Float(
        string="Projected Attainment (%)", readonly=True, copy=False, aggregator="avg"
    )
    over_attainment_amount = fields.Monetary(
        string="Over-attainment",
        readonly=True,
        copy=False,
        help="Actual above target; frozen when the period is closed. Drives quota bonuses.",
    )
    refreshed_at = fields.Datetime(string="Figures Of", readonly=True, copy=False)
    closed_date = fields.Date(readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    is_current = fields.Boolean(compute="_compute_is_current", search="_search_is_current")
    top_accounts_html = fields.Html(
        string="Top Accounts", compute="_compute_top_accounts_html", sanitize=False
    )
    next_activity_ids = fields.Many2many(
        "mail.activity", string="Next Actions", compute="_compute_next_activity_ids"
    )
    commission_to_next_tier = fields.Monetary(
        string="Revenue to the Next Tier",
        compute="_compute_commission_outlook",
        help="Revenue still to invoice in the running commission period to reach the next "
        "tier of the manager's plan.",
    )
    commission_next_tier_rate = fields.Float(
        string="Next Tier Rate (%)", compute="_compute_commission_outlook", digits=(16, 4)
    )
    commission_to_next_bonus = fields.Monetary(
        string="Revenue to the Next Bonus", compute="_compute_commission_outlook"
    )
    commission_next_bonus = fields.Monetary(
        string="Next Bonus", compute="_compute_commission_outlook"
    )
    commission_per_step = fields.Monetary(
        string="Each Further 1,000 Earns",
        compute="_compute_commission_outlook",
        help="The commission 1,000 more of revenue at the standard rate would add to the "
        "running period (tiers, bonuses and cap included).",
    )
    commission_quotations = fields.Text(
        string="Open Quotations if Invoiced", compute="_compute_commission_outlook"
    )

    @api.depends("user_id", "period_type", "date_from")
    def _compute_name(self):
        for quota in self:
            if not quota.date_from or not quota.user_id:
                quota.name = False
                continue
            start = quota.date_from
            period = {
                "month": start.strftime("%m/%Y"),
                "quarter": f"Q{(start.month - 1) // 3 + 1} {start.year}",
                "year": str(start.year),
            }[quota.period_type]
            quota.name = f"{period} - {quota.user_id.name}"

    @api.depends("user_id")
    def _compute_team_id(self):
        for quota in self:
            quota.team_id = quota.user_id.sale_team_id or quota.team_id

    @api.depends("date_from", "date_to")
    def _compute_is_current(self):
        today = fields.Date.context_today(self)
        for quota in self:
            quota.is_current = bool(
                quota.date_from and quota.date_from <= today <= (quota.date_to or today)
            )

    def _search_is_current(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Search Current with = True or = False."))
        today = fields.Date.context_today(self)
        current = ["&", ("date_from", "<=", today), ("date_to", ">=", today)]
        return current if (operator == "=") == value else ["!", *current]

    @api.depends("user_id", "date_from", "date_to", "company_id")
    def _compute_top_accounts_html(self):
        quotas = self.filtered(lambda q: q.user_id and q.date_from and q.date_to)
        (self - quotas).top_accounts_html = False
        engine = self.env["account.manager.revenue"]
        by_company = defaultdict(lambda: self.browse())
        for quota in quotas:
            by_company[quota.company_id] |= quota
        for company, batch in by_company.items():
            # one query for the batch: revenue per manager, account and month
            revenue = engine._revenue(
                min(batch.mapped("date_from")),
                max(batch.mapped("date_to")),
                ("user", "partner", "month"),
                user_ids=batch.user_id.ids,
                company_ids=company.ids,
            )
            for quota in batch:
                per_account = defaultdict(float)
                for (user_id, partner_id, month), amount in revenue.items():
                    if user_id == quota.user_id.id and quota.date_from <= month <= quota.date_to:
                        per_account[partner_id] += amount
                top = sorted(per_account.items(), key=lambda item: -item[1])[:5]
                partners = self.env["res.partner"].browse([pid for pid, _amount in top])
                rows = "".join(
                    f"<tr><td>{partner.display_name}</td>"
                    f"<td class='text-end'>{_format_money(amount, quota.currency_id)}</td></tr>"
                    for partner, (_pid, amount) in zip(partners, top, strict=True)
                )
                quota.top_accounts_html = (
                    f"<table class='table table-sm o_ams_top_accounts'><tbody>{rows}"
                    "</tbody></table>"
                    if rows
                    else f"<p class='text-muted'>{self.env._('No revenue in this period yet.')}</p>"
                )

    @api.depends("user_id", "company_id", "date_from", "date_to")
    def _compute_commission_outlook(self):
        """What the running commission period of the manager still holds (the same
        calculator as the commission lines): the revenue to the next tier and bonus,
        what each further 1,000 earns, and what each open quotation would add."""
        Line = self.env["account.manager.commission.line"].sudo()
        for quota in self:
            period = (
                Line._running_period(quota.user_id, quota.company_id)
                if quota.user_id and quota.is_current
                else None
            )
            steps = period and calculator.next_steps(period)
            quota.commission_to_next_tier = float(steps.to_next_tier or 0) if steps else 0.0
            quota.commission_next_tier_rate = float(steps.next_tier_rate or 0) if steps else 0.0
            quota.commission_to_next_bonus = float(steps.to_next_bonus or 0) if steps else 0.0
            quota.commission_next_bonus = float(steps.next_bonus or 0) if steps else 0.0
            quota.commission_per_step = float(steps.per_step) if steps else 0.0
            quota.commission_quotations = period and quota._quotations_what_if(Line)

    def _quotations_what_if(self, Line):
        """One line per open quotation of the manager: what it would add if invoiced."""
        self.ensure_one()
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("account_manager_id", "=", self.user_id.id),
                    ("state", "in", ("draft", "sent")),
                    ("company_id", "=", self.company_id.id),
                ],
                order="amount_untaxed desc, id",
                limit=10,
            )
        )
        texts = []
        for order in orders:
            what_if = Line._what_if_order(order, self.user_id)
            if what_if:
                texts.append(
                    f"{order.name} ({order.partner_id.commercial_partner_id.display_name}): "
                    f"{Line._what_if_text(what_if, self.currency_id)}"
                )
        return "\n".join(texts) or False

    def _compute_next_activity_ids(self):
        activities = self.env["mail.activity"].search(
            [("user_id", "in", self.user_id.ids)], order="date_deadline, id"
        )
        for quota in self:
            quota.next_activity_ids = activities.filtered(
                lambda a, q=quota: a.user_id == q.user_id
            )[:8]

    # ------------------------------------------------------------------ constraints

    @api.constrains("target")
    def _check_target(self):
        for quota in self:
            if quota.currency_id.compare_amounts(quota.target, 0) <= 0:
                raise ValidationError(
                    self.env._(
                        "The Target of quota %(quota)s must be positive (got %(target)s): "
                        "enter the minimum sales figure for the period.",
                        quota=quota.name,
                        target=quota.target,
                    )
                )

    @api.constrains("date_from", "date_to", "period_type")
    def _check_period(self):
        for quota in self:
            if quota.date_to < quota.date_from:
                raise ValidationError(
                    self.env._(
                        "Quota %(quota)s ends (To, %(to)s) before it starts (From, %(from)s): "
                        "choose a To date after the From date.",
                        quota=quota.name,
                        to=quota.date_to,
                        **{"from": quota.date_from},
                    )
                )
            months = PERIOD_MONTHS[quota.period_type]
            if (
                quota.date_from.day != 1
                or (quota.date_from.month - 1) % months
                or quota.date_to != period_end(quota.date_from, quota.period_type)
            ):
                raise ValidationError(
                    self.env._(
                        "Quota %(quota)s does not cover a whole calendar %(type)s: From must be "
                        "the first day of the %(type)s and To its last day.",
                        quota=quota.name,
                        type=dict(PERIOD_TYPES)[quota.period_type].lower(),
                    )
                )

    @api.constrains("user_id", "period_type", "date_from", "date_to", "company_id")
    def _check_overlap(self):
        row = find_overlap(self, ["user_id", "period_type", "company_id"])
        if row:
            mine, other = self.browse(row)
            raise ValidationError(
                self.env._(
                    "%(manager)s already has a %(type)s quota overlapping %(from)s - %(to)s "
                    "(%(other)s). Edit that quota instead of adding another one.",
                    manager=mine.user_id.name,
                    type=dict(PERIOD_TYPES)[mine.period_type].lower(),
                    to=mine.date_to,
                    other=other.name,
                    **{"from": mine.date_from},
                )
            )

    @api.constrains("user_id")
    def _check_user(self):
        for quota in self:
            self.env["res.users"]._ams_check_assignable(quota.user_id)

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        quotas = super().create(vals_list)
        quotas._refresh_attainment()
        return quotas

    def write(self, vals):
        frozen = {"target", "user_id", "date_from", "date_to", "period_type", "basis"}
        if vals.keys() & frozen and any(q.state == "closed" for q in self):
            raise UserError(
                self.env._(
                    "Quota %(quota)s is closed: its figures are frozen. Re-open it first "
                    "(sales directors only) to change target, manager, dates or basis.",
                    quota=", ".join(self.filtered(lambda q: q.state == "closed").mapped("name")),
                )
            )
        result = super().write(vals)
        if vals.keys() & frozen:
            self._refresh_attainment()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        if any(quota.state == "closed" for quota in self):
            raise UserError(
                self.env._("Closed quotas are part of the performance record: re-open first.")
            )

    # ------------------------------------------------------------------ actions

    def action_refresh(self):
        self._refresh_attainment()
        return True

    def action_close(self):
        """Freeze the figures of the periods and review the managers' performance."""
        self._check_director()
        self._lock_rows()
        closed = self.filtered(lambda q: q.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "Quota %(quotas)s is already closed (on %(day)s by %(user)s): a period is "
                    "closed once.",
                    quotas=", ".join(closed.mapped("name")),
                    day=closed[0].closed_date,
                    user=closed[0].closed_by_id.name,
                )
            )
        self._refresh_attainment()
        self.write(
            {
                "state": "closed",
                "closed_date": fields.Date.context_today(self),
                "closed_by_id": self.env.uid,
            }
        )
        self.user_id._ams_review_performance(reviewer=self.env.user)
        return True

    def action_reopen(self):
        self._check_director()
        self._lock_rows()
        not_closed = self.filtered(lambda q: q.state != "closed")
        if not_closed:
            raise UserError(
                self.env._(
                    "Quota %(quotas)s is not closed: only closed periods can be re-opened.",
                    quotas=", ".join(not_closed.mapped("name")),
                )
            )
        for quota in self:
            quota.message_post(
                body=self.env._(
                    "Period re-opened by %(user)s. Frozen figures were: actual %(actual)s, "
                    "attainment %(pct)s%%.",
                    user=self.env.user.name,
                    actual=_format_money(quota.actual_amount, quota.currency_id),
                    pct=float_round(quota.attainment, 1),
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        self.write({"state": "open", "closed_date": False, "closed_by_id": False})
        self._refresh_attainment()
        self.user_id._ams_review_performance(reviewer=self.env.user)
        return True

    @api.model
    def action_open_my_quarter(self):
        """The manager's "My quarter": the quota of the running quarter, refreshed."""
        today = fields.Date.context_today(self)
        quota = self.search(
            [
                ("user_id", "=", self.env.uid),
                ("period_type", "=", "quarter"),
                ("date_from", "<=", today),
                ("date_to", ">=", today),
                ("company_id", "=", self.env.company.id),
            ],
            limit=1,
        )
        if not quota:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": self.env._("No quota for this quarter"),
                    "message": self.env._(
                        "Your sales director has not set a quarterly quota for you yet."
                    ),
                    "type": "warning",
                },
            }
        quota._refresh_attainment()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("My Quarter"),
            "res_model": self._name,
            "res_id": quota.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("account_manager_suite.view_account_manager_quota_dashboard").id,
                    "form",
                )
            ],
        }

    @api.model
    def action_open_attainment(self):
        """Directors' analysis: refresh the open periods, then show them all."""
        self.search(
            [("state", "=", "open"), ("date_from", "<=", fields.Date.context_today(self))]
        )._refresh_attainment()
        return self.env["ir.actions.actions"]._for_xml_id(
            "account_manager_suite.action_account_manager_quota_analysis"
        )

    # ------------------------------------------------------------------ business

    def _check_director(self):
        if not self.env.su and not self.env.user.has_group(DIRECTOR_GROUP):
            raise AccessError(
                self.env._("Only a Sales Director can close or re-open quota periods.")
            )

    def _lock_rows(self):
        lock_rows_nowait(
            self,
            self.env._(
                "Someone else is closing or re-opening these quotas right now: try again "
                "in a moment."
            ),
        )

    def _refresh_attainment(self):
        """Refresh the figures of open quotas from the attribution engine: one query per
        company and basis, whatever the number of quotas, managers and invoices."""
        quotas = self.filtered(lambda q: q.state == "open")
        if not quotas:
            return
        self.flush_model()
        engine = self.env["account.manager.revenue"].sudo()
        groups = defaultdict(lambda: self.browse())
        for quota in quotas:
            groups[(quota.company_id, quota.basis)] |= quota
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        for (company, basis), batch in groups.items():
            date_from = min(batch.mapped("date_from"))
            date_to = max(batch.mapped("date_to"))
            if basis == "invoiced":
                by_month = engine._revenue(
                    date_from,
                    date_to,
                    ("user", "month"),
                    user_ids=batch.user_id.ids,
                    company_ids=company.ids,
                )
            else:
                by_month = engine._order_revenue(
                    date_from,
                    date_to,
                    ("user", "month"),
                    user_ids=batch.user_id.ids,
                    company_ids=company.ids,
                )
            rows = []
            for quota in batch:
                actual = sum(
                    amount
                    for (user_id, month), amount in by_month.items()
                    if user_id == quota.user_id.id and quota.date_from <= month <= quota.date_to
                )
                values = quota._attainment_values(actual, today)
                rows.append(SQL("(%s, %s, %s, %s, %s, %s, %s)", quota.id, *values.values()))
            # One statement for the batch: these stored figures are a snapshot written only
            # here, without business logic to trigger.
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE account_manager_quota q
                       SET actual_amount = v.actual, attainment = v.attainment,
                           remaining_amount = v.remaining, projected_amount = v.projected,
                           projected_attainment = v.projected_attainment,
                           over_attainment_amount = v.over, refreshed_at = %(now)s,
                           write_date = %(now)s, write_uid = %(uid)s
                      FROM (VALUES %(rows)s) AS v(id, actual, attainment, remaining, projected,
                                                  projected_attainment, over)
                     WHERE q.id = v.id
                    """,
                    now=now,
                    uid=self.env.uid,
                    rows=SQL(", ").join(rows),
                )
            )
        quotas.invalidate_recordset([*_FIGURE_FIELDS, "refreshed_at", "write_date", "write_uid"])

    def _attainment_values(self, actual, today):
        self.ensure_one()
        currency = self.currency_id
        actual = currency.round(actual)
        if today < self.date_from:
            projected = 0.0
        elif today > self.date_to:
            projected = actual
        else:
            elapsed = (today - self.date_from).days + 1
            total = (self.date_to - self.date_from).days + 1
            projected = currency.round(actual * total / elapsed)
        target = self.target or 1.0
        # keys in the order of _FIGURE_FIELDS: _refresh_attainment writes them positionally
        return {
            "actual_amount": actual,
            "attainment": float_round(100.0 * actual / target, 2),
            "remaining_amount": max(currency.round(self.target - actual), 0.0),
            "projected_amount": projected,
            "projected_attainment": float_round(100.0 * projected / target, 2),
            "over_attainment_amount": max(currency.round(actual - self.target), 0.0),
        }

    @api.model
    def _cron_refresh_open_quotas(self):
        today = fields.Date.context_today(self)
        self.search([("state", "=", "open"), ("date_from", "<=", today)])._refresh_attainment()


def _format_money(amount, currency):
    return f"{currency.round(amount):,.2f} {currency.symbol or currency.name}"
