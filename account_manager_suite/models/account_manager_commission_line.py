import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from psycopg2.errors import SerializationFailure

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools import format_amount

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
    """One commission amount: an invoice line under a rule, or a bonus, or the cap.

    Lines are computed per manager and period by ``_compute_period`` from the
    attribution engine; each names its source invoice line, rule, rate and amount.
    """

    _name = "account.manager.commission.line"
    _queue_batch_size = 2000  # invoices per run of the queue job
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
    rate = fields.Float(string="Rate (%)", digits=(16, 4))
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
        """Values of the commission lines the managers of ``plan_of`` earn in a period.

        :param held: lines kept as they are (disputed): their invoice lines and bonuses
            are not computed again
        :param standard_rates: ``{user_id: (rate, rule_type)}`` of a settled period, whose
            tier stays the one it was settled with
        :param move_ids: only the lines of these invoices, and no bonus or cap (the
            corrections of a settled period)
        """
        currency = company.currency_id
        user_ids = list(plan_of)
        held = held or self.browse()
        held_lines = set(held.move_line_id.ids)
        held_bonuses = {(line.rule_type, line.amount) for line in held if not line.move_line_id}
        engine = self.env["account.manager.revenue"].sudo()
        rows_by_user = defaultdict(list)
        for basis in {plan.earning_basis for plan in plan_of.values()}:
            basis_users = [uid for uid, plan in plan_of.items() if plan.earning_basis == basis]
            for row in engine._commission_base(
                date_from, date_to, basis_users, basis, company_ids=company.ids
            ):
                if move_ids is None or row["move_id"] in move_ids:
                    rows_by_user[row["user_id"]].append(row)
        revenue = engine._revenue(
            date_from, date_to, ("user",), user_ids=user_ids, company_ids=company.ids
        )
        targets = {
            quota.user_id.id: quota.target
            for quota in self.env["account.manager.quota"]
            .sudo()
            .search(
                [
                    ("user_id", "in", user_ids),
                    ("company_id", "=", company.id),
                    ("date_from", "=", date_from),
                    ("date_to", "=", date_to),
                ]
            )
        }
        handover = self._handover_dates(
            {r["partner_id"] for rs in rows_by_user.values() for r in rs}
        )
        categories = self.env["product.category"].browse(
            {r["categ_id"] for rs in rows_by_user.values() for r in rs if r["categ_id"]}
        )
        vals_list = []
        for user_id, plan in plan_of.items():
            period_revenue = revenue.get((user_id,), 0.0)
            target = targets.get(user_id)
            attainment = 100.0 * period_revenue / target if target else 0.0
            standard_rate, standard_type = plan.base_rate, "base"
            if standard_rates and user_id in standard_rates:
                standard_rate, standard_type = standard_rates[user_id]
            elif plan.tier_mode != "none" and target:
                standard_type = "tier"
                if plan.tier_mode == "marginal":
                    standard_rate = (
                        100.0 * plan._marginal_commission(period_revenue, target) / period_revenue
                        if period_revenue
                        else 0.0
                    )
                else:
                    standard_rate = plan._rate_for_attainment(attainment)
            category_rates = plan._category_rates(categories)
            tier_rates = {o.tier_id.id: o.rate for o in plan.override_ids if o.tier_id}
            common = {
                "user_id": user_id,
                "plan_id": plan.id,
                "date_from": date_from,
                "date_to": date_to,
                "company_id": company.id,
            }
            total = 0.0
            for row in rows_by_user.get(user_id, []):
                if row["move_line_id"] in held_lines:
                    continue
                base = row["revenue"] - (row["cost"] if plan.amount_basis == "margin" else 0.0)
                if row["categ_id"] in category_rates:
                    rate, rule = category_rates[row["categ_id"]], "category"
                elif row["tier_id"] in tier_rates:
                    rate, rule = tier_rates[row["tier_id"]], "customer_tier"
                elif (
                    plan.new_business_months
                    and row["partner_id"] in handover
                    and row["date"]
                    < handover[row["partner_id"]] + relativedelta(months=plan.new_business_months)
                ):
                    rate, rule = plan.new_business_rate, "new_business"
                else:
                    rate, rule = standard_rate, standard_type
                amount = currency.round(base * rate / 100.0)
                total += amount
                vals_list.append(
                    {
                        **common,
                        "date": row["date"],
                        "move_line_id": row["move_line_id"],
                        "move_id": row["move_id"],
                        "partner_id": row["partner_id"],
                        "rule_type": rule,
                        "base_amount": currency.round(base),
                        "rate": rate,
                        "amount": amount,
                    }
                )
            if move_ids is not None:
                continue
            total += sum(line.amount for line in held if line.user_id.id == user_id)
            for bonus in plan.bonus_ids.sorted("threshold"):
                if target and attainment >= bonus.threshold:
                    if ("bonus", bonus.amount) in held_bonuses:
                        continue  # counted with the held lines
                    total += bonus.amount
                    vals_list.append(
                        {
                            **common,
                            "date": date_to,
                            "rule_type": "bonus",
                            "base_amount": period_revenue,
                            "rate": 0.0,
                            "amount": bonus.amount,
                        }
                    )
            if (
                plan.cap_amount
                and currency.compare_amounts(total, plan.cap_amount) > 0
                and not any(rule == "cap" for rule, _amount in held_bonuses)
            ):
                vals_list.append(
                    {
                        **common,
                        "date": date_to,
                        "rule_type": "cap",
                        "base_amount": total,
                        "rate": 0.0,
                        "amount": currency.round(plan.cap_amount - total),
                    }
                )
        return vals_list

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
                    SQL("%s::%s[]", [vals.get(column) or None for vals in vals_list], SQL(kind))
                    for column, kind in columns.items()
                ),
                uid=self.env.uid,
            )
        )
        # Nothing stored is computed from lines outside a settlement (the settlements'
        # totals are the only dependants), so there is nothing to mark as modified.
        return self.browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _cron_recompute_changed_invoices(self):
        """The incremental path, queued: the invoices posted, reset, cancelled, paid or
        re-assigned since the last run (``account.move.ams_commission_pending``), in
        batches of ``_queue_batch_size`` invoices; the scheduler runs the job again while
        some remain (each batch committed on its own)."""
        pending = [("ams_commission_pending", "=", True)]
        Move = self.env["account.move"]
        moves = Move.search(pending, order="id", limit=self._queue_batch_size)
        if moves:
            try:
                with self.env.cr.savepoint():
                    self._recompute_moves(moves)
            except (RowsBusyError, SerializationFailure):
                # a settlement is being proposed for the same managers, or was committed
                # since this job's transaction began: again in a minute, on a fresh view
                self._wake_queue(fields.Datetime.now() + relativedelta(minutes=1))
                return
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE account_move
                       SET ams_commission_pending = NULL,
                           ams_commission_date = NULL,
                           ams_commission_user_id = NULL
                     WHERE id IN %s
                    """,
                    tuple(moves.ids),
                )
            )
            moves.invalidate_recordset(
                ["ams_commission_pending", "ams_commission_date", "ams_commission_user_id"]
            )
        self.env["ir.cron"]._notify_progress(done=len(moves), remaining=Move.search_count(pending))

    @api.model
    def _wake_queue(self, at=None):
        """Have the queue job (commissions of changed invoices) run now, or at ``at``."""
        cron = self.env.ref(
            "account_manager_suite.ir_cron_recompute_changed_invoices", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger(at)

    @api.model
    def _recompute_moves(self, moves):
        """Recompute only the managers and periods that ``moves`` touch: the owner on the
        invoice date, in the invoice's period (on the paid basis, every period from the
        invoice's to the running one, where payments may be), and the same for the manager
        and date they were computed with before the change (an invoice reset and moved to
        another account or date, or re-assigned). A period that is not settled is computed
        again; a settled one is corrected in the running period."""
        moves = moves.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        owners = self.env["account.manager.ownership"]._owner_at(
            (m.commercial_partner_id.id, m.invoice_date) for m in moves if m.invoice_date
        )
        # (move, manager, date): its owner on its date now, and the manager and date its
        # commissions were last computed with
        keys = {
            (move, user_id, day)
            for move in moves
            for user_id, day in (
                (owners.get((move.commercial_partner_id.id, move.invoice_date)), move.invoice_date),
                (move.ams_commission_user_id.id, move.ams_commission_date),
            )
            if user_id and day
        }
        assignments = defaultdict(list)
        for assignment in self.env["account.manager.commission.assignment"].search(
            [("user_id", "in", list({user_id for _move, user_id, _day in keys}))]
        ):
            assignments[assignment.user_id.id].append(assignment)
        today = fields.Date.context_today(self)
        todo = defaultdict(lambda: defaultdict(set))  # period: {user_id: move ids}
        # whoever earned on these invoices so far (the owner may have changed since): their
        # periods are computed again too
        for line in self.sudo().search([("move_id", "in", moves.ids)]):
            start, end = line.plan_id._period_of(line.date)
            todo[(line.company_id, start, end)][line.user_id.id].add(line.move_id.id)
        for move, user_id, day in keys:
            plan = next(
                (
                    a.plan_id
                    for a in assignments.get(user_id, [])
                    if a.date_from <= day and (not a.date_to or a.date_to >= day)
                ),
                None,
            )
            if not plan:
                continue
            last = max(today, day) if plan.earning_basis == "paid" else None
            start, end = plan._period_of(day)
            while True:
                todo[(plan.company_id, start, end)][user_id].add(move.id)
                if not last or end >= last:
                    break
                start, end = plan._period_of(end + relativedelta(days=1))
        Settlement = self.env["account.manager.commission.settlement"]
        lines = self.browse()
        for (company, start, end), move_ids_of in todo.items():
            settled = Settlement.search(
                [
                    ("user_id", "in", list(move_ids_of)),
                    ("date_from", "=", start),
                    ("company_id", "=", company.id),
                ]
            ).user_id
            # a manager whose plan ended before the period's end is computed when a plan
            # covers it again (the settlement refuses until then), not by a scheduled job
            covered = self.env["res.users"].browse(
                list(
                    self._plans_of(
                        self.env["res.users"].browse(list(move_ids_of)), end, company, False
                    )
                )
            )
            settled &= covered
            users = covered - settled
            if users:
                lines |= self._compute_period(users, start, end, company=company)
            if settled:
                lines |= self._correct_settled(
                    settled,
                    start,
                    end,
                    company,
                    set().union(*(move_ids_of[uid] for uid in settled.ids)),
                )
        return lines

    @api.model
    def _correct_settled(self, users, date_from, date_to, company, move_ids):
        """What the invoices ``move_ids`` earn now in a settled period, minus what they
        have earned there so far (settled lines, claw-backs, earlier corrections), as
        correction lines of the running period. The settled period keeps the tier it was
        settled with; its bonuses and cap are not reopened."""
        plan_of = self._plans_of(users, date_to, company)
        self._lock_managers(users, company)
        standard = {
            line.user_id.id: (line.rate, line.rule_type)
            for line in self.sudo().search(
                [
                    ("user_id", "in", users.ids),
                    ("company_id", "=", company.id),
                    ("date_from", "=", date_from),
                    ("rule_type", "in", ("base", "tier")),
                ],
                order="id",
            )
        }
        wanted = self._period_vals(
            plan_of, date_from, date_to, company, standard_rates=standard, move_ids=move_ids
        )
        earned = self.sudo().search(
            [
                ("user_id", "in", users.ids),
                ("company_id", "=", company.id),
                ("move_id", "in", list(move_ids)),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ]
        )
        # an invoice line that was settled keeps the rule and rate it was settled with,
        # whatever the plan says now: only its amount may have changed
        currency = company.currency_id
        settled_rule = {
            (line.user_id.id, line.move_line_id.id): (line.rule_type, line.rate)
            for line in earned
            if line.state == "settled" and not line.is_correction
        }
        for vals in wanted:
            rule_rate = settled_rule.get((vals["user_id"], vals["move_line_id"]))
            if rule_rate and rule_rate != (vals["rule_type"], vals["rate"]):
                vals["rule_type"], vals["rate"] = rule_rate
                vals["amount"] = currency.round(vals["base_amount"] * vals["rate"] / 100.0)
        net = defaultdict(lambda: [0.0, 0.0])
        for line in earned:
            net[(line.user_id.id, line.move_line_id.id)][0] += line.amount
            net[(line.user_id.id, line.move_line_id.id)][1] += line.base_amount
        template = {(vals["user_id"], vals["move_line_id"]): dict(vals) for vals in wanted}
        for vals in wanted:
            net[(vals["user_id"], vals["move_line_id"])][0] -= vals["amount"]
            net[(vals["user_id"], vals["move_line_id"])][1] -= vals["base_amount"]
        for line in earned:
            template.setdefault((line.user_id.id, line.move_line_id.id), self._clawback_of(line))
        today = fields.Date.context_today(self)
        vals_list = []
        for key, (surplus, surplus_base) in net.items():
            if currency.is_zero(surplus):
                continue
            vals = template[key]
            start, end = plan_of[key[0]]._period_of(today)
            vals_list.append(
                {
                    **vals,
                    "date_from": start,
                    "date_to": end,
                    "rule_type": vals["rule_type"] if surplus < 0 else "clawback",
                    "base_amount": currency.round(-surplus_base),
                    "amount": currency.round(-surplus),
                    "is_correction": True,
                }
            )
        return self.sudo().create(vals_list)

    @api.model
    def _clawback(self, moves):
        """Invoices reset to draft or cancelled: their lines not yet in a settlement go;
        what is left of them (settled, or in a settlement on its way) is netted by a
        negative line in the running period, dated like the line it claws back, to be
        deducted by the next settlement."""
        lines = self.sudo().search([("move_id", "in", moves.ids)])
        lines.filtered(lambda line: line.state == "draft" and not line.settlement_id).unlink()
        net = defaultdict(lambda: self.browse())
        for line in lines.exists():
            net[(line.user_id, line.move_line_id, line.date)] |= line
        today = fields.Date.context_today(self)
        vals_list = []
        for kept in net.values():
            amount = sum(kept.mapped("amount"))
            if kept.currency_id.is_zero(amount):
                continue
            start, end = kept[0].plan_id._period_of(today)
            vals_list.append(
                {
                    **self._clawback_of(kept[0]),
                    "date_from": start,
                    "date_to": end,
                    "base_amount": -sum(kept.mapped("base_amount")),
                    "amount": -amount,
                    "is_correction": True,
                }
            )
        return self.sudo().create(vals_list)

    @api.model
    def _clawback_of(self, line):
        """What a claw-back of ``line`` keeps of it: the manager, plan, invoice line,
        source date and rate (amounts and period are the caller's)."""
        return {
            "user_id": line.user_id.id,
            "plan_id": line.plan_id.id,
            "date": line.date,
            "move_line_id": line.move_line_id.id,
            "move_id": line.move_id.id,
            "partner_id": line.partner_id.id,
            "rule_type": "clawback",
            "rate": line.rate,
            "company_id": line.company_id.id,
        }

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
