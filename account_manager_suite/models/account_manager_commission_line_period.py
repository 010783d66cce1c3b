from collections import defaultdict
from decimal import Decimal
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .. import calculator
from ..calculator import Calculator
from .bulk_copy import NULL
from .bulk_copy import copy_json
from .bulk_copy import copy_new_records
from .bulk_copy import copy_text
from .row_lock import lock_rows_nowait
from .workflow_guard import workflow


class AccountManagerCommissionLinePeriod(models.Model):
    """The computation of a period's commission lines (``_compute_period``): the managers
    locked, their plans, the ledger read through the attribution engine, the calculator's
    input and its lines as values (the hooks for integrators), one bulk insert."""

    # a file of its own on purpose: one concern each (disputes, period, queue, corrections)
    _inherit = "account.manager.commission.line"  # pylint: disable=consider-merging-classes-inherited

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
        unsettled = [
            ("user_id", "in", users.ids),
            ("date_from", "=", date_from),
            ("company_id", "=", company.id),
            ("state", "=", "draft"),
            ("settlement_id", "=", False),
            # adjustments are approved by a director, not computed: they stay
            ("rule_type", "not in", ("clawback", "adjustment")),
            ("is_correction", "=", False),
        ]
        # two searches of ids rather than one filtered in Python, which would read every
        # field of every line to find the few disputed ones; ordered by id, where the
        # model's order sorts by the managers' names (two joins)
        held = self.search([*unsettled, ("disputed", "=", True)], order="id")
        workflow(self.search([*unsettled, ("disputed", "=", False)], order="id")).unlink()
        vals = self._period_vals_lazy(plan_of, date_from, date_to, company, held=held)
        return self._create_bulk(vals)

    @api.model
    def _lock_managers(self, users, company):
        """One computation of a manager's commissions at a time (a scheduled job, a
        settlement proposal, a user's recompute): lock their plan assignments and write
        them, so that another transaction computing for them is refused at once while
        this one runs, and fails to serialize (and is retried) when it started before
        this one committed, instead of adding the same period's lines a second time."""
        # sudo: the plan assignments of the managers being computed, only locked and
        # touched (whoever may start the computation: a proposal, a job, a recompute)
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
        return list(
            self._period_vals_lazy(
                plan_of, date_from, date_to, company, held, standard_rates, move_ids
            )
        )

    @api.model
    def _period_vals_lazy(
        self, plan_of, date_from, date_to, company, held=None, standard_rates=None, move_ids=None
    ):
        """``_period_vals`` as they are computed, manager by manager (the ledger is read
        at once): ``_create_bulk`` writes the lines of a manager while the calculator
        computes the next one's.

        :return: an iterator of vals
        """
        inputs = self._calculator_inputs(
            plan_of, date_from, date_to, company, held or self.browse(), standard_rates, move_ids
        )

        def vals():
            # a manager's calculator input made when the lines before are written
            for user_id, plan in plan_of.items():
                period = self._calculator_period(inputs, user_id, plan)
                result = Calculator(self._prepare_rate_rules(plan)).compute(period)
                common = {
                    "user_id": user_id,
                    "plan_id": plan.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "company_id": company.id,
                }
                for line in result.lines:
                    yield self._prepare_commission_line_vals(line, common)

        return vals()

    @api.model
    def _calculator_periods(
        self, plan_of, date_from, date_to, company, held, standard_rates=None, move_ids=None
    ):
        """The calculator's input per manager: ``{user_id: calculator.Period}``."""
        inputs = self._calculator_inputs(
            plan_of, date_from, date_to, company, held, standard_rates, move_ids
        )
        return {
            user_id: self._calculator_period(inputs, user_id, plan)
            for user_id, plan in plan_of.items()
        }

    @api.model
    def _calculator_inputs(
        self, plan_of, date_from, date_to, company, held, standard_rates=None, move_ids=None
    ):
        """What the calculator's inputs of the managers of ``plan_of`` are made of, read
        at once: one engine read of the invoice lines per earning basis, one of the period
        revenue for attainment, one of the quotas, one of the hand-over dates."""
        # sudo: the ledger of the managers computed, read for their commission lines only
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
        every_row = [r for rows in rows_by_user.values() for r in rows]
        return {
            "rows": rows_by_user,
            "revenue": engine._revenue(
                date_from, date_to, ("user",), user_ids=user_ids, company_ids=company.ids
            ),
            "targets": self._period_targets(user_ids, date_from, date_to, company),
            # the start of new business, for the plans that pay a rate for it
            "handover": self._handover_dates({r["partner_id"] for r in every_row})
            if any(plan.new_business_months for plan in plan_of.values())
            else {},
            "paths": self._category_paths({r["categ_id"] for r in every_row if r["categ_id"]}),
            "rounding": _decimal(company.currency_id.rounding),
            "plans": {plan.id: plan._calculator_plan() for plan in set(plan_of.values())},
            "held": held,
            "standard_rates": standard_rates or {},
            "period_rules": move_ids is None,
        }

    @api.model
    def _calculator_period(self, inputs, user_id, plan):
        """The calculator's input of one manager (``calculator.Period``), from
        ``_calculator_inputs`` (no query: made while the lines before are written)."""
        settled = inputs["standard_rates"].get(user_id)
        rows = inputs["rows"].get(user_id, [])
        until = self._new_business_until(
            plan, inputs["handover"], {row["partner_id"] for row in rows}
        )
        return calculator.Period(
            plan=inputs["plans"][plan.id],
            rows=tuple(
                self._prepare_calculator_row(row, plan, until, inputs["paths"]) for row in rows
            ),
            quota=_decimal(inputs["targets"].get(user_id) or 0),
            attainment_revenue=_decimal(inputs["revenue"].get((user_id,), 0.0)),
            rounding=inputs["rounding"],
            settled=settled and calculator.SettledRate(settled[1], _decimal(settled[0])),
            held=tuple(
                calculator.Held(line.rule_type, _decimal(line.amount))
                for line in inputs["held"]
                if line.user_id.id == user_id
            ),
            period_rules=inputs["period_rules"],
        )

    @api.model
    def _period_targets(self, user_ids, date_from, date_to, company):
        """The quota target of each manager for the period: ``{user_id: target}``."""
        # sudo: the targets of the managers computed, read for their attainment only
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
    def _new_business_until(self, plan, handover, partner_ids):
        """The end of each customer's new business under ``plan``: ``{partner_id: day}``
        for the customers of ``partner_ids`` with a hand-over date (``_handover_dates``),
        none when the plan pays no new business rate."""
        months = plan.new_business_months
        if not months:
            return {}
        shift = relativedelta(months=months)
        return {pid: handover[pid] + shift for pid in partner_ids if pid in handover}

    @api.model
    def _prepare_calculator_row(self, row, plan, new_business_until, paths):
        """One row of the attribution engine (``_commission_base``) as the calculator's
        ``Row``: the invoice line, its revenue and cost, product category path,
        customer tier and the end of the customer's new business
        (``new_business_until``: ``{partner_id: day}``, ``_new_business_until``)."""
        return calculator.Row(
            key=row["move_line_id"],
            date=row["date"],
            revenue=_decimal(row["revenue"] or 0.0),
            cost=_decimal(row["cost"] or 0.0),
            partner_id=row["partner_id"],
            categ_path=paths.get(row["categ_id"], ()),
            customer_tier=row["tier_id"],
            new_business_until=new_business_until.get(row["partner_id"]),
            ref=row["move_id"],
        )

    @api.model
    def _prepare_commission_line_vals(self, line, common):
        """The values of the commission line of a calculator ``line`` (an invoice line's
        share of its rule's period commission, a bonus or the cap); ``common`` holds
        the manager, plan, period and company. Any other stored field of the line added
        here is written too (``_create_bulk``)."""
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

    @api.model
    def _create_bulk(self, vals_list):
        """Create computed lines with ``COPY`` (``bulk_copy``), reading ``vals_list`` (a
        list, or an iterator) while they are written.

        A quarter of a large company has hundreds of thousands of lines; ``create`` would
        spend most of its time converting each monetary value through its record's
        currency. The values come from ``_compute_period`` only, already rounded, for a
        model without stored computed fields or chatter. A stored field the values carry
        besides ``_BULK_COLUMNS`` (``_prepare_commission_line_vals`` of an integrator) is
        written too, converted as ``create`` converts it; a key that is not a stored
        field is refused, naming it.
        """
        now, uid = str(self.env.cr.now()), str(self.env.uid)
        ids = copy_new_records(self, vals_list, _BULK_COLUMNS, _bulk_row, _BULK_KEYS, now, uid)
        # Nothing stored is computed from lines outside a settlement (the settlements'
        # totals are the only dependants), so there is nothing to mark as modified.
        return self.browse(ids)

    @api.model
    def _handover_dates(self, partner_ids, after=None):
        """First day each account was owned by an account manager after business
        development (hand-over, else its first period): the start of new business.

        :param after: only the accounts whose new business started after this day (the
            history aggregated without the accounts' ids, whose list costs more to send
            and match than the few accounts handed over recently)
        :return: ``{partner_id: day}``
        """
        if not partner_ids:
            return {}
        self.env["account.manager.ownership"].flush_model(["partner_id", "date_from", "reason"])
        start = SQL("COALESCE(MIN(date_from) FILTER (WHERE reason = 'handover'), MIN(date_from))")
        if after is None:
            where, having = SQL("WHERE partner_id = ANY(%s)", list(partner_ids)), SQL()
        else:
            where, having = SQL(), SQL("HAVING %s > %s", start, after)
        # one aggregate whatever the number of accounts
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, %s FROM account_manager_ownership %s GROUP BY partner_id %s",
                start,
                where,
                having,
            )
        )
        return {
            partner_id: day
            for partner_id, day in self.env.cr.fetchall()
            if after is None or partner_id in partner_ids
        }


