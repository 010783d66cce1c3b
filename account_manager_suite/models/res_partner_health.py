from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import date_utils
from odoo.tools import float_round
from odoo.tools import format_amount
from odoo.tools import plaintext2html

from ..const import AT_RISK_REASONS
from ..const import HEALTH_STATES
from ..health import scoring
from .account_manager_assessment import RELATIONSHIP_GAP
from .account_manager_assessment import SATISFACTION_GAP
from .cron_batch import run_batch

WEIGHT_PREFIX = "ams_health_weight_"


# res.partner is split by concern on purpose (issue 18): one file each
class ResPartner(models.Model):
    """The account's health: the at-risk flag with its remediation, and the health score
    the daily job writes (the scoring itself is ``health.scoring``: signals in, score and
    reasons out)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    at_risk = fields.Boolean(tracking=True, copy=False)
    at_risk_reason = fields.Selection(AT_RISK_REASONS, string="Risk Reason", tracking=True)
    at_risk_note = fields.Text(string="Risk Details")
    at_risk_since = fields.Date(readonly=True, copy=False)
    remediation_plan = fields.Text()
    remediation_user_id = fields.Many2one(
        "res.users", string="Remediation Owner", domain=[("share", "=", False)]
    )
    remediation_deadline = fields.Date()
    health_score = fields.Integer(readonly=True, copy=False, aggregator="avg")
    health_state = fields.Selection(HEALTH_STATES, readonly=True, copy=False)
    health_reasons = fields.Text(
        string="Why this score",
        compute="_compute_health_reasons",
        help="Shown to the account's manager, its team and sales directors, as its figures.",
    )
    # the reasons as the health job wrote them (the latest assessment, the receivables):
    # read through ``health_reasons`` by whoever may see the account's figures
    health_reasons_text = fields.Text(readonly=True, copy=False, groups="base.group_system")
    health_date = fields.Date(string="Health Computed On", readonly=True, copy=False)

    @api.depends("health_reasons_text")
    @api.depends_context("uid")
    def _compute_health_reasons(self):
        """The reasons of the accounts whose figures the user may see (the same rule as
        the revenue and receivables they quote), nothing for the others."""
        visible = self.filtered("id").commercial_partner_id._ams_accessible_accounts()
        for partner in self:
            # sudo: the stored reasons of an account the user may see the figures of
            partner.health_reasons = (
                partner.sudo().health_reasons_text
                if partner.commercial_partner_id in visible
                else False
            )

    # ------------------------------------------------------------------ constraints

    @api.constrains("at_risk", "at_risk_reason", "remediation_deadline", "at_risk_since")
    def _check_at_risk(self):
        for partner in self.filtered("at_risk"):
            if not partner.at_risk_reason:
                raise ValidationError(
                    self.env._(
                        "%(account)s is flagged at risk without a Risk Reason: choose why "
                        "(unhappy, competitor, delivery, payment, other).",
                        account=partner.display_name,
                    )
                )
            if (
                partner.remediation_deadline
                and partner.at_risk_since
                and partner.remediation_deadline < partner.at_risk_since
            ):
                raise ValidationError(
                    self.env._(
                        "The Remediation Deadline of %(account)s (%(deadline)s) is before the "
                        "account was flagged at risk (%(since)s): choose a later date.",
                        account=partner.display_name,
                        deadline=partner.remediation_deadline,
                        since=partner.at_risk_since,
                    )
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered("at_risk")._ams_flag_at_risk()
        return partners

    def write(self, vals):
        newly_at_risk = self.filtered(lambda p: not p.at_risk) if vals.get("at_risk") else None
        if "at_risk" in vals and not vals["at_risk"]:
            vals = {**vals, "at_risk_since": False}
        result = super().write(vals)
        if newly_at_risk:
            newly_at_risk._ams_flag_at_risk()
        return result

    # ------------------------------------------------------------------ actions

    def action_refresh_health(self):
        self.commercial_partner_id._compute_account_health()
        return True

    # ------------------------------------------------------------------ at risk

    def _ams_flag_at_risk(self):
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("account_manager_suite.mail_activity_type_remediation")
        for partner in self:
            vals = {"at_risk_since": today}
            owner = partner.remediation_user_id or partner.account_manager_id or self.env.user
            if not partner.remediation_user_id:
                vals["remediation_user_id"] = owner.id
            # sudo: the user was checked for the at-risk fields (write); the date and the
            # remediation to-do follow for the owner
            partner.sudo().write(vals)
            # the to-do is the owner's: in their language, the reason's label too
            env = partner.with_context(lang=owner.lang).env
            reasons = dict(self._fields["at_risk_reason"]._description_selection(env))
            # sudo: the remediation to-do of the account's owner, which follows the flag
            partner.sudo().activity_schedule(
                activity_type_id=activity_type.id,
                user_id=owner.id,
                date_deadline=partner.remediation_deadline or today + timedelta(days=7),
                summary=env._(
                    "Remediation plan: %(reason)s",
                    reason=reasons.get(partner.at_risk_reason, ""),
                ),
                # the plan is plain text typed by the team: escaped into the Html note
                note=plaintext2html(partner.remediation_plan or ""),
            )

    # ------------------------------------------------------------------ health

    @api.model
    def _cron_compute_health(self, batch_size=2000):
        """The health of every owned account, ``batch_size`` accounts per transaction: the
        scheduler runs the job again while some remain (those not computed today)."""
        today = fields.Date.context_today(self)
        pending = [
            *self._ams_account_domain(),
            ("account_manager_id", "!=", False),
            "|",
            ("health_date", "=", False),
            ("health_date", "<", today),
        ]
        run_batch(self, pending, batch_size, lambda accounts: accounts._compute_account_health())

    def _compute_account_health(self):
        """Health score (0 to 100) of accounts from signals read from the books and the
        chatter, for the whole batch with a fixed number of queries; written with one write
        per distinct result."""
        accounts = self.filtered(lambda p: p._ams_is_account())
        if not accounts:
            return
        today = fields.Date.context_today(self)
        signals = accounts._ams_health_signals(today)
        by_values = {}
        for account in accounts:
            weights = (account.company_id or self.env.company)._ams_health_weights()
            health = scoring.score(
                signals[account.id],
                {key.removeprefix(WEIGHT_PREFIX): value for key, value in weights.items()},
            )
            values = {
                "health_score": health.score,
                "health_state": health.state,
                "health_reasons_text": account._ams_health_text(health.reasons)
                or self.env._("No warning signal: receivables, revenue and contact are fine."),
                "health_date": today,
            }
            key = tuple(values.values())
            by_values.setdefault(key, (values, []))[1].append(account.id)
        for values, ids in by_values.values():
            # sudo: computed fields of the score, written for whoever triggered it
            self.browse(ids).sudo().write(values)

    def _ams_health_signals(self, today):
        """The signals of ``health.scoring`` for each account of ``self``, in a fixed number
        of queries: ``{partner_id: scoring.Signals}``."""
        engine = self.env["account.manager.revenue"]
        # the signals' amounts and their reasons in one named currency
        currency = engine._figures_currency()
        year_ago = today - relativedelta(years=1) + timedelta(days=1)
        by_type = engine._revenue(
            year_ago, today, ("partner", "move_type"), partner_ids=self.ids, currency=currency
        )
        year_start = date_utils.start_of(today, "year")
        ytd = engine._revenue(
            year_start, today, ("partner",), partner_ids=self.ids, currency=currency
        )
        ly = engine._revenue(
            year_start - relativedelta(years=1),
            today - relativedelta(years=1),
            ("partner",),
            partner_ids=self.ids,
            currency=currency,
        )
        receivables = engine._receivables(self.ids, today, currency=currency)
        # sudo: the latest assessment of the last 12 months, whoever recorded it: the health
        # score is the system's, stored on the account
        assessments = self.env["account.manager.assessment"].sudo()._latest_of(self.ids, year_ago)
        signals = {}
        for account in self:
            open_amount, overdue = receivables.get(account.id, (0.0, 0.0))
            assessment = assessments.get(account.id)
            late = account.next_checkin_date and (today - account.next_checkin_date).days
            signals[account.id] = scoring.Signals(
                invoiced=by_type.get((account.id, "out_invoice"), 0.0),
                refunded=-by_type.get((account.id, "out_refund"), 0.0),
                open_amount=open_amount,
                overdue=overdue,
                this_year=ytd.get((account.id,), 0.0),
                last_year=ly.get((account.id,), 0.0),
                days_late=max(late or 0, 0),
                cadence_days=account.checkin_cadence_days,
                at_risk=account.at_risk,
                **(_assessment_signal(assessment) if assessment else {}),
            )
        return signals

    def _ams_health_text(self, reasons):
        """The reasons of the account's score in words, one line each."""
        self.ensure_one()
        labels = dict(self._ams_health_labels())
        return "\n".join(
            self.env._(
                "%(label)s: %(detail)s (-%(points)s points)",
                label=labels[reason.key],
                detail=self._ams_health_detail(reason),
                points=float_round(reason.points, 1),
            )
            for reason in reasons
        )

    def _ams_health_detail(self, reason):
        """The figures behind one reason of ``health.scoring``, in words."""
        figures = reason.figures
        currency = self.env["account.manager.revenue"]._figures_currency()
        match reason.key:
            case "overdue":
                return self.env._(
                    "%(overdue)s overdue of %(open)s open",
                    overdue=format_amount(self.env, figures["overdue"], currency),
                    open=format_amount(self.env, figures["open"], currency),
                )
            case "dso" if figures["dso"] is None:
                return self.env._("open receivables without revenue in 12 months")
            case "dso":
                return self.env._("%(days)s days", days=int(float_round(figures["dso"], 0)))
            case "credit_notes":
                return self.env._(
                    "%(pct)s%% of invoiced revenue credited", pct=_pct(figures["ratio"])
                )
            case "trend":
                return self.env._(
                    "%(pct)s%% below last year to date (%(now)s vs %(then)s)",
                    pct=_pct(figures["drop"]),
                    now=format_amount(self.env, figures["now"], currency),
                    then=format_amount(self.env, figures["then"], currency),
                )
            case "checkin":
                return self.env._("check-in %(days)s days late", days=figures["days"])
            case "risk":
                reasons = self._fields["at_risk_reason"]._description_selection(self.env)
                return dict(reasons).get(self.at_risk_reason, "")
        relationships = dict(
            self.env["account.manager.assessment"]
            ._fields["relationship"]
            ._description_selection(self.env)
        )
        return self.env._(
            "satisfaction %(score)s/5, relationship %(relationship)s on %(day)s",
            score=figures["satisfaction"],
            relationship=relationships[figures["relationship"]],
            day=figures["date"],
        )

    @api.model
    def _ams_health_labels(self):
        return [
            ("overdue", self.env._("Overdue receivables")),
            ("dso", self.env._("Days sales outstanding")),
            ("credit_notes", self.env._("Credit notes")),
            ("trend", self.env._("Revenue trend")),
            ("checkin", self.env._("Overdue check-in")),
            ("risk", self.env._("Flagged at risk")),
            ("satisfaction", self.env._("Customer satisfaction")),
        ]


def _assessment_signal(assessment):
    return {
        "satisfaction_gap": (
            SATISFACTION_GAP[assessment.satisfaction] + RELATIONSHIP_GAP[assessment.relationship]
        )
        / 2,
        "assessment": {
            "satisfaction": assessment.satisfaction,
            "relationship": assessment.relationship,
            "date": assessment.date,
        },
    }


def _pct(ratio):
    return float_round(ratio * 100, 1)
