from collections import defaultdict
from datetime import timedelta

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools import plaintext2html

from ..const import ACCOUNTANT_GROUP
from ..const import DIRECTOR_GROUP
from .account_manager_commission_line import RULE_TYPES
from .row_lock import lock_rows_nowait
from .workflow_guard import workflow


class AccountManagerCommissionSettlement(models.Model):
    """What one account manager is paid for one period, through Odoo's books.

    Steps: ``_propose`` computes the lines of closed periods and accrues them (one
    journal entry per period: commission expense against accrued commissions, a line
    per manager); a sales director approves; the commission accountant creates the
    vendor bill (one line per rule type, on the expense account), which reverses the
    accrual. Disputed lines stay out of the bill and wait for a later settlement.
    """

    _name = "account.manager.commission.settlement"
    _description = "Commission Settlement"
    _inherit = ["mail.thread", "mail.activity.mixin", "account.manager.input.mixin"]
    _order = "date_from desc, user_id"
    # created by ``_propose`` only, moved on by the actions only (workflow_guard)
    _ams_workflow_fields = (
        "user_id",
        "date_from",
        "date_to",
        "company_id",
        "line_ids",
        "amount_total",
        "state",
        "accrual_move_id",
        "bill_id",
        "release_move_id",
        "approved_by_id",
    )

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one("res.users", string="Account Manager", required=True, index=True)
    date_from = fields.Date(string="Period From", required=True)
    date_to = fields.Date(string="Period To", required=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("account.manager.commission.line", "settlement_id")
    amount_total = fields.Monetary(compute="_compute_amount_total", store=True)
    state = fields.Selection(
        [("draft", "To Approve"), ("approved", "Approved"), ("billed", "Billed")],
        default="draft",
        required=True,
        tracking=True,
    )
    accrual_move_id = fields.Many2one("account.move", string="Accrual Entry", readonly=True)
    bill_id = fields.Many2one("account.move", string="Vendor Bill", readonly=True, index=True)
    bill_state = fields.Selection(related="bill_id.state", string="Bill Status")
    bill_payment_state = fields.Selection(
        related="bill_id.payment_state", string="Bill Payment Status"
    )
    release_move_id = fields.Many2one(
        "account.move",
        string="Accrual Release",
        readonly=True,
        copy=False,
        help="The entry that releases what was accrued for this settlement, posted with the "
        "vendor bill.",
    )
    approved_by_id = fields.Many2one("res.users", readonly=True)

    _sql_constraints = [
        (
            "user_period_uniq",
            "unique(user_id, date_from, company_id)",
            "This account manager already has a settlement for this period.",
        )
    ]

    @api.depends("user_id", "date_from", "date_to")
    def _compute_name(self):
        for settlement in self:
            settlement.name = (
                f"{settlement.user_id.name} {settlement.date_from} - {settlement.date_to}"
            )

    @api.depends("line_ids.amount", "line_ids.disputed")
    def _compute_amount_total(self):
        for settlement in self:
            settlement.amount_total = sum(
                settlement.line_ids.filtered(lambda line: not line.disputed).mapped("amount")
            )

    @api.model
    def _propose(self, date_from, date_to, company=None):
        """Settlements for the closed quota period ``date_from`` to ``date_to``: the lines
        of every manager with a plan, and the period's accrual entry."""
        company = company or self.env.company
        # refused before any computation when the company's commission books are not set
        company._ams_commission_accounts()
        quotas = self.env["account.manager.quota"].search(
            [
                ("date_from", "=", date_from),
                ("date_to", "=", date_to),
                ("state", "=", "closed"),
                ("company_id", "=", company.id),
            ]
        )
        done = self.search([("date_from", "=", date_from), ("company_id", "=", company.id)])
        users = quotas.user_id - done.user_id
        if not users:
            raise UserError(
                self.env._(
                    "No closed quota period from %(start)s to %(end)s waits for settlement: "
                    "close the period first, or it is settled already.",
                    start=date_from,
                    end=date_to,
                )
            )
        Line = self.env["account.manager.commission.line"]
        Line._compute_period(users, date_from, date_to, company=company)
        pending = Line.search(
            [
                ("user_id", "in", users.ids),
                ("company_id", "=", company.id),
                ("date_to", "<=", date_to),
                ("state", "=", "draft"),
                ("settlement_id", "=", False),
            ]
        )
        settlements = workflow(self).create(
            [
                {
                    "user_id": user.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "company_id": company.id,
                    "line_ids": [
                        Command.set(pending.filtered(lambda line, u=user: line.user_id == u).ids)
                    ],
                }
                for user in users
            ]
        )
        settlements._accrue(date_from, date_to, company)
        return settlements.with_env(self.env)

    def _accrue(self, date_from, date_to, company):
        """The period's accrual entry of the settlements in ``self``: commission expense
        against accrued commissions, a line pair per manager (``_prepare_accrual_vals``)."""
        # a line is accrued once, in its own period (lines carried over from an earlier
        # period after a dispute were accrued then)
        totals = [
            (s, amount)
            for s in self
            if not s.currency_id.is_zero(
                amount := sum(
                    s.line_ids.filtered(lambda line: line.date_from == date_from).mapped("amount")
                )
            )
        ]
        if totals:
            # sudo: the accrual is the system's entry, on the accounts the company
            # configured: whoever may create the settlements (a sales director, an
            # accountant) needs no accounting rights for it
            move = (
                self.env["account.move"]
                .sudo()
                .create(self._prepare_accrual_vals(totals, date_from, date_to, company))
            )
            move.action_post()
            # self is wrapped by workflow() in _propose: the accrual link is the system's
            self.accrual_move_id = move

    def action_approve(self):
        if not self.env.user.has_group(DIRECTOR_GROUP):
            raise AccessError(self.env._("Only a Sales Director approves commission settlements."))
        for settlement in self:
            if settlement.user_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "%(name)s is your own commission: another sales director approves it.",
                        name=settlement.name,
                    )
                )
            if settlement.state != "draft":
                raise UserError(
                    self.env._("%(name)s is not waiting for approval.", name=settlement.name)
                )
        workflow(self).write({"state": "approved", "approved_by_id": self.env.uid})
        return True

    def action_create_bill(self):
        """The vendor bill to the manager, in draft for the commission accountant to check
        and post: one line per rule type on the expense account; the billed lines lock.
        Posting the bill releases the accrual of the amount."""
        if not self.env.user.has_group(ACCOUNTANT_GROUP):
            raise AccessError(self.env._("Only a Commission Accountant creates commission bills."))
        self._lock()
        for settlement in self:
            if settlement.state == "billed":
                raise UserError(
                    self.env._(
                        "%(name)s is billed already (%(bill)s): a settlement is paid once.",
                        name=settlement.name,
                        bill=settlement.bill_id.display_name,
                    )
                )
            if settlement.state != "approved":
                raise UserError(
                    self.env._(
                        "A sales director must approve %(name)s first.", name=settlement.name
                    )
                )
            settlement._create_bill()
        return self.action_open_bill()

    def action_open_bill(self):
        """The vendor bills of these settlements: the form of one, the list of many."""
        bills = self.bill_id
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Commission Bills"),
            "res_model": "account.move",
            "context": {"default_move_type": "in_invoice"},
        }
        if len(bills) == 1:
            return {**action, "res_id": bills.id, "views": [(False, "form")]}
        return {
            **action,
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", bills.ids)],
        }

    def _create_bill(self):
        self.ensure_one()
        expense = self.company_id._ams_commission_accounts()[0]
        lines = self.line_ids.filtered(lambda line: not line.disputed)
        held = self.line_ids - lines
        by_rule = defaultdict(float)
        for line in lines:
            by_rule[line.rule_type] += line.amount
        # more claw-back than commission: the manager owes it, a vendor credit note
        sign = -1 if self.currency_id.compare_amounts(sum(by_rule.values()), 0) < 0 else 1
        bill = self.env["account.move"].create(
            self._prepare_bill_vals(
                [
                    self._prepare_bill_line_vals(rule, amount, sign, expense)
                    for rule, amount in by_rule.items()
                ],
                sign,
            )
        )
        workflow(lines).write({"state": "settled"})
        # disputed lines wait for a later settlement of the manager
        workflow(held).write({"settlement_id": False})
        workflow(self).write({"state": "billed", "bill_id": bill.id})

    # ------------------------------------------------------------------------------
    # Hooks for integrators: the values of the entries this model books
    # ------------------------------------------------------------------------------

    @api.model
    def _prepare_accrual_vals(self, totals, date_from, date_to, company):
        """The period's accrual entry: commission expense against accrued commissions,
        a pair of lines per settlement (``totals``: ``[(settlement, amount)]``)."""
        expense, accrual, journal = company._ams_commission_accounts()
        return {
            "move_type": "entry",
            "journal_id": journal.id,
            "date": self._open_date(company, journal, date_to),
            "ref": self.env._(
                "Accrued commissions %(start)s - %(end)s", start=date_from, end=date_to
            ),
            "line_ids": [
                Command.create(settlement._prepare_accrual_line_vals(amount, account, sign))
                for settlement, amount in totals
                for account, sign in ((expense, 1), (accrual, -1))
            ],
        }

    def _prepare_accrual_line_vals(self, amount, account, sign):
        """A line of the accrual entry for this settlement: ``sign`` 1 on the expense
        account, -1 on the accrued commissions."""
        self.ensure_one()
        return {
            "name": self.env._("Commission %(name)s", name=self.name),
            "account_id": account.id,
            "partner_id": self.user_id.partner_id.id,
            "balance": sign * amount,
        }

    def _prepare_bill_vals(self, line_vals, sign):
        """The vendor bill (``sign`` -1: a vendor credit note, more claw-back than
        commission) to the manager's partner, with ``line_vals`` as its lines."""
        self.ensure_one()
        return {
            "move_type": "in_invoice" if sign > 0 else "in_refund",
            "partner_id": self.user_id.partner_id.id,
            "company_id": self.company_id.id,
            "invoice_date": fields.Date.context_today(self),
            "ref": self.name,
            "invoice_line_ids": [Command.create(vals) for vals in line_vals],
        }

    def _prepare_bill_line_vals(self, rule, amount, sign, expense):
        """A line of the vendor bill: the settlement's lines of one rule, on the
        commission expense account, untaxed."""
        self.ensure_one()
        period = f"{self.date_from} - {self.date_to}"
        return {
            "name": self.env._(
                "Commission %(period)s: %(rule)s", period=period, rule=dict(RULE_TYPES)[rule]
            ),
            "account_id": expense.id,
            "quantity": 1,
            "price_unit": sign * amount,
            "tax_ids": [Command.clear()],
        }

    def _ask_to_resolve(self, note):
        """A line of the settlement is disputed: a to-do for the director who approved it,
        else the sales director leading the manager's team."""
        for settlement in self:
            reviewer = settlement.approved_by_id or settlement.user_id.sale_team_id.user_id
            if reviewer and reviewer.has_group(DIRECTOR_GROUP):
                settlement.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._(
                        "Commission dispute of %(user)s", user=settlement.user_id.name
                    ),
                    # the manager's reason, plain text: escaped into the Html note
                    note=plaintext2html(note or ""),
                    user_id=reviewer.id,
                )

    def _on_bill_posted(self):
        """The bill is in the books: release what was accrued for the billed lines (every
        line was accrued in its own period), once, however often the bill is posted."""
        for settlement in self.filtered(lambda s: not s.release_move_id):
            billed = sum(settlement.line_ids.mapped("amount"))
            bill = settlement.bill_id
            if settlement.currency_id.compare_amounts(abs(bill.amount_untaxed_signed), abs(billed)):
                raise UserError(
                    self.env._(
                        "The vendor bill %(bill)s must total %(amount)s, the settled commission "
                        "lines of %(name)s, before it is posted: correct its lines, or cancel it "
                        "and create the bill again from the settlement.",
                        bill=bill.display_name,
                        amount=billed,
                        name=settlement.name,
                    )
                )
            if not settlement.currency_id.is_zero(billed):
                workflow(settlement).release_move_id = settlement._reverse_accrual(billed)

    def _on_bill_reset(self):
        """The bill is back in draft: so is the release of the accrual."""
        for settlement in self.filtered("release_move_id"):
            release = settlement.release_move_id
            # sudo: the system's own release entry, reversed with the bill (accounting rights
            # are not needed by whoever resets the bill)
            release.sudo()._reverse_moves(
                [{"ref": self.env._("Reversal of: %(ref)s", ref=release.ref)}], cancel=True
            )
            workflow(settlement).release_move_id = False

    def _on_bill_dropped(self):
        """The bill is cancelled or deleted: the settlement waits for a bill again and its
        lines are no longer settled."""
        self._on_bill_reset()
        if not self:
            return
        # the lines' lock is lifted here only, with the bill gone
        self.line_ids.flush_recordset(["state"])
        self.env.cr.execute(
            SQL(
                "UPDATE account_manager_commission_line SET state = 'draft' "
                "WHERE settlement_id IN %s",
                tuple(self.ids),
            )
        )
        self.line_ids.invalidate_recordset(["state"])
        for settlement in self:
            settlement.message_post(
                body=self.env._(
                    "Vendor bill %(bill)s cancelled: the settlement waits for a new bill.",
                    bill=settlement.bill_id.display_name,
                )
            )
        workflow(self).write({"state": "approved", "bill_id": False})

    def _statement_tiers(self):
        """The band table of the period's tier commission, from the explanation of its
        tier lines (the calculator's bands add up to the tier commission): ``bands``
        (dicts of floats: from, to, base, rate, amount) and ``tier_total``."""
        self.ensure_one()
        tier_lines = self.line_ids.filtered(
            lambda line: line.rule_type == "tier"
            and not line.is_correction
            and line.date_from == self.date_from
            and (line.explanation or {}).get("bands")
        )
        if not tier_lines:
            return {"bands": [], "tier_total": 0.0}
        explanation = tier_lines.sorted("id")[0].explanation
        bands = [
            {
                "from": float(band["from"]),
                "to": float(band["to"]) if band["to"] is not None else None,
                "base": float(band["base"]),
                "rate": float(band["rate"]),
                "amount": float(band["amount"]),
            }
            for band in explanation["bands"]
        ]
        return {"bands": bands, "tier_total": float(explanation["pool"]["amount"])}

    @api.model
    def _open_date(self, company, journal, day):
        """``day``, or the first day after the lock dates that close it: corrections of
        a locked period go into the next open one."""
        locks = company._get_violated_lock_dates(day, False, journal)
        return max(lock for lock, _name in locks) + timedelta(days=1) if locks else day

    def _reverse_accrual(self, amount):
        """Release what was accrued for this manager and period, now on the bill."""
        expense, accrual, journal = self.company_id._ams_commission_accounts()
        # sudo: the system's entry on the configured accounts, posted with the bill
        release = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": self._open_date(
                        self.company_id, journal, fields.Date.context_today(self)
                    ),
                    "ref": self.env._("Commissions settled: %(name)s", name=self.name),
                    "line_ids": [
                        Command.create(
                            {
                                "name": self.env._("Commission %(name)s settled", name=self.name),
                                "account_id": account.id,
                                "partner_id": self.user_id.partner_id.id,
                                "balance": sign * amount,
                            }
                        )
                        for account, sign in ((accrual, 1), (expense, -1))
                    ],
                }
            )
        )
        release.action_post()
        return release

    def _lock(self):
        lock_rows_nowait(
            self,
            self.env._("Someone else is settling these commissions right now: try again."),
        )