def _decimal(value):
    """A float of the ORM as the calculator's Decimal (its shortest representation)."""
    return Decimal(repr(float(value)))


# the columns _create_bulk writes, in order (the id taken from the sequence as the lines
# are written): those of the values' keys (_BULK_KEYS), then the state, the dispute flag
# and the log columns, which a vals carrying them overrides (bulk_copy.copy_new_records)
_BULK_COLUMNS = (
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
    "explanation",
    "state",
    "disputed",
    "create_uid",
    "write_uid",
    "create_date",
    "write_date",
)
_BULK_KEYS = frozenset(_BULK_COLUMNS[:14])


def _bulk_row(vals, now, uid):
    """The COPY texts of one line (``_BULK_COLUMNS``). Empty ids, dates and the rule are
    NULL, and zero amounts and rates 0.0, as the ORM writes them (``float(value or
    0.0)``); the rate keeps a float's 15 significant digits, where ``create`` would round
    it to the field's 4 decimals (the column is ``numeric``: it keeps what is written)."""
    get = vals.get
    return (
        _id_text(get("user_id")),
        _id_text(get("plan_id")),
        _date_text(get("date_from")),
        _date_text(get("date_to")),
        _date_text(get("date")),
        _id_text(get("move_line_id")),
        _id_text(get("move_id")),
        _id_text(get("partner_id")),
        copy_text(get("rule_type") or None),
        _float_text(get("base_amount")),
        f"{get('rate') or 0.0:.15g}",
        _float_text(get("amount")),
        _id_text(get("company_id")),
        copy_json(get("explanation")),
        "draft",
        "f",
        uid,
        uid,
        now,
        now,
    )


def _id_text(value):
    return str(int(value)) if value else NULL


# a period's lines share a few dates: each written once (a third of a row's time when
# isoformat ran for each; what the check of the values' keys per row costs, and more)
@lru_cache(maxsize=4096)
def _date_text(value):
    return value.isoformat() if value else NULL


def _float_text(value):
    return repr(float(value or 0.0))
