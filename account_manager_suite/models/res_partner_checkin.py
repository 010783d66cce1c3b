from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from .cron_batch import run_batch


# res.partner is split by concern on purpose (issue 18): one file each
class ResPartner(models.Model):
    """Check-ins: the account's cadence, its last contact (kept by the chatter) and the
    daily job that gives the owner a check-in activity when the cadence has passed."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    checkin_cadence_days = fields.Integer(
        string="Check-in Cadence (days)",
        compute="_compute_checkin_cadence_days",
        store=True,
        readonly=False,
        precompute=True,
        help="Defaults to the customer tier's cadence; can be changed per account.",
    )
    last_contact_date = fields.Date(
        readonly=True,
        copy=False,
        help="Date of the last message, e-mail, logged note or done activity on the account.",
    )
    next_checkin_date = fields.Date(
        string="Next Check-in", compute="_compute_next_checkin_date", store=True
    )
    checkin_overdue = fields.Boolean(
        compute="_compute_checkin_overdue", search="_search_checkin_overdue"
    )

    # ------------------------------------------------------------------ computes

    @api.depends("account_tier_id.checkin_cadence_days")
    def _compute_checkin_cadence_days(self):
        for partner in self:
            partner.checkin_cadence_days = (
                partner.account_tier_id.checkin_cadence_days
                or (partner.company_id or self.env.company).ams_default_cadence_days
            )

    @api.depends("last_contact_date", "checkin_cadence_days", "account_manager_since")
    def _compute_next_checkin_date(self):
        for partner in self:
            base = partner.last_contact_date or partner.account_manager_since
            partner.next_checkin_date = (
                base + timedelta(days=partner.checkin_cadence_days)
                if base and partner.account_manager_id and partner.checkin_cadence_days > 0
                else False
            )

    @api.depends("next_checkin_date")
    def _compute_checkin_overdue(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.checkin_overdue = bool(
                partner.next_checkin_date and partner.next_checkin_date < today
            )

    def _search_checkin_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Search Check-in Overdue with = True or = False."))
        today = fields.Date.context_today(self)
        overdue = [("next_checkin_date", "<", today)]
        if (operator == "=") == value:
            return overdue
        return ["|", ("next_checkin_date", "=", False), ("next_checkin_date", ">=", today)]

    # ------------------------------------------------------------------ constraints

    @api.constrains("checkin_cadence_days")
    def _check_checkin_cadence_days(self):
        for partner in self:
            if partner.checkin_cadence_days <= 0 and partner.account_manager_id:
                raise ValidationError(
                    self.env._(
                        "Check-in Cadence of %(account)s must be at least 1 day (got "
                        "%(days)s). Enter a positive number of days.",
                        account=partner.display_name,
                        days=partner.checkin_cadence_days,
                    )
                )

    # ------------------------------------------------------------------ chatter

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        counts = message.message_type in ("comment", "email", "email_outgoing") or (
            message.mail_activity_type_id
        )
        account = self.commercial_partner_id
        if counts and account.account_manager_id:
            day = fields.Date.context_today(self, message.date)
            if not account.last_contact_date or account.last_contact_date < day:
                # sudo: a derived date; the poster may not write the account itself
                account.sudo().last_contact_date = day
        return message

    @api.model
    def _ams_contact_message_domain(self):
        """Messages that count as a contact with the customer: e-mails, messages and logged
        notes written by people, and done activities (calls, meetings, check-ins)."""
        return [
            ("model", "=", "res.partner"),
            "|",
            ("message_type", "in", ("comment", "email", "email_outgoing")),
            ("mail_activity_type_id", "!=", False),
        ]

    def _refresh_last_contact(self):
        """Recompute the last contact of accounts from their chatter, in one query."""
        accounts = self.filtered(lambda p: p._ams_is_account())
        if not accounts:
            return
        contacts = self.with_context(active_test=False).search([("id", "child_of", accounts.ids)])
        # sudo: dates only, of messages on the accounts' own contacts
        last = (
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [*self._ams_contact_message_domain(), ("res_id", "in", contacts.ids)],
                ["res_id"],
                ["date:max"],
            )
        )
        by_account = {}
        commercial = {c.id: c.commercial_partner_id.id for c in contacts}
        for res_id, date in last:
            account_id = commercial.get(res_id)
            day = fields.Date.context_today(self, date)
            if account_id and (account_id not in by_account or by_account[account_id] < day):
                by_account[account_id] = day
        for account in accounts:
            day = by_account.get(account.id, False)
            if account.last_contact_date != day:
                # sudo: a derived date, written for whoever posted (a colleague, the cron)
                account.sudo().last_contact_date = day

    # ------------------------------------------------------------------ the job

    @api.model
    def _cron_schedule_checkins(self, batch_size=1000):
        """Create a check-in activity for the owner of every account whose cadence has
        passed, unless an open check-in activity exists already (never twice);
        ``batch_size`` accounts per transaction, the scheduler runs the job again while
        some remain. Returns the number of activities created."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("account_manager_suite.mail_activity_type_checkin")
        pending = [
            *self._ams_account_domain(),
            ("account_manager_id", "!=", False),
            ("account_manager_id.active", "=", True),
            ("next_checkin_date", "<=", today),
            "!",
            ("activity_ids", "any", [("activity_type_id", "=", activity_type.id)]),
        ]
        return run_batch(
            self, pending, batch_size, lambda accounts: accounts._ams_schedule_checkins(today)
        )

    def _ams_schedule_checkins(self, today):
        """A check-in activity for the owner of each account of ``self`` that is due on
        ``today`` (after refreshing its last contact); returns their number."""
        activity_type = self.env.ref("account_manager_suite.mail_activity_type_checkin")
        # the chatter may say otherwise (a message deleted): the last contact from it
        self._refresh_last_contact()
        due = self.filtered(lambda p: p.next_checkin_date and p.next_checkin_date <= today)
        model_id = self.env["ir.model"]._get_id("res.partner")

        def summary(account):
            # the scheduler's language is not the manager's: the to-do is in theirs
            env = self.with_context(lang=account.account_manager_id.lang).env
            return env._(
                "Check-in due: last contact %(last)s, cadence %(days)s days",
                last=account.last_contact_date or env._("never"),
                days=account.checkin_cadence_days,
            )

        # sudo: the scheduled action's check-ins, each for the account's own manager
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": account.id,
                    "activity_type_id": activity_type.id,
                    "user_id": account.account_manager_id.id,
                    "date_deadline": today,
                    "summary": summary(account),
                }
                for account in due
            ]
        )
        return len(due)
