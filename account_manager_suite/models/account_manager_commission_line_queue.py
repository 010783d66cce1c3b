from collections import defaultdict

from dateutil.relativedelta import relativedelta
from psycopg2.errors import SerializationFailure

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

from .row_lock import RowsBusyError


class AccountManagerCommissionQueue(models.Model):
    """The incremental path of the commissions: the queue job recomputes only the
    managers and periods that changed invoices touch (the same lines as a full
    recompute, see ``_compute_period``)."""

    # a file of its own on purpose: one concern each (queue job, corrections)
    _inherit = "account.manager.commission.line"  # pylint: disable=consider-merging-classes-inherited
    _queue_batch_size = 2000  # invoices per run of the queue job

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
            # sudo: only wakes the module's own scheduled action, which runs as its own user
            # (whoever posts or resets an invoice may ask for it)
            cron.sudo()._trigger(at)

    @api.model
    def _recompute_moves(self, moves):
        """Recompute only the managers and periods that ``moves`` touch (``_queue_todo``).
        A period that is not settled is computed again; a settled one is corrected in
        the running period."""
        Settlement = self.env["account.manager.commission.settlement"]
        lines = self.browse()
        for (company, start, end), move_ids_of in self._queue_todo(moves).items():
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
    def _queue_todo(self, moves):
        """The periods ``moves`` touch: ``{(company, start, end): {user_id: move ids}}``.

        The owner on the invoice date, in the invoice's period (on the paid basis, every
        period from the invoice's to the running one, where payments may be), and the
        same for the manager and date they were computed with before the change (an
        invoice reset and moved to another account or date, or re-assigned), and whoever
        earned on them so far."""
        moves = moves.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        owners = self.env["account.manager.ownership"]._owner_at(
            (m.commercial_partner_id.id, m.invoice_date) for m in moves if m.invoice_date
        )
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
        # sudo: the queue job reads who earned on the changed invoices, to know the periods
        # to compute again; order by id: the model's order sorts by the managers' names
        for line in self.sudo().search([("move_id", "in", moves.ids)], order="id"):
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
        return todo
