from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL

from .res_partner import DIRECTOR_GROUP

RULE_TYPES = [
    ("base", "Base Rate"),
    ("tier", "Tier Rate"),
    ("category", "Product Category Override"),
    ("customer_tier", "Customer Tier Override"),
    ("new_business", "New Business"),
    ("bonus", "Quota Bonus"),
    ("cap", "Cap"),
    ("clawback", "Claw-back"),
]


class AccountManagerCommissionLine(models.Model):
    """One commission amount: an invoice line under a rule, or a bonus, or the cap.

    Lines are computed per manager and period by ``_compute_period`` from the
    attribution engine; each names its source invoice line, rule, rate and amount.
    """

    _name = "account.manager.commission.line"
    _description = "Commission Line"
    _order = "date_from desc, user_id, date, id"

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
            if users:
                self.with_company(company)._compute_period(users, start, end, company=company)

    def action_dispute(self, note=None):
        """The manager holds a line of their statement: it stays out of the bill until a
        director resolves it."""
        for line in self:
            if line.state == "settled":
                raise UserError(self.env._("A settled commission line cannot be disputed."))
            if line.user_id != self.env.user and not self.env.user.has_group(DIRECTOR_GROUP):
                raise AccessError(self.env._("Only the line's account manager may dispute it."))
        self.sudo().write({"disputed": True, "dispute_note": note or False})
        return True

    def action_resolve_dispute(self):
        if not self.env.user.has_group(DIRECTOR_GROUP):
            raise AccessError(self.env._("Only a Sales Director resolves disputed lines."))
        self.write({"disputed": False})
        return True

    @api.model
    def _compute_period(self, users, date_from, date_to, company=None):
        """(Re)compute the commission lines of ``users`` for one period, from scratch.

        A fixed number of queries for the whole batch: one engine read of the invoice
        lines per earning basis, one of the period revenue for attainment, one of the
        quotas; then one create.
        """
        company = company or self.env.company
        currency = company.currency_id
        assignments = self.env["account.manager.commission.assignment"].search(
            [
                ("user_id", "in", users.ids),
                ("company_id", "=", company.id),
                ("date_from", "<=", date_to),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", date_to),
            ]
        )
        plan_of = {a.user_id.id: a.plan_id for a in assignments}
        missing = users.filtered(lambda u: u.id not in plan_of)
        if missing:
            raise UserError(
                self.env._(
                    "%(users)s have no commission plan on %(day)s: assign them a plan first.",
                    users=", ".join(missing.mapped("name")),
                    day=date_to,
                )
            )
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
        self.search(
            [
                ("user_id", "in", users.ids),
                ("date_from", "=", date_from),
                ("company_id", "=", company.id),
                ("state", "=", "draft"),
                ("settlement_id", "=", False),
                ("disputed", "=", False),
                ("rule_type", "!=", "clawback"),
            ]
        ).unlink()
        engine = self.env["account.manager.revenue"].sudo()
        rows_by_user = defaultdict(list)
        for basis in {plan.earning_basis for plan in plan_of.values()}:
            basis_users = [uid for uid, plan in plan_of.items() if plan.earning_basis == basis]
            for row in engine._commission_base(
                date_from, date_to, basis_users, basis, company_ids=company.ids
            ):
                rows_by_user[row["user_id"]].append(row)
        revenue = engine._revenue(
            date_from, date_to, ("user",), user_ids=users.ids, company_ids=company.ids
        )
        targets = {
            quota.user_id.id: quota.target
            for quota in self.env["account.manager.quota"]
            .sudo()
            .search(
                [
                    ("user_id", "in", users.ids),
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
        for user in users:
            plan = plan_of[user.id]
            period_revenue = revenue.get((user.id,), 0.0)
            target = targets.get(user.id)
            attainment = 100.0 * period_revenue / target if target else 0.0
            standard_rate, standard_type = plan.base_rate, "base"
            if plan.tier_mode != "none" and target:
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
                "user_id": user.id,
                "plan_id": plan.id,
                "date_from": date_from,
                "date_to": date_to,
                "company_id": company.id,
            }
            total = 0.0
            for row in rows_by_user.get(user.id, []):
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
            for bonus in plan.bonus_ids.sorted("threshold"):
                if target and attainment >= bonus.threshold:
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
            if plan.cap_amount and currency.compare_amounts(total, plan.cap_amount) > 0:
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
        return self._create_bulk(vals_list)

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
    def _recompute_moves(self, moves):
        """The incremental path: recompute only the managers and periods that ``moves``
        touch (their attributed owner on the invoice date), unless already settled."""
        moves = moves.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        owners = self.env["account.manager.ownership"]._owner_at(
            (m.commercial_partner_id.id, m.invoice_date) for m in moves if m.invoice_date
        )
        todo = defaultdict(set)
        assignments = self.env["account.manager.commission.assignment"].search(
            [("user_id", "in", list(set(owners.values())))]
        )
        for (_partner_id, day), user_id in owners.items():
            plan = assignments.filtered(
                lambda a, u=user_id, d=day: a.user_id.id == u
                and a.date_from <= d
                and (not a.date_to or a.date_to >= d)
            ).plan_id[:1]
            if plan:
                todo[(plan.company_id, plan._period_of(day))].add(user_id)
        Settlement = self.env["account.manager.commission.settlement"]
        lines = self.browse()
        for (company, (start, end)), user_ids in todo.items():
            settled = Settlement.search(
                [
                    ("user_id", "in", list(user_ids)),
                    ("date_from", "=", start),
                    ("company_id", "=", company.id),
                ]
            ).user_id
            users = self.env["res.users"].browse(user_ids) - settled
            if users:
                lines |= self._compute_period(users, start, end, company=company)
        return lines

    @api.model
    def _clawback(self, moves):
        """Invoices reset to draft or cancelled: their lines not yet in a settlement go;
        for those already in one (settled or on its way) a negative line of the same
        amount goes into the running period, to be netted by the next settlement."""
        lines = self.sudo().search([("move_id", "in", moves.ids), ("rule_type", "!=", "clawback")])
        already_clawed = (
            self.sudo()
            .search(
                [("move_line_id", "in", lines.move_line_id.ids), ("rule_type", "=", "clawback")]
            )
            .move_line_id
        )
        lines.filtered(lambda line: line.state == "draft" and not line.settlement_id).unlink()
        kept = lines.exists().filtered(lambda line: line.move_line_id not in already_clawed)
        today = fields.Date.context_today(self)
        vals_list = []
        for line in kept:
            start, end = line.plan_id._period_of(today)
            vals_list.append(
                {
                    "user_id": line.user_id.id,
                    "plan_id": line.plan_id.id,
                    "date_from": start,
                    "date_to": end,
                    "date": today,
                    "move_line_id": line.move_line_id.id,
                    "move_id": line.move_id.id,
                    "partner_id": line.partner_id.id,
                    "rule_type": "clawback",
                    "base_amount": -line.base_amount,
                    "rate": line.rate,
                    "amount": -line.amount,
                    "company_id": line.company_id.id,
                }
            )
        return self.sudo().create(vals_list)

    @api.model
    def _handover_dates(self, partner_ids):
        """First day each account was owned by an account manager after business
        development (hand-over, else its first period): the start of new business."""
        first, handovers = {}, {}
        # one query whatever the number of accounts: the fields are fetched with the search
        periods = (
            self.env["account.manager.ownership"]
            .sudo()
            .search_fetch(
                [("partner_id", "in", list(partner_ids))],
                ["partner_id", "date_from", "reason"],
                order="date_from",
            )
        )
        for period in periods:
            first.setdefault(period.partner_id.id, period.date_from)
            if period.reason == "handover":
                handovers.setdefault(period.partner_id.id, period.date_from)
        return {pid: handovers.get(pid, day) for pid, day in first.items()}
