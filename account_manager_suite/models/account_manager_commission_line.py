import logging
from collections import defaultdict

from psycopg2.errors import SerializationFailure

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools import format_amount

from .. import calculator
from ..calculator import Calculator
from .cron_batch import run_batch
from .row_lock import RowsBusyError
from .workflow_guard import in_workflow
from .workflow_guard import workflow

_logger = logging.getLogger(__name__)


def _money(env, currency):
    """The explanations' amounts (numbers as text) as Odoo writes them: the currency's
    symbol and position, the separators of the reader's language."""

    def money(value):
        return format_amount(env, float(value), currency)

    return money


RULE_TYPES = [
    ("base", "Base Rate"),
    ("tier", "Tier Rate"),
    ("category", "Product Category Override"),
    ("customer_tier", "Customer Tier Override"),
    ("new_business", "New Business"),
    ("bonus", "Quota Bonus"),
    ("cap", "Cap"),
    ("clawback", "Claw-back"),
    ("adjustment", "Adjustment"),
]


class AccountManagerCommissionLine(models.Model):
    """One commission amount: an invoice line's share of its rule's period commission,
    or a bonus, or the cap.

    Lines are computed per manager and period by ``_compute_period``: the ledger read
    through the attribution engine, the amounts from the calculator (plain Python,
    ``account_manager_suite/calculator``); each names its source invoice line, rule,
    effective rate, amount and how it was computed (``explanation``). The computation of
    a period is in ``account_manager_commission_line_period.py``, the disputes in
    ``account_manager_commission_line_dispute.py``, the queue job in
    ``account_manager_commission_line_queue.py``, the corrections of settled periods and
    claw-backs in ``account_manager_commission_line_correction.py``.
    """

    _name = "account.manager.commission.line"
    _inherit = ["account.manager.input.mixin"]
    _description = "Commission Line"
    _order = "date_from desc, user_id, date, id"
    # money is computed, never typed: only the module's computation and actions write
    # lines (workflow_guard); a manual correction is an adjustment, with its approval
    _ams_workflow_fields = (
        "user_id",
        "plan_id",
        "date_from",
        "date_to",
        "date",
        "move_line_id",
        "move_id",
        "partner_id",
        "rule_type",
        "base_amount",
        "rate",
        "amount",
        "company_id",
        "state",
        "settlement_id",
        "is_correction",
        "disputed",
        "dispute_note",
        "explanation",
    )

    def init(self):
        result = super().init()
        # a period's lines by manager: what every recompute reads first (the queue job
        # for one invoice at size L: 75 ms of its 0.2 s on the user_id index alone), and,
        # with the company and the amount in the index, the period's commission of every
        # manager read from the index alone (the quarterly results at L: 55 ms to 26);
        # it replaces the indexes of (user_id, date_from) and of date_from of 18.0.1.0.2
        self.env.cr.execute(
            SQL(
                "DROP INDEX IF EXISTS %s, %s; "
                "CREATE INDEX IF NOT EXISTS %s ON %s (date_from, user_id) "
                "INCLUDE (company_id, amount)",
                SQL.identifier("account_manager_commission_line__user_period_index"),
                SQL.identifier("account_manager_commission_line__date_from_index"),
                SQL.identifier("account_manager_commission_line__period_user_index"),
                SQL.identifier(self._table),
            )
        )
        return result

    user_id = fields.Many2one("res.users", string="Account Manager", required=True, index=True)
    plan_id = fields.Many2one("account.manager.commission.plan", required=True, index=True)
    # indexed first in (date_from, user_id) (init)
    date_from = fields.Date(string="Period From", required=True)
    date_to = fields.Date(string="Period To", required=True)
    date = fields.Date(help="Invoice date, or payment date on the paid basis.")
    move_line_id = fields.Many2one("account.move.line", string="Invoice Line", index=True)
    move_id = fields.Many2one("account.move", string="Invoice", index=True)
    partner_id = fields.Many2one("res.partner", string="Account", index=True)
    rule_type = fields.Selection(RULE_TYPES, string="Rule", required=True)
    base_amount = fields.Monetary(string="Commissionable Amount")
    rate = fields.Float(
        string="Effective Rate (%)",
        digits=(16, 4),
        help="The rate the line's rule gave the period: the plan's rate for the base rate, "
        "overrides, new business and retroactive tiers; the blended rate of the bands for "
        "marginal tiers, the interpolated rate for linear ones. The line's amount is its "
        "share of the rule's commission on the period total (see How it was computed).",
    )
    amount = fields.Monetary(string="Commission")
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("draft", "To Settle"), ("settled", "Settled")], default="draft", required=True
    )
    settlement_id = fields.Many2one(
        "account.manager.commission.settlement", index=True, ondelete="set null", copy=False
    )
    is_correction = fields.Boolean(
        string="Correction",
        readonly=True,
        help="Corrects a period that is settled already (a claw-back, an invoice posted "
        "late or posted again): it is paid with the period it belongs to now.",
    )
    disputed = fields.Boolean(copy=False)
    dispute_note = fields.Text(copy=False)
    explanation = fields.Json(
        readonly=True,
        copy=False,
        help="How the amount was computed, structured: the rule and why it applied, the "
        "attainment, the rule's period total and the line's share of it, the tier bands.",
    )
    explanation_text = fields.Text(
        string="How it was computed", compute="_compute_explanation_text"
    )

    @api.depends("explanation", "currency_id")
    @api.depends_context("lang")
    def _compute_explanation_text(self):
        for line in self:
            line.explanation_text = (
                calculator.describe(line.explanation, self.env, _money(self.env, line.currency_id))
                if line.explanation
                else False
            )

    def write(self, vals):
        locked = {
            "amount",
            "base_amount",
            "rate",
            "rule_type",
            "move_line_id",
            "user_id",
            "date_from",
            "date_to",
            "settlement_id",
            "state",
        }
        if vals.keys() & locked and any(line.state == "settled" for line in self):
            raise UserError(
                self.env._(
                    "Settled commission lines are locked: corrections go into the next "
                    "period as claw-back or commission lines."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_kept(self):
        # computed lines go with their period's next computation; adjustments, claw-backs
        # and corrections are not computed again: only the module's own jobs remove them
        kept = self.filtered(lambda line: line.rule_type in ("adjustment", "clawback"))
        if not in_workflow(self.env) and (kept or any(self.mapped("is_correction"))):
            raise AccessError(
                self.env._(
                    "Adjustments, claw-backs and corrections of commissions are not deleted: "
                    "add an adjustment that offsets them."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_recompute(self):
        # computed lines go only with their period's recomputation (_compute_period): a
        # line deleted by hand is commission unpaid (named to run after _unlink_except_*,
        # whose messages say more)
        if not in_workflow(self.env) and self:
            raise AccessError(
                self.env._(
                    "Commission lines are removed only by recomputing their period (a "
                    "settlement proposal or the scheduled computation), not by hand."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_settled(self):
        if any(line.state == "settled" for line in self):
            raise UserError(self.env._("Settled commission lines cannot be deleted."))

    @api.model
    def _cron_recompute_running_period(self, batch_size=100):
        """Keep the running period's lines current for every manager with a plan,
        ``batch_size`` plan assignments per transaction: those not computed today; the
        scheduler runs the job again while some remain (as the commission queue)."""
        today = fields.Date.context_today(self)
        pending = [
            ("date_from", "<=", today),
            "|",
            ("date_to", "=", False),
            ("date_to", ">=", today),
            "|",
            ("commissions_computed_on", "=", False),
            ("commissions_computed_on", "<", today),
        ]
        run_batch(
            self.env["account.manager.commission.assignment"],
            pending,
            batch_size,
            lambda assignments: self._recompute_running_period(assignments, today),
        )

    @api.model
    def _recompute_running_period(self, assignments, today):
        """The running period's lines of the managers of ``assignments`` computed again,
        once per company and period, and the assignments marked as computed ``today``
        (those whose period is settled or whose plan ends before the period's end too:
        nothing to compute). A computation someone else runs right now (a settlement,
        the queue job) leaves its assignments to the scheduler's next batch."""
        groups = defaultdict(lambda: assignments.browse())
        for assignment in assignments:
            key = (assignment.plan_id.company_id, assignment.plan_id._period_of(today))
            groups[key] |= assignment
        Settlement = self.env["account.manager.commission.settlement"]
        for (company, (start, end)), group in groups.items():
            settled = Settlement.search(
                [("date_from", "=", start), ("company_id", "=", company.id)]
            )
            users = group.user_id - settled.user_id
            users = users.browse(list(self._plans_of(users, end, company, strict=False)))
            try:
                with self.env.cr.savepoint():
                    if users:
                        self.with_company(company)._compute_period(
                            users, start, end, company=company
                        )
                    workflow(group).write({"commissions_computed_on": today})
            except (RowsBusyError, SerializationFailure):
                _logger.info("Commissions of %s busy, left to the next run", users.mapped("login"))

    # ------------------------------------------------------------------------------
    # What-if: the same calculator with a quotation as one more row
    # ------------------------------------------------------------------------------

    @api.model
    def _running_period(self, user, company, day=None):
        """The calculator's input for the running period of ``user`` (the lines as
        ``_compute_period`` would compute them now), or ``None`` without a plan or
        when the period is settled already."""
        day = day or fields.Date.context_today(self)
        plan = self._plans_of(user, day, company, strict=False).get(user.id)
        if not plan:
            return None
        start, end = plan._period_of(day)
        domain = [("user_id", "=", user.id), ("date_from", "=", start)]
        domain.append(("company_id", "=", company.id))
        # sudo: whether the manager's own running period is settled, and its held lines
        # and figures below, for the quotation's what-if (the manager may not read them all)
        if self.env["account.manager.commission.settlement"].sudo().search_count(domain):
            return None
        held = self.sudo().search(
            [
                *domain,
                ("state", "=", "draft"),
                ("settlement_id", "=", False),
                ("rule_type", "!=", "clawback"),
                ("is_correction", "=", False),
                ("disputed", "=", True),
            ]
        )
        # sudo: the calculator's input of that one manager and period (as above)
        return self.sudo()._calculator_periods({user.id: plan}, start, end, company, held)[user.id]

    @api.model
    def _order_rows(self, order, plan, day):
        """The product lines of a quotation as calculator rows, as if invoiced on
        ``day`` at their untaxed amount (in the company currency)."""
        company = order.company_id
        partner = order.partner_id.commercial_partner_id
        handover = self._handover_dates({partner.id}) if plan.new_business_months else {}
        until = self._new_business_until(plan, handover, {partner.id})
        lines = order.order_line.filtered(lambda line: not line.display_type and line.product_id)
        paths = self._category_paths(set(lines.product_id.categ_id.ids))
        return [
            self._prepare_calculator_row(
                {
                    # below the invoice lines' ids; the form's unsaved lines have none yet
                    "move_line_id": -number,
                    "move_id": None,
                    "partner_id": partner.id,
                    "date": day,
                    "revenue": order.currency_id._convert(
                        line.price_subtotal, company.currency_id, company, day
                    ),
                    "cost": line.product_id.with_company(company).standard_price
                    * line.product_uom_qty,
                    "categ_id": line.product_id.categ_id.id,
                    "tier_id": partner.account_tier_id.id or None,
                },
                plan,
                until,
                paths,
            )
            for number, line in enumerate(lines, 1)
        ]

    @api.model
    def _what_if_order(self, order, user):
        """What ``order`` would add to the running period of ``user`` if invoiced today
        at its untaxed amount: a ``calculator.whatif.WhatIf``, or ``None``."""
        period = self._running_period(user, order.company_id)
        if period is None:
            return None
        day = fields.Date.context_today(self)
        plan = self._plans_of(user, day, order.company_id, strict=False)[user.id]
        rows = self._order_rows(order, plan, day)
        calc = Calculator(self._prepare_rate_rules(plan))
        return calculator.what_if(period, rows, calculator=calc)

    @api.model
    def _what_if_text(self, what_if, currency):
        """``+ 1,234.00 commission; attainment 96% → 104%; rate 5% → 8%``."""
        params = {
            "amount": format_amount(self.env, float(what_if.commission), currency),
            "rate_before": calculator.explain.text(what_if.rate_before),
            "rate_after": calculator.explain.text(what_if.rate_after),
        }
        if what_if.attainment_before is None:
            return self.env._(
                "+ %(amount)s commission; rate %(rate_before)s%% → %(rate_after)s%%", **params
            )
        params["before"] = f"{what_if.attainment_before:.0f}"
        params["after"] = f"{what_if.attainment_after:.0f}"
        return self.env._(
            "+ %(amount)s commission; attainment %(before)s%% → %(after)s%%; "
            "rate %(rate_before)s%% → %(rate_after)s%%",
            **params,
        )
