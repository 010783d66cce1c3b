from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..const import DIRECTOR_GROUP
from ..const import MANAGEMENT_FIELDS
from ..const import acts_as_director

# DIRECTOR_GROUP is re-exported for account_manager_commission_line.py, which imports it
# from here and is being rewritten in parallel: it reads ..const once merged.
__all__ = ["DIRECTOR_GROUP"]


class ResPartner(models.Model):
    """The customer account and its owner: the account manager, the tier, the account
    team, the plans, who may see and change the account, and the ownership history's only
    writer. Check-ins, health and the portfolio figures have their files
    (res_partner_checkin.py, res_partner_health.py, res_partner_portfolio.py)."""

    _inherit = "res.partner"

    account_manager_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        help="The account manager who owns this customer account. Changing it records a "
        "new ownership period; revenue is attributed by those periods.",
    )
    account_manager_since = fields.Date(readonly=True, copy=False)
    account_tier_id = fields.Many2one(
        "account.manager.tier", string="Customer Tier", index=True, tracking=True
    )
    ownership_ids = fields.One2many(
        "account.manager.ownership", "partner_id", string="Ownership History", readonly=True
    )
    account_team_member_ids = fields.One2many(
        "account.manager.team.member", "partner_id", string="Account Team"
    )
    account_plan_ids = fields.One2many(
        "account.manager.account.plan", "partner_id", string="Account Plans"
    )
    account_plan_count = fields.Integer(compute="_compute_account_plan_count")

    # ------------------------------------------------------------------ computes

    def _compute_account_plan_count(self):
        counts = dict(
            self.env["account.manager.account.plan"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.account_plan_count = counts.get(partner._origin, 0)

    # ------------------------------------------------------------------ CRUD

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "account_manager_id", "account_tier_id"]

    @api.model_create_multi
    def create(self, vals_list):
        partners = super(ResPartner, self.with_context(_ams_history_written=True)).create(vals_list)
        partners = partners.with_env(self.env)
        owned = partners.filtered(lambda p: p.account_manager_id and p._ams_is_account())
        if owned and not acts_as_director(self.env):
            # nor born owned: a customer created with its owner would skip the hand-over
            raise AccessError(
                self.env._(
                    "Only a Sales Director creates a customer with its account manager "
                    "(%(accounts)s); without one, the hand-over rules assign it on its "
                    "first confirmed order.",
                    accounts=", ".join(owned.mapped("display_name")),
                )
            )
        day = self._ams_effective_date()
        # going live: a director may give the first owner from a past date
        since = {
            partner: self._ams_since_of(vals) or day
            for partner, vals in zip(partners, vals_list, strict=True)
            if vals.get("account_manager_since")
        }
        for user in owned.account_manager_id:
            accounts = owned.filtered(lambda p, u=user: p.account_manager_id == u)
            for start in {since.get(account, day) for account in accounts}:
                accounts.filtered(lambda p, d=start: since.get(p, day) == d)._set_account_manager(
                    user, start, reason="initial", force=True
                )
        return partners

    def write(self, vals):
        if not self.env.su and vals.keys() & MANAGEMENT_FIELDS:
            self._ams_check_management_access()
        since = None
        if "account_manager_since" in vals and not self.env.context.get("_ams_history_written"):
            since = self._ams_since_of(vals)
            vals = {k: v for k, v in vals.items() if k != "account_manager_since"}
            if since and "account_manager_id" not in vals:
                for user in self.filtered(lambda p: p._ams_is_account()).account_manager_id:
                    self.filtered(lambda p, u=user: p.account_manager_id == u)._set_account_manager(
                        user, since, backdate=True
                    )
            if not vals:
                return True
        if "account_manager_id" in vals and not self.env.context.get("_ams_history_written"):
            accounts = self.filtered(lambda p: p._ams_is_account())
            user = self.env["res.users"].browse(vals["account_manager_id"] or [])
            other_vals = {k: v for k, v in vals.items() if k != "account_manager_id"}
            result = super().write(other_vals) if other_vals else True
            accounts._set_account_manager(
                user,
                since or self._ams_effective_date(),
                reason=self.env.context.get("account_manager_change_reason", "manual"),
                backdate=bool(since),
            )
            contacts = self - accounts
            if contacts:
                super(ResPartner, contacts).write({"account_manager_id": user.id})
        else:
            result = super().write(vals)
        return result

    # ------------------------------------------------------------------ actions

    def action_open_reassign_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Re-assign Accounts"),
            "res_model": "account.manager.reassign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.commercial_partner_id.ids},
        }

    @api.readonly
    def action_view_account_plans(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_manager_suite.action_account_manager_account_plan"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    @api.readonly
    def action_print_account_status(self):
        return self.env.ref("account_manager_suite.action_report_account_status").report_action(
            self.commercial_partner_id
        )

    # ------------------------------------------------------------------ ownership

    @api.model
    def _ams_account_domain(self):
        """The accounts as a domain (what ``_ams_is_account`` says of one partner)."""
        return ["|", ("is_company", "=", True), ("parent_id", "=", False)]

    def _ams_is_account(self):
        """An account is a commercial entity: a company or a person without a company."""
        self.ensure_one()
        return self.commercial_partner_id == self

    @api.model
    def _ams_since_of(self, vals):
        """The first owner's start a director gives on the account form (going live)."""
        if not acts_as_director(self.env):
            raise AccessError(
                self.env._(
                    "Only a Sales Director can set Account Manager Since: it dates the "
                    "ownership history that revenue is attributed by."
                )
            )
        return fields.Date.to_date(vals["account_manager_since"])

    @api.model
    def _ams_effective_date(self):
        # a date over RPC arrives as a string
        day = self.env.context.get("account_manager_effective_date")
        return fields.Date.to_date(day) if day else fields.Date.context_today(self)

    def _ams_accessible_accounts(self):
        """The accounts among ``self`` whose management data and figures the user may see:
        all for sales directors, else those they own or sit on the account team of."""
        if acts_as_director(self.env):
            return self
        uid = self.env.uid
        team = self.env["account.manager.team.member"].sudo()
        on_team = team.search([("partner_id", "in", self.ids), ("user_id", "=", uid)]).partner_id
        return self.filtered(lambda p: p.account_manager_id.id == uid) | (on_team & self)

    def _ams_check_management_access(self):
        accounts = self.commercial_partner_id.filtered("account_manager_id")
        denied = accounts - accounts._ams_accessible_accounts()
        if denied:
            raise AccessError(
                self.env._(
                    "Only the account manager, the account team or a sales director may change "
                    "the management data (tier, cadence, risk) of %(accounts)s.",
                    accounts=", ".join(denied.mapped("display_name")),
                )
            )

    def _set_account_manager(
        self, user, day, reason="manual", note=False, force=False, backdate=False, prepend=False
    ):
        """Make ``user`` the owner of the accounts in ``self`` from ``day`` on.

        The only writer of the ownership history: it closes each account's current period
        the day before ``day`` (or replaces it when it starts on ``day``) and opens the
        new one, so periods never overlap nor leave gaps. Invoices and orders dated from
        ``day`` on are re-attributed, by the engine's rule. ``user`` may be empty to end
        the ownership.

        :param force: skip the permission check (system assignments: hand-over rules)
        :param backdate: going live, a director gives the first owner of an account from
            a past date: where ``user`` already owns the account in its only period, that
            period starts on ``day`` instead (earlier invoices are attributed to them)
        :param prepend: going live, the history of the years before: ``user`` owned the
            accounts from ``day`` until their first period begins (see
            ``_ams_prepend_owner``)
        """
        accounts = self.filtered(lambda p: p._ams_is_account())
        if not accounts:
            return
        if user:
            self.env["res.users"]._ams_check_assignable(user)
        if not force:
            accounts._ams_check_may_assign(user)
        Ownership = (
            self.env["account.manager.ownership"].sudo().with_context(_ams_history_written=True)
        )
        accounts._ams_lock_accounts()
        if prepend:
            accounts._ams_prepend_owner(Ownership, user, day, reason, note)
            return
        latest, count = accounts._ams_latest_periods(Ownership)
        to_create, changed, closing = [], self.browse(), Ownership.browse()
        first_day = day
        for account in accounts:
            last = latest.get(account.id)
            step = account._ams_ownership_step(last, count.get(account.id, 0), user, day, backdate)
            if step == "keep":
                continue
            if step == "backdate":
                first_day = min(first_day, last.date_from)
                last.date_from = day
            elif step == "replace":
                if user:
                    last.write({"user_id": user.id, "reason": reason, "note": note})
                else:
                    last.unlink()
            else:
                if step == "close":
                    closing |= last
                if user:
                    to_create.append(
                        {
                            "partner_id": account.id,
                            "user_id": user.id,
                            "date_from": day,
                            "reason": "initial" if not last and reason == "manual" else reason,
                            "note": note,
                        }
                    )
            changed |= account
        # one write for the periods closed, before the new ones start (the database refuses
        # overlapping periods, statement by statement)
        if closing:
            closing.write({"date_to": day - timedelta(days=1)})
        Ownership.create(to_create)
        if changed:
            changed._ams_write_owner(user, day, first_day)

    def _ams_check_may_assign(self, user):
        """Refuse, unless a director (or the superuser) asks, to give these accounts to
        ``user`` where they have another owner."""
        if acts_as_director(self.env):
            return
        # an account without an owner is handed over by the assignment rules (first
        # confirmed order) or a director, never taken: an owner earns its commissions,
        # from the effective date on, which nobody else back-dates either
        taken = self.filtered(lambda p: p.account_manager_id != user)
        if taken:
            raise AccessError(
                self.env._(
                    "Only a Sales Director can change the account manager of %(accounts)s; "
                    "an account without one is assigned by the hand-over rules on its "
                    "first confirmed order. Ask a sales director to assign them.",
                    accounts=", ".join(taken.mapped("display_name")),
                )
            )

    def _ams_lock_accounts(self):
        """Serialise concurrent owner changes of the same accounts."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id IN %s ORDER BY id FOR UPDATE",
                tuple(self.ids),
            )
        )

    def _ams_latest_periods(self, Ownership):
        """The latest ownership period of each of these accounts and how many periods
        each has: ``({partner_id: period}, {partner_id: count})``."""
        latest, count = {}, {}
        for period in Ownership.search([("partner_id", "in", self.ids)], order="date_from desc"):
            latest.setdefault(period.partner_id.id, period)
            count[period.partner_id.id] = count.get(period.partner_id.id, 0) + 1
        return latest, count

    def _ams_ownership_step(self, last, periods, user, day, backdate):
        """What giving this account to ``user`` from ``day`` does to its latest ownership
        period ``last`` (of ``periods``): ``keep`` it (the same owner), ``backdate`` its
        start to ``day``, ``replace`` its owner (it starts on ``day``), ``close`` it the
        day before and open a new one, or ``open`` a new one (no open period). Refuses an
        effective date before the current period or the history's end."""
        self.ensure_one()
        if last and not last.date_to:
            if last.user_id == user:
                if backdate and day != last.date_from:
                    if periods > 1:
                        raise ValidationError(
                            self.env._(
                                "%(account)s has an ownership history before "
                                "%(since)s: only the first owner's start (Account "
                                "Manager Since) can be changed. Import the history "
                                "or use the Re-assign Accounts wizard.",
                                account=self.display_name,
                                since=last.date_from,
                            )
                        )
                    return "backdate"
                return "keep"
            if day < last.date_from:
                raise ValidationError(
                    self.env._(
                        "%(account)s is owned by %(owner)s since %(since)s: the effective "
                        "date %(day)s cannot be earlier. Choose a date on or after "
                        "%(since)s.",
                        account=self.display_name,
                        owner=last.user_id.name,
                        since=last.date_from,
                        day=day,
                    )
                )
            return "replace" if day == last.date_from else "close"
        if last and day <= last.date_to:
            raise ValidationError(
                self.env._(
                    "%(account)s has ownership history until %(until)s: the effective "
                    "date must be after it.",
                    account=self.display_name,
                    until=last.date_to,
                )
            )
        return "open"

    def _ams_prepend_owner(self, Ownership, user, day, reason, note):
        """Going live: ``user`` owned these accounts from ``day`` until their history begins
        (the years before the install, imported after the accounts got their owner from
        the install day). Where ``user`` owns the first period, it starts on ``day``
        instead. What they invoiced and ordered before the history is attributed."""
        first = {}
        for period in Ownership.search([("partner_id", "in", self.ids)], order="date_from desc"):
            first[period.partner_id.id] = period
        to_create, merged, until = [], Ownership.browse(), {}
        for account in self:
            period = first.get(account.id)
            if not user or not period or day >= period.date_from:
                raise ValidationError(
                    self.env._(
                        "%(account)s: a history imported before the first ownership period "
                        "needs an account manager and a start before that period.",
                        account=account.display_name,
                    )
                )
            until[account.id] = period.date_from
            if period.user_id == user:
                merged |= period
            else:
                to_create.append(
                    {
                        "partner_id": account.id,
                        "user_id": user.id,
                        "date_from": day,
                        "date_to": period.date_from - timedelta(days=1),
                        "reason": reason,
                        "note": note,
                    }
                )
        if merged:
            merged.write({"date_from": day})
        Ownership.create(to_create)
        current = merged.filtered(lambda p: not p.date_to).partner_id
        if current:
            current.with_context(_ams_history_written=True).sudo().write(
                {"account_manager_since": day}
            )
        self._ams_reattribute(day, until)

    def _ams_write_owner(self, user, day, first_day):
        """The new owner on these accounts (``account_manager_id``, since ``day``) and
        their invoices dated from ``first_day`` on re-attributed."""
        self.with_context(_ams_history_written=True).sudo().write(
            {"account_manager_id": user.id, "account_manager_since": user and day}
        )
        self._ams_reattribute(first_day)

    def _ams_reattribute(self, day, until=None):
        """The stored account manager of what these accounts invoiced and ordered from
        ``day`` on (before ``until[account id]`` where given) computed again, by the
        engine's rule: the owner on the invoice date, on the order date (its calendar day,
        as stored). One search and one update for each, whatever their number."""
        # sudo: the owner changed (checked by _set_account_manager); the invoices' and
        # orders' stored account manager follows, whoever may read them
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", self.ids),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    "|",
                    ("invoice_date", ">=", day),
                    ("invoice_date", "=", False),
                ]
            )
        )
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id.commercial_partner_id", "in", self.ids),
                    ("date_order", ">=", datetime.combine(day, time.min)),
                ]
            )
        )
        if until:
            moves = moves.filtered(
                lambda m: m.invoice_date and m.invoice_date < until[m.commercial_partner_id.id]
            )
            orders = orders.filtered(
                lambda o: o.date_order.date() < until[o.partner_id.commercial_partner_id.id]
            )
        if moves:
            # their commissions move with them: the queue job recomputes both managers (the
            # queue notes the former one, so it is queued before the new one is computed)
            moves.filtered(lambda m: m.state == "posted")._ams_queue_commissions()
            self.env.add_to_compute(moves._fields["account_manager_id"], moves)
            moves.flush_recordset(["account_manager_id"])
        if orders:
            self.env.add_to_compute(orders._fields["account_manager_id"], orders)
            orders.flush_recordset(["account_manager_id"])
