from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .overlap import find_overlap

REASONS = [
    ("initial", "Initial Assignment"),
    ("handover", "Hand-over from Business Development"),
    ("manual", "Manual Change"),
    ("reassignment", "Re-assignment"),
]


class AccountManagerOwnership(models.Model):
    """One period during which an account manager owned a customer account.

    The periods of an account follow each other without overlap and without gap for as
    long as the account has an owner: revenue and commissions are attributed by these
    periods and the invoice date. Periods are written by
    ``res.partner._set_account_manager`` only, never edited by hand.
    """

    _name = "account.manager.ownership"
    _inherit = ["account.manager.input.mixin"]
    _description = "Account Ownership Period"
    _order = "partner_id, date_from desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_company", "=", True)],
    )
    user_id = fields.Many2one(
        "res.users", string="Account Manager", required=True, index=True, ondelete="restrict"
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", help="Last day of the period; empty while current.")
    reason = fields.Selection(REASONS, required=True, default="manual")
    changed_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    note = fields.Char()
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    is_current = fields.Boolean(compute="_compute_is_current")

    @api.depends("date_from", "date_to")
    def _compute_is_current(self):
        today = fields.Date.context_today(self)
        for period in self:
            period.is_current = period.date_from <= today and (
                not period.date_to or period.date_to >= today
            )

    @api.constrains("date_from", "date_to", "partner_id")
    def _check_dates(self):
        for period in self:
            if period.date_to and period.date_to < period.date_from:
                raise ValidationError(
                    self.env._(
                        "Ownership of %(account)s: the end date (To, %(to)s) is before the "
                        "start date (From, %(from)s). Choose an end date on or after the "
                        "start date.",
                        account=period.partner_id.display_name,
                        to=period.date_to,
                        **{"from": period.date_from},
                    )
                )
        row = find_overlap(self, ["partner_id"])
        if row:
            raise ValidationError(
                self.env._(
                    "Ownership periods of %(account)s overlap: an account has one owner at a "
                    "time. Change the owner with the account's Account Manager field or the "
                    "Re-assign Accounts wizard, which close the current period for you.",
                    account=self.browse(row[0]).partner_id.display_name,
                )
            )

    @api.model
    def _owner_at(self, pairs):
        """Who owned which account on which date, for many (partner_id, date) at once.

        :param pairs: iterable of ``(commercial_partner_id, date)``
        :return: ``{(partner_id, date): user_id}`` for the pairs covered by a period
        """
        pairs = {(pid, day) for pid, day in pairs if pid and day}
        if not pairs:
            return {}
        self.flush_model(["partner_id", "user_id", "date_from", "date_to"])
        values = SQL(", ").join(SQL("(%s, %s::date)", pid, day) for pid, day in pairs)
        self.env.cr.execute(
            SQL(
                """
                SELECT q.partner_id, q.day, own.user_id
                  FROM (VALUES %s) AS q(partner_id, day)
                  JOIN account_manager_ownership own
                    ON own.partner_id = q.partner_id
                   AND q.day >= own.date_from
                   AND (own.date_to IS NULL OR q.day <= own.date_to)
                """,
                values,
            )
        )
        return {(pid, day): uid for pid, day, uid in self.env.cr.fetchall()}
