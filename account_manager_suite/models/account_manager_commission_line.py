import json
import logging
from collections import defaultdict
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools import format_amount

from .. import calculator
from ..calculator import Calculator
from .res_partner import DIRECTOR_GROUP
from .row_lock import RowsBusyError
from .row_lock import lock_rows_nowait
from .workflow_guard import in_workflow
from .workflow_guard import workflow

_logger = logging.getLogger(__name__)

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
    effective rate, amount and how it was computed (``explanation``). The queue job is
    in ``account_manager_commission_line_queue.py``, the corrections of settled periods and
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
    )

    user_id = fields.Many2one("res.users", string="Account Manager", required=True, index=True)
    plan_id = fields.Many2one("account.manager.commission.plan", required=True, index=True)
    date_from = fields.Date(string="Period From", required=True, index=True)
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

    @api.depends("explanation")
    @api.depends_context("lang")
    def _compute_explanation_text(self):
        for line in self:
            line.explanation_text = (
                calculator.describe(line.explanation, self.env) if line.explanation else False
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
    def _cron_recompute_running_period(self):
        """Keep the running period's lines current for every manager with a plan."""
        today = fields.Date.context_today(self)
        assignments = self.env["account.manager.commission.assignment"].search(
            [("date_from", "<=", today), "|", ("date_to", "=", False), ("date_to", ">=", today)]
        )
        batches = defaultdict(lambda: self.env["res.users"])
        for assignment in assignments:
            key = (assignment.plan_id.company_id, assignment.plan_id._period_of(today))
            batches[key] |= assignment.user_id
        settled = self.env["account.manager.commission.settlement"]
        for (company, (start, end)), users in batches.items():
            users -= settled.search(
                [("date_from", "=", start), ("company_id", "=", company.id)]
            ).user_id
            users = users.browse(list(self._plans_of(users, end, company, strict=False)))
            if not users:
                continue
            try:
                with self.env.cr.savepoint():
                    self.with_company(company)._compute_period(users, start, end, company=company)
            except RowsBusyError:
                # someone is computing them right now (a settlement, the queue job)
                _logger.info("Commissions of %s busy, left to the next run", users.mapped("login"))

    def action_dispute(self, note=None):
        """The manager holds a line of their statement: it stays out of the bill until a
        director resolves it."""
        for line in self:
            if line.state == "settled":
                raise UserError(self.env._("A settled commission line cannot be disputed."))
            if line.user_id != self.env.user and not self.env.user.has_group(DIRECTOR_GROUP):
                raise AccessError(self.env._("Only the line's account manager may dispute it."))
        # sudo: checked above (the line's own manager, or a director); the manager has no
        # write right on lines
        self.sudo().write({"disputed": True, "dispute_note": note or False})
        self._post_on_settlements(
            self.env._("%(user)s disputed: %(note)s", user=self.env.user.name, note=note or "")
        )
        # sudo: the to-do on the settlement of these lines, for its approving director
        self.sudo().settlement_id._ask_to_resolve(note)
        return True

    def action_resolve_dispute(self):
        if not self.env.user.has_group(DIRECTOR_GROUP):
            raise AccessError(self.env._("Only a Sales Director resolves disputed lines."))
        workflow(self).write({"disputed": False})
        self._post_on_settlements(
            self.env._("%(user)s resolved the dispute.", user=self.env.user.name)
        )
        # the director's to-do is done once no line of the settlement is disputed
        # sudo: the settlements of these lines, whose to-do is marked done
        settled_down = self.sudo().settlement_id.filtered(
            lambda s: not any(s.line_ids.mapped("disputed"))
        )
        settled_down.activity_feedback(
            ["mail.mail_activity_data_todo"],
            feedback=self.env._("Resolved by %(user)s.", user=self.env.user.name),
        )
        return True

    def _post_on_settlements(self, text):
        """Tell the settlements of these lines (their chatter) what happened to them."""
        # sudo: a note in the chatter of these lines' own settlements (text is escaped)
        for settlement in self.sudo().settlement_id:
            lines = self.filtered(lambda line, s=settlement: line.settlement_id == s)
            settlement.message_post(
                body=self.env._(
                    "%(text)s (%(count)s line(s), %(amount)s)",
                    text=text,
                    count=len(lines),
                    amount=format_amount(
                        self.env, sum(lines.mapped("amount")), lines.currency_id[:1]
                    ),
                )
            )

    @api.model
    def _compute_period(self, users, date_from, date_to, company=None):
        """(Re)compute the commission lines of ``users`` for one period, from scratch.

        A fixed number of queries for the whole batch: one engine read of the invoice
        lines per earning basis, one of the period revenue for attainment, one of the
        quotas; then one create. Lines that are held (disputed) or correct a settled
        period stay as they are.
        """
        company = company or self.env.company
        plan_of = self._plans_of(users, date_to, company)
        self._lock_managers(users, company)
        in_settlement = self.env["account.manager.commission.settlement"].search(
            [
                ("user_id", "in", users.ids),
                ("date_from", "=", date_from),
                ("company_id", "=", company.id),
            ]
        )
        if in_settlement:
            raise UserError(
                self.env._(
                    "The commissions of %(users)s for the period from %(day)s are in a "
                    "settlement already: corrections go into the next period.",
                    users=", ".join(in_settlement.user_id.mapped("name")),
                    day=date_from,
                )
            )
        unsettled = self.search(
            [
                ("user_id", "in", users.ids),
                ("date_from", "=", date_from),
                ("company_id", "=", company.id),
                ("state", "=", "draft"),
                ("settlement_id", "=", False),
                # adjustments are approved by a director, not computed: they stay
                ("rule_type", "not in", ("clawback", "adjustment")),
                ("is_correction", "=", False),
            ]
        )
        held = unsettled.filtered("disputed")
        workflow(unsettled - held).unlink()
        return self._create_bulk(self._period_vals(plan_of, date_from, date_to, company, held=held))

    @api.model
    def _lock_managers(self, users, company):
        """One computation of a manager's commissions at a time (a scheduled job, a
        settlement proposal, a user's recompute): lock their plan assignments and write
        them, so that another transaction computing for them is refused at once while
        this one runs, and fails to serialize (and is retried) when it started before
        this one committed, instead of adding the same period's lines a second time."""
        assignments = (
            self.env["account.manager.commission.assignment"]
            .sudo()
            .search([("user_id", "in", users.ids), ("company_id", "=", company.id)])
        )
        if not assignments:
            return
        lock_rows_nowait(
            assignments,
            self.env._(
                "The commissions of %(users)s are being computed by someone else or by a "
                "scheduled action right now: try again in a moment.",
                users=", ".join(assignments.user_id.mapped("name")),
            ),
        )
        self.env.cr.execute(
            SQL(
                "UPDATE account_manager_commission_assignment SET write_date = write_date "
                "WHERE id IN %s",
                tuple(assignments.ids),
            )
        )

    @api.model
    def _plans_of(self, users, day, company, strict=True):
        """The commission plan of each manager on ``day``: ``{user_id: plan}``; a manager
        without one is refused, or left out when not ``strict``."""
        assignments = self.env["account.manager.commission.assignment"].search(
            [
                ("user_id", "in", users.ids),
                ("company_id", "=", company.id),
                ("date_from", "<=", day),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", day),
            ]
        )
        plan_of = {a.user_id.id: a.plan_id for a in assignments}
        missing = users.filtered(lambda u: u.id not in plan_of)
        if missing and strict:
            raise UserError(
                self.env._(
                    "%(users)s have no commission plan on %(day)s: assign them a plan first.",
                    users=", ".join(missing.mapped("name")),
                    day=day,
                )
            )
        return plan_of

    @api.model
    def _period_vals(
        self, plan_of, date_from, date_to, company, held=None, standard_rates=None, move_ids=None
    ):
        """Values of the commission lines the managers of ``plan_of`` earn in a period:
        the ledger read through the attribution engine, the amounts and explanations
        from the calculator (``account_manager_suite/calculator``).

        :param held: lines kept as they are (disputed): their invoice lines and bonuses
            are not computed again
        :param standard_rates: ``{user_id: (rate, rule_type)}`` of a settled period, whose
            tier stays the one it was settled with
        :param move_ids: only the lines of these invoices, and no bonus or cap (the
            corrections of a settled period)
        """
        periods = self._calculator_periods(
            plan_of, date_from, date_to, company, held or self.browse(), standard_rates, move_ids
        )
        vals_list = []
        for user_id, plan in plan_of.items():
            result = Calculator(self._prepare_rate_rules(plan)).compute(periods[user_id])
            common = {
                "user_id": user_id,
                "plan_id": plan.id,
                "date_from": date_from,
                "date_to": date_to,
                "company_id": company.id,
            }
            vals_list += [self._prepare_commission_line_vals(line, common) for line in result.lines]
        return vals_list

    @api.model
    def _calculator_periods(
        self, plan_of, date_from, date_to, company, held, standard_rates=None, move_ids=None
    ):
        """The calculator's input per manager: ``{user_id: calculator.Period}``.

        One engine read of the invoice lines per earning basis, one of the period revenue
        for attainment, one of the quotas, one of the hand-over dates."""
        engine = self.env["account.manager.revenue"].sudo()
        user_ids = list(plan_of)
        held_lines = set(held.move_line_id.ids)
        rows_by_user = defaultdict(list)
        for basis in {plan.earning_basis for plan in plan_of.values()}:
            basis_users = [uid for uid, plan in plan_of.items() if plan.earning_basis == basis]
            for row in engine._commission_base(
                date_from, date_to, basis_users, basis, company_ids=company.ids
            ):
                if (move_ids is None or row["move_id"] in move_ids) and row[
                    "move_line_id"
                ] not in held_lines:
                    rows_by_user[row["user_id"]].append(row)
        revenue = engine._revenue(
            date_from, date_to, ("user",), user_ids=user_ids, company_ids=company.ids
        )
        targets = self._period_targets(user_ids, date_from, date_to, company)
        every_row = [r for rows in rows_by_user.values() for r in rows]
        handover = self._handover_dates({r["partner_id"] for r in every_row})
        paths = self._category_paths({r["categ_id"] for r in every_row if r["categ_id"]})
        rounding = _decimal(company.currency_id.rounding)
        periods = {}
        for user_id, plan in plan_of.items():
            settled = (standard_rates or {}).get(user_id)
            periods[user_id] = calculator.Period(
                plan=plan._calculator_plan(),
                rows=tuple(
                    self._prepare_calculator_row(row, plan, handover, paths)
                    for row in rows_by_user.get(user_id, [])
                ),
                quota=_decimal(targets.get(user_id) or 0),
                attainment_revenue=_decimal(revenue.get((user_id,), 0.0)),
                rounding=rounding,
                settled=settled and calculator.SettledRate(settled[1], _decimal(settled[0])),
                held=tuple(
                    calculator.Held(line.rule_type, _decimal(line.amount))
                    for line in held
                    if line.user_id.id == user_id
                ),
                period_rules=move_ids is None,
            )
        return periods

    @api.model
    def _period_targets(self, user_ids, date_from, date_to, company):
        """The quota target of each manager for the period: ``{user_id: target}``."""
        quotas = (
            self.env["account.manager.quota"]
            .sudo()
            .search(
                [
                    ("user_id", "in", user_ids),
                    ("company_id", "=", company.id),
                    ("date_from", "=", date_from),
                    ("date_to", "=", date_to),
                ]
            )
        )
        return {quota.user_id.id: quota.target for quota in quotas}

    @api.model
    def _category_paths(self, categ_ids):
        """Each product category with its parents, nearest first: ``{categ_id: (ids)}``
        (the calculator takes the most specific override)."""
        return {
            category.id: tuple(int(i) for i in reversed(category.parent_path.strip("/").split("/")))
            for category in self.env["product.category"].browse(categ_ids)
        }

    # ------------------------------------------------------------------------------
    # Hooks for integrators (see README: an example addon overriding one of them)
    # ------------------------------------------------------------------------------

    @api.model
    def _prepare_rate_rules(self, plan):
        """The rate rules deciding the rate of each row of ``plan``, first match wins
        (``calculator.rules``: category override, customer-tier override, new
        business, standard). A rule is ``rule(row, context) -> Decision | None``;
        return another tuple to add one, e.g. ``(my_rule, *super()._prepare_rate_rules(plan))``.
        """
        return calculator.DEFAULT_RATE_RULES

    @api.model
    def _prepare_calculator_row(self, row, plan, handover, paths):
        """One row of the attribution engine (``_commission_base``) as the calculator's
        ``Row``: the invoice line, its revenue and cost, product category path,
        customer tier and the end of the customer's new business."""
        until = None
        if plan.new_business_months and row["partner_id"] in handover:
            until = handover[row["partner_id"]] + relativedelta(months=plan.new_business_months)
        return calculator.Row(
            key=row["move_line_id"],
            date=row["date"],
            revenue=_decimal(row["revenue"] or 0.0),
            cost=_decimal(row["cost"] or 0.0),
            partner_id=row["partner_id"],
            categ_path=paths.get(row["categ_id"], ()),
            customer_tier=row["tier_id"],
            new_business_until=until,
            ref=row["move_id"],
        )

    @api.model
    def _prepare_commission_line_vals(self, line, common):
        """The values of the commission line of a calculator ``line`` (an invoice line's
        share of its rule's period commission, a bonus or the cap); ``common`` holds
        the manager, plan, period and company."""
        vals = {
            **common,
            "date": common["date_to"],
            "rule_type": line.rule,
            "base_amount": float(line.base),
            "rate": float(line.rate),
            "amount": float(line.amount),
            "explanation": line.explanation,
        }
        if line.row is not None:
            vals.update(
                date=line.row.date,
                move_line_id=line.row.key,
                move_id=line.row.ref,
                partner_id=line.row.partner_id,
            )
        return vals

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
        return self.sudo()._calculator_periods({user.id: plan}, start, end, company, held)[user.id]

    @api.model
    def _order_rows(self, order, plan, day):
        """The product lines of a quotation as calculator rows, as if invoiced on
        ``day`` at their untaxed amount (in the company currency)."""
        company = order.company_id
        partner = order.partner_id.commercial_partner_id
        handover = self._handover_dates({partner.id}) if plan.new_business_months else {}
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
                handover,
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

    @api.model
    def _create_bulk(self, vals_list):
        """Create computed lines with one ``INSERT … SELECT unnest(…)``.

        A quarter of a large company has hundreds of thousands of lines; ``create`` would
        spend most of its time converting each monetary value through its record's
        currency. The values come from ``_compute_period`` only, already rounded, for a
        model without defaults to apply, stored computed fields or chatter.
        """
        if not vals_list:
            return self.browse()
        columns = {
            "user_id": "int4",
            "plan_id": "int4",
            "date_from": "date",
            "date_to": "date",
            "date": "date",
            "move_line_id": "int4",
            "move_id": "int4",
            "partner_id": "int4",
            "rule_type": "varchar",
            "base_amount": "numeric",
            "rate": "float8",
            "amount": "numeric",
            "company_id": "int4",
            "explanation": "jsonb",
        }
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO account_manager_commission_line (%(names)s, state, disputed,
                       create_uid, write_uid, create_date, write_date)
                SELECT *, 'draft', false, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
                       now() AT TIME ZONE 'UTC'
                  FROM unnest(%(arrays)s)
             RETURNING id
                """,
                names=SQL(", ").join(SQL.identifier(column) for column in columns),
                arrays=SQL(", ").join(
                    SQL("%s::%s[]", [_column_value(vals, column) for vals in vals_list], SQL(kind))
                    for column, kind in columns.items()
                ),
                uid=self.env.uid,
            )
        )
        # Nothing stored is computed from lines outside a settlement (the settlements'
        # totals are the only dependants), so there is nothing to mark as modified.
        return self.browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _handover_dates(self, partner_ids):
        """First day each account was owned by an account manager after business
        development (hand-over, else its first period): the start of new business."""
        if not partner_ids:
            return {}
        self.env["account.manager.ownership"].flush_model(["partner_id", "date_from", "reason"])
        # one aggregate whatever the number of accounts
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id,
                       COALESCE(MIN(date_from) FILTER (WHERE reason = 'handover'),
                                MIN(date_from))
                  FROM account_manager_ownership
                 WHERE partner_id = ANY(%s)
              GROUP BY partner_id
                """,
                list(partner_ids),
            )
        )
        return dict(self.env.cr.fetchall())


def _decimal(value):
    """A float of the ORM as the calculator's Decimal (its shortest representation)."""
    return Decimal(repr(float(value)))


def _column_value(vals, column):
    value = vals.get(column)
    if column == "explanation":
        return json.dumps(value) if value else None
    return value or None
