from datetime import datetime
from datetime import time

from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

SATISFACTION = [
    ("1", "Very Dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very Satisfied"),
]
RELATIONSHIP = [
    ("strained", "Strained"),
    ("neutral", "Neutral"),
    ("good", "Good"),
    ("strong", "Strong"),
]
# how far from ideal each answer is, 0 (ideal) to 1 (worst): the health signal
SATISFACTION_GAP = {"1": 1.0, "2": 0.75, "3": 0.5, "4": 0.25, "5": 0.0}
RELATIONSHIP_GAP = {"strained": 1.0, "neutral": 0.5, "good": 0.25, "strong": 0.0}
# the value a relationship counts for in averages, on the same 1-5 scale as satisfaction
RELATIONSHIP_VALUE = {"strained": 1, "neutral": 3, "good": 4, "strong": 5}


class AccountManagerAssessment(models.Model):
    """The qualitative side of an account: how satisfied the customer is and how good
    the relationship is, as the account manager (or a colleague of the account team)
    judged it after a check-in, a review meeting or a survey. Each assessment is kept,
    attributed to the account's owner on its date through the ownership history, so that
    satisfaction can be followed per account, per manager and over time; the latest one
    feeds the account's health."""

    _name = "account.manager.assessment"
    _inherit = ["account.manager.input.mixin"]
    _description = "Customer Assessment"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_company", "=", True)],
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Assessed by",
        required=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )
    account_manager_id = fields.Many2one(
        "res.users",
        compute="_compute_account_manager_id",
        store=True,
        index=True,
        help="Owner of the account on the date of the assessment (ownership history).",
    )
    occasion = fields.Selection(
        [
            ("checkin", "Check-in"),
            ("review", "Business Review"),
            ("survey", "Survey"),
            ("issue", "Issue Resolved"),
        ],
        default="checkin",
        required=True,
    )
    satisfaction = fields.Selection(
        SATISFACTION,
        string="Customer Satisfaction",
        required=True,
        help="How satisfied the customer is, from 1 (very dissatisfied) to 5 (very satisfied).",
    )
    satisfaction_score = fields.Integer(
        compute="_compute_scores",
        store=True,
        aggregator="avg",
        help="Satisfaction from 1 to 5, for averages.",
    )
    relationship = fields.Selection(
        RELATIONSHIP,
        string="Relationship Quality",
        required=True,
        help="How good the relationship with the customer's people is.",
    )
    relationship_score = fields.Integer(
        compute="_compute_scores",
        store=True,
        aggregator="avg",
        help="Relationship quality on the same scale as satisfaction: strained 1, neutral 3, "
        "good 4, strong 5.",
    )
    note = fields.Text(help="What the customer said; what to improve.")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    @api.depends("partner_id", "date")
    def _compute_account_manager_id(self):
        owners = self.env["account.manager.ownership"]._owner_at(
            (a.partner_id.id, a.date) for a in self
        )
        for assessment in self:
            # like revenue: nobody's when nobody owned the account on that date
            assessment.account_manager_id = owners.get((assessment.partner_id.id, assessment.date))

    @api.depends("satisfaction", "relationship")
    def _compute_scores(self):
        for assessment in self:
            assessment.satisfaction_score = int(assessment.satisfaction or 0)
            assessment.relationship_score = RELATIONSHIP_VALUE.get(assessment.relationship, 0)

    @api.constrains("partner_id")
    def _check_partner(self):
        for assessment in self:
            account = assessment.partner_id.commercial_partner_id
            if account != assessment.partner_id:
                raise ValidationError(
                    self.env._(
                        "A customer assessment belongs to the account %(account)s, not to its "
                        "contact: choose the company as Account.",
                        account=account.display_name,
                    )
                )

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for assessment in self:
            if assessment.date > today:
                raise ValidationError(
                    self.env._(
                        "The Date of the assessment of %(account)s (%(day)s) is in the future: "
                        "record what the customer said on or before today.",
                        account=assessment.partner_id.display_name,
                        day=assessment.date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        assessments = super().create(vals_list)
        labels = {
            name: dict(self._fields[name]._description_selection(self.env))
            for name in ("occasion", "satisfaction", "relationship")
        }
        for assessment in assessments:
            text = self.env._(
                "Customer assessment (%(occasion)s, %(day)s): satisfaction %(score)s/5 "
                "(%(satisfaction)s), relationship %(relationship)s.",
                occasion=labels["occasion"][assessment.occasion],
                day=assessment.date,
                score=assessment.satisfaction,
                satisfaction=labels["satisfaction"][assessment.satisfaction],
                relationship=labels["relationship"][assessment.relationship],
            )
            # in the account's chatter, dated the day it was held, where it counts as a
            # contact on that day
            today = fields.Date.context_today(self)
            assessment.partner_id.message_post(
                date=fields.Datetime.now()
                if assessment.date >= today
                else datetime.combine(assessment.date, time(12)),
                body=Markup("{}<br/>{}").format(text, assessment.note) if assessment.note else text,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                author_id=assessment.user_id.partner_id.id,
            )
        # the health of the accounts takes the new assessment in at once
        assessments.partner_id._compute_account_health()
        return assessments

    @api.model
    def _latest_of(self, partner_ids, since=None):
        """The latest assessment of each account the caller may read, in one query:
        ``{partner_id: record}`` (only those dated ``since`` or later when given)."""
        if not partner_ids:
            return {}
        domain = [("partner_id", "in", list(partner_ids))]
        if since:
            domain.append(("date", ">=", since))
        latest = {}
        for assessment in self.search(domain, order="date desc, id desc"):
            latest.setdefault(assessment.partner_id.id, assessment)
        return latest
