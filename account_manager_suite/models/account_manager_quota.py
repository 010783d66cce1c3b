from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import date_utils
from odoo.tools import float_round
from odoo.tools import format_amount

from .. import calculator
from ..const import PERIOD_TYPES
from ..const import acts_as_director
from ..const import sees_every_manager
from .account_manager_performance_event import PERFORMANCE_STATES
from .row_lock import lock_rows_nowait
from .workflow_guard import workflow

_FIGURE_FIELDS = (
    "actual_amount",
    "attainment",
    "remaining_amount",
    "projected_amount",
    "projected_attainment",
    "over_attainment_amount",
)

BASES = [("invoiced", "Invoiced Revenue"), ("booked", "Booked Revenue")]


class AccountManagerQuota(models.Model):
    """The minimum sales figure a sales director sets for an account manager and a period.

    While the period is open, its figures (actual, attainment, projection) are refreshed
    from the attribution engine; closing the period freezes them, and feeds the
    manager's performance review.
    """

    _name = "account.manager.quota"
    _description = "Account Manager Quota"
    # about the pay or review of a user, who does not change it (workflow_guard)
    _ams_own_path = "user_id"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "account.manager.input.mixin",
        "account.manager.period.guard",
    ]
    _order = "date_from desc, user_id"
    # closing and re-opening are the directors' buttons; the figures are the engine's
    _ams_workflow_fields = (
        "state",
        "closed_date",
        "closed_by_id",
        "refreshed_at",
        *_FIGURE_FIELDS,
    )
    # one quota per manager, period type and company at a time (guarded by the database)
    _ams_overlap_columns = ("user_id", "period_type", "company_id")

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
        copy=False,
    )
    closed_date = fields.Date(readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    is_current = fields.Boolean(compute="_compute_is_current", search="_search_is_current")
    user_performance_state = fields.Selection(
        PERFORMANCE_STATES,
        string="Performance Status",
        compute="_compute_user_performance_state",
        help="The manager's own status, on their My Quarter; sales directors see everyone's.",
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
                "quarter": f"Q{date_utils.get_quarter_number(start)} {start.year}",
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

    @api.depends_context("uid")
    def _compute_user_performance_state(self):
        is_director = acts_as_director(self.env)
        for quota in self:
            # sudo: the status is a director-only field; read here for the manager's own
            # quota (or by a director), never for a colleague's or by an accountant
            mine = quota.user_id == self.env.user
            quota.user_performance_state = (
                quota.user_id.sudo().ams_performance_state if mine or is_director else False
            )

    @api.depends("user_id", "company_id", "date_from", "date_to")
    @api.depends_context("uid")
    def _compute_commission_outlook(self):
        """What the running commission period of the manager still holds (the same
        calculator as the commission lines): the revenue to the next tier and bonus,
        what each further 1,000 earns, and what each open quotation would add; for the
        quotas whose figures the user may read (``_readable_figures``)."""
        readable = self._readable_figures()
        # sudo: the running period and open quotations of the quota's own manager, computed
        # only for those who may read that manager's commissions (``readable``)
        Line = self.env["account.manager.commission.line"].sudo()
        for quota in self:
            period = (
                Line._running_period(quota.user_id, quota.company_id)
                if quota.user_id and quota.is_current and quota in readable
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
        # sudo: the open quotations of the manager's accounts, for the readers of the
        # outlook only (``_compute_commission_outlook``), whoever's quotations they are
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
            if quota.date_from != date_utils.start_of(
                quota.date_from, quota.period_type
            ) or quota.date_to != date_utils.end_of(quota.date_from, quota.period_type):
                raise ValidationError(
                    self.env._(
                        "Quota %(quota)s does not cover a whole calendar %(type)s: From must be "
                        "the first day of the %(type)s and To its last day.",
                        quota=quota.name,
                        type=dict(PERIOD_TYPES)[quota.period_type].lower(),
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
        workflow(self).write(
            {
                "state": "closed",
                "closed_date": fields.Date.context_today(self),
                "closed_by_id": self.env.uid,
            }
        )
        self._review_performance()
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
                    actual=format_amount(self.env, quota.actual_amount, quota.currency_id),
                    pct=float_round(quota.attainment, 1),
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        workflow(self).write({"state": "open", "closed_date": False, "closed_by_id": False})
        self._refresh_attainment()
        self._review_performance()
        return True

    @api.readonly
    @api.model
    def action_open_my_quarter(self):
        """The manager's "My quarter": the quota of the running quarter.

        Read-only, so that Odoo may serve it from a replica (``db_replica_host``): the
        figures shown are those of the last refresh (``refreshed_at``), written by the
        scheduled action, by any change of the quota and by its Refresh button."""
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

    @api.readonly
    @api.model
    def action_open_attainment(self):
        """Directors' analysis of every period, as last refreshed (read-only: see
        ``action_open_my_quarter``; the open periods are refreshed on schedule)."""
        return self.env["ir.actions.actions"]._for_xml_id(
            "account_manager_suite.action_account_manager_quota_analysis"
        )

    # ------------------------------------------------------------------ business

    @api.model
    def _ams_overlap_message(self, mine, other):
        manager = self.env["res.users"].browse(mine["user_id"]).name
        kind = dict(PERIOD_TYPES)[mine["period_type"]].lower()
        if other:
            return ValidationError(
                self.env._(
                    "%(manager)s already has a %(type)s quota overlapping %(from)s - %(to)s "
                    "(%(other)s). Edit that quota instead of adding another one.",
                    manager=manager,
                    type=kind,
                    to=mine["date_to"],
                    other=other.name,
                    **{"from": mine["date_from"]},
                )
            )
        return ValidationError(
            self.env._(
                "%(manager)s already has a %(type)s quota overlapping %(from)s - %(to)s: "
                "someone else saved it at the same moment. Reload and edit that quota instead "
                "of adding another one.",
                manager=manager,
                type=kind,
                to=mine["date_to"],
                **{"from": mine["date_from"]},
            )
        )

    def _readable_figures(self):
        """The quotas among ``self`` whose manager's revenue and commissions the user may
        learn: their own, or all for sales directors and commission accountants, as the
        quotas' record rules say. A form's onchange computes the fields of a new quota for
        any manager typed in, without those rules: the computed figures ask this."""
        if sees_every_manager(self.env):
            return self
        return self.filtered(lambda quota: quota.user_id == self.env.user)

    def _review_performance(self):
        """Review the managers of these quotas against their quotas' company settings
        (a director may close another company's periods than the one they work in)."""
        for company in self.company_id:
            self.filtered(lambda q, c=company: q.company_id == c).user_id._ams_review_performance(
                reviewer=self.env.user, company=company
            )

    def _check_director(self):
        if not acts_as_director(self.env):
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
