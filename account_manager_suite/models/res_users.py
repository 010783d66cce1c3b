from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare
from odoo.tools import float_round
from odoo.tools import format_amount
from odoo.tools import plaintext2html

from .account_manager_performance_event import PERFORMANCE_STATES


class ResUsers(models.Model):
    _inherit = "res.users"

    ams_performance_state = fields.Selection(
        PERFORMANCE_STATES,
        string="Performance Status",
        default="on_track",
        readonly=True,
        copy=False,
        # a personnel matter: sales directors read it; the manager reads their own (self
        # readable below, and on My Quarter); colleagues and accountants do not
        groups="account_manager_suite.group_sales_director",
        help="Set by closing quota periods: consecutive periods below the attainment "
        "threshold put the account manager on probation.",
    )
    # the events' record rules show a manager their own only
    ams_performance_event_ids = fields.One2many(
        "account.manager.performance.event", "user_id", string="Performance History"
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "ams_performance_state"]

    @api.model
    def _ams_check_assignable(self, users):
        """Accounts, quotas and plans may only be given to active internal users."""
        for user in users:
            if not user.active:
                raise ValidationError(
                    self.env._(
                        "%(user)s is archived and cannot own accounts: choose an active "
                        "Account Manager.",
                        user=user.name,
                    )
                )
            if user.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is a portal or public user and cannot own accounts: choose "
                        "an internal user as Account Manager.",
                        user=user.name,
                    )
                )

    def _ams_review_performance(self, reviewer, company=None):
        """Re-derive each manager's performance status from their closed periods.

        The status is a pure function of the closed periods of the company's review
        period type, in date order: after N consecutive periods below the threshold the
        manager is on probation; meeting the threshold returns them on track; M further
        misses on probation raise a final review. Re-opening and re-closing a period gives
        the same result. Each change is logged with its figures, and a review activity is
        scheduled for the reviewer on probation and final review. Nothing else is decided.
        """
        # sudo: called by a director's close/re-open (checked there) or the system; the
        # events are the system's record, nobody writes them by hand
        Quota = self.env["account.manager.quota"].sudo()
        Event = self.env["account.manager.performance.event"].sudo()
        # the settings of the company whose periods are reviewed, not the one worked in
        company = company or self.env.company
        closed = Quota.search(
            [
                ("user_id", "in", self.ids),
                ("state", "=", "closed"),
                ("period_type", "=", company.ams_probation_period_type),
                ("company_id", "=", company.id),
            ],
            order="date_from",
        )
        for user in self:
            quotas = closed.filtered(lambda q, u=user: q.user_id == u)
            state, trigger, why = self._ams_performance_walk(quotas, company)
            if state == user.ams_performance_state:
                continue
            if not trigger and quotas:
                trigger = quotas[-1]
            Event.create(
                {
                    "user_id": user.id,
                    "old_state": user.ams_performance_state,
                    "new_state": state,
                    "quota_id": trigger.id,
                    "attainment": trigger.attainment,
                    "reason": why or self.env._("No closed period below the threshold any more."),
                    "reviewer_id": reviewer.id,
                    "company_id": company.id,
                }
            )
            # sudo: the manager's status, a read-only field written only by this review
            # (run by a director's close or re-open, or by the system)
            user.sudo().ams_performance_state = state
            if state in ("probation", "final_review") and trigger:
                trigger.activity_schedule(
                    "account_manager_suite.mail_activity_type_performance_review",
                    user_id=reviewer.id,
                    summary=self.env._(
                        "Performance review of %(user)s: %(state)s",
                        user=user.name,
                        state=dict(PERFORMANCE_STATES)[state],
                    ),
                    note=plaintext2html(why),
                )

    @api.model
    def _ams_performance_walk(self, quotas, company):
        """The performance status after ``quotas`` (closed, in date order), the quota that
        changed it last and why: ``(state, quota, reason)``."""
        currency = company.currency_id
        state, streak, misses, trigger, why = "on_track", 0, 0, quotas.browse(), ""
        threshold = company.ams_probation_threshold
        for quota in quotas:
            missed = float_compare(quota.attainment, threshold, precision_digits=2) < 0
            before = state
            if state == "on_track":
                streak = streak + 1 if missed else 0
                if streak >= company.ams_probation_periods:
                    state, misses = "probation", 0
            elif missed:
                misses += 1
                if state == "probation" and misses >= company.ams_final_review_misses:
                    state = "final_review"
            else:
                state, streak = "on_track", 0
            if state != before:
                trigger = quota
                why = self.env._(
                    "%(period)s: %(actual)s of %(target)s (%(pct)s%%), threshold "
                    "%(threshold)s%%; %(count)s consecutive period(s) below it.",
                    period=quota.name,
                    actual=format_amount(self.env, quota.actual_amount, currency),
                    target=format_amount(self.env, quota.target, currency),
                    pct=float_round(quota.attainment, 1),
                    threshold=float_round(threshold, 1),
                    count=streak if before == "on_track" else misses,
                )
        return state, trigger, why
