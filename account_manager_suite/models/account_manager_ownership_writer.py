from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo import api
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..const import acts_as_director


class AccountManagerOwnershipWriter(models.Model):
    """The only writer of the ownership history (``_ams_set_owner``): periods that never
    overlap nor leave gaps, and the invoices and orders an owner change touches
    re-attributed. Accounts enter it through ``res.partner._set_account_manager``; the
    go-live import (``_ams_import_history``) writes through it too."""

    # a file of its own on purpose: the history's writer beside its model and its import
    _inherit = "account.manager.ownership"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _ams_history(self):
        """The periods as the writer writes them: whoever asked (checked by the writer),
        marked as written by the writer, which ``create`` lets through."""
        # sudo: the writer checked who may change the owner (_ams_set_owner)
        return self.sudo().with_context(_ams_history_written=True)

    @api.model
    def _ams_set_owner(
        self,
        partners,
        user,
        day,
        reason="manual",
        note=False,
        force=False,
        backdate=False,
        prepend=False,
    ):
        """Make ``user`` the owner of the accounts among ``partners`` from ``day`` on.

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
        accounts = partners.filtered(lambda p: p._ams_is_account())
        if not accounts:
            return
        if user:
            self.env["res.users"]._ams_check_assignable(user)
        if not force:
            self._ams_check_may_assign(accounts, user)
        self._ams_lock_accounts(accounts)
        if prepend:
            self._ams_prepend_owner(accounts, user, day, reason, note)
            return
        Ownership = self._ams_history()
        latest, count = self._ams_latest_periods(accounts)
        to_create, changed, closing = [], accounts.browse(), Ownership.browse()
        first_day = day
        for account in accounts:
            last = latest.get(account.id)
            step = self._ams_ownership_step(
                account, last, count.get(account.id, 0), user, day, backdate
            )
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
            self._ams_write_owner(changed, user, day, first_day)

    @api.model
    def _ams_check_may_assign(self, accounts, user):
        """Refuse, unless a director (or the superuser) asks, to give ``accounts`` to
        ``user`` where they have another owner."""
        if acts_as_director(self.env):
            return
        # an account without an owner is handed over by the assignment rules (first
        # confirmed order) or a director, never taken: an owner earns its commissions,
        # from the effective date on, which nobody else back-dates either
        taken = accounts.filtered(lambda p: p.account_manager_id != user)
        if taken:
            raise AccessError(
                self.env._(
                    "Only a Sales Director can change the account manager of %(accounts)s; "
                    "an account without one is assigned by the hand-over rules on its "
                    "first confirmed order. Ask a sales director to assign them.",
                    accounts=", ".join(taken.mapped("display_name")),
                )
            )

    @api.model
    def _ams_lock_accounts(self, accounts):
        """Serialise concurrent owner changes of the same accounts."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id IN %s ORDER BY id FOR UPDATE",
                tuple(accounts.ids),
            )
        )

    @api.model
    def _ams_latest_periods(self, accounts):
        """The latest ownership period of each of ``accounts`` and how many periods each
        has: ``({partner_id: period}, {partner_id: count})``."""
        latest, count = {}, {}
        for period in self._ams_history().search(
            [("partner_id", "in", accounts.ids)], order="date_from desc"
        ):
            latest.setdefault(period.partner_id.id, period)
            count[period.partner_id.id] = count.get(period.partner_id.id, 0) + 1
        return latest, count

    @api.model
    def _ams_ownership_step(self, account, last, periods, user, day, backdate):
        """What giving ``account`` to ``user`` from ``day`` does to its latest ownership
        period ``last`` (of ``periods``): ``keep`` it (the same owner), ``backdate`` its
        start to ``day``, ``replace`` its owner (it starts on ``day``), ``close`` it the
        day before and open a new one, or ``open`` a new one (no open period). Refuses an
        effective date before the current period or the history's end."""
        account.ensure_one()
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
                                account=account.display_name,
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
                        account=account.display_name,
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
                    account=account.display_name,
                    until=last.date_to,
                )
            )
        return "open"

    @api.model
    def _ams_prepend_owner(self, accounts, user, day, reason, note):
        """Going live: ``user`` owned ``accounts`` from ``day`` until their history begins
        (the years before the install, imported after the accounts got their owner from
        the install day). Where ``user`` owns the first period, it starts on ``day``
        instead. What they invoiced and ordered before the history is attributed."""
        Ownership = self._ams_history()
        first = {}
        for period in Ownership.search(
            [("partner_id", "in", accounts.ids)], order="date_from desc"
        ):
            first[period.partner_id.id] = period
        to_create, merged, until = [], Ownership.browse(), {}
        for account in accounts:
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
            # sudo: the first owner's start on the account, which the history now begins
            # with (the writer checked who may change it)
            current.with_context(_ams_history_written=True).sudo().write(
                {"account_manager_since": day}
            )
        self._ams_reattribute(accounts, day, until)

    @api.model
    def _ams_write_owner(self, accounts, user, day, first_day):
        """The new owner on ``accounts`` (``account_manager_id``, since ``day``) and their
        invoices dated from ``first_day`` on re-attributed."""
        # sudo: the owner the history now gives the accounts (checked by _ams_set_owner),
        # whoever may write the partners
        accounts.with_context(_ams_history_written=True).sudo().write(
            {"account_manager_id": user.id, "account_manager_since": user and day}
        )
        self._ams_reattribute(accounts, first_day)

    @api.model
    def _ams_reattribute(self, accounts, day, until=None):
        """The stored account manager of what ``accounts`` invoiced and ordered from
        ``day`` on (before ``until[account id]`` where given) computed again, by the
        engine's rule: the owner on the invoice date, on the order date (its calendar day,
        as stored). One search and one update for each, whatever their number."""
        # sudo: the owner changed (checked by _ams_set_owner); the invoices' and orders'
        # stored account manager follows, whoever may read them
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", accounts.ids),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    "|",
                    ("invoice_date", ">=", day),
                    ("invoice_date", "=", False),
                ]
            )
        )
        # sudo: the same for the orders, whoever may read them
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id.commercial_partner_id", "in", accounts.ids),
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
