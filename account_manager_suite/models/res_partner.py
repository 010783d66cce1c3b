from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools import float_round
from odoo.tools import plaintext2html

from .account_manager_assessment import RELATIONSHIP
from .account_manager_assessment import RELATIONSHIP_GAP
from .account_manager_assessment import SATISFACTION
from .account_manager_assessment import SATISFACTION_GAP

AT_RISK_REASONS = [
    ("unhappy", "Customer Unhappy"),
    ("competitor", "Considering a Competitor"),
    ("delivery", "Delivery Problem"),
    ("payment", "Payment Problem"),
    ("other", "Other"),
]
HEALTH_STATES = [("good", "Healthy"), ("watch", "Watch"), ("critical", "Critical")]
# Fields of the account's management data: only its owner, its team and sales directors
# may change them.
MANAGEMENT_FIELDS = {
    "account_tier_id",
    "checkin_cadence_days",
    "at_risk",
    "at_risk_reason",
    "at_risk_note",
    "remediation_plan",
    "remediation_user_id",
    "remediation_deadline",
}
DIRECTOR_GROUP = "account_manager_suite.group_sales_director"


class ResPartner(models.Model):
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
        "account.team.member", "partner_id", string="Account Team"
    )
    account_plan_ids = fields.One2many("account.plan", "partner_id", string="Account Plans")
    account_plan_count = fields.Integer(compute="_compute_account_plan_count")

    # check-ins
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

    # health
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
    health_reasons = fields.Text(string="Why this score", readonly=True, copy=False)
    health_date = fields.Date(string="Health Computed On", readonly=True, copy=False)

    # qualitative: the customer's satisfaction and the relationship, as last assessed
    assessment_ids = fields.One2many(
        "account.manager.assessment", "partner_id", string="Customer Assessments", readonly=True
    )
    satisfaction = fields.Selection(
        SATISFACTION,
        string="Customer Satisfaction",
        compute="_compute_satisfaction",
        help="As last assessed (Record assessment).",
    )
    relationship = fields.Selection(
        RELATIONSHIP, string="Relationship Quality", compute="_compute_satisfaction"
    )
    satisfaction_date = fields.Date(string="Last Assessed", compute="_compute_satisfaction")

    # figures of the portfolio, read from the books by the attribution engine
    ams_currency_id = fields.Many2one(
        "res.currency", compute="_compute_account_figures", string="Figures Currency"
    )
    account_figures_visible = fields.Boolean(compute="_compute_account_figures")
    revenue_this_year = fields.Monetary(
        compute="_compute_account_figures", currency_field="ams_currency_id"
    )
    revenue_last_year = fields.Monetary(
        compute="_compute_account_figures", currency_field="ams_currency_id"
    )
    receivable_amount = fields.Monetary(
        string="Open Receivables",
        compute="_compute_account_figures",
        currency_field="ams_currency_id",
    )
    overdue_amount = fields.Monetary(
        compute="_compute_account_figures", currency_field="ams_currency_id"
    )
    open_quotation_count = fields.Integer(compute="_compute_account_figures")
    open_quotation_amount = fields.Monetary(
        compute="_compute_account_figures", currency_field="ams_currency_id"
    )

    # ------------------------------------------------------------------ computes

    @api.depends_context("uid")
    def _compute_satisfaction(self):
        """The latest assessment of each account the user may read, in one query."""
        Assessment = self.env["account.manager.assessment"]
        latest = Assessment._latest_of(self._origin.ids) if Assessment.has_access("read") else {}
        for partner in self:
            assessment = latest.get(partner._origin.id)
            partner.satisfaction = assessment.satisfaction if assessment else False
            partner.relationship = assessment.relationship if assessment else False
            partner.satisfaction_date = assessment.date if assessment else False

    def action_record_assessment(self):
        """Record how satisfied the customer is and how the relationship stands."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Assessment"),
            "res_model": "account.manager.assessment",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def _compute_account_plan_count(self):
        counts = dict(
            self.env["account.plan"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.account_plan_count = counts.get(partner._origin, 0)

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

    @api.depends_context("uid", "company", "allowed_company_ids")
    def _compute_account_figures(self):
        accounts = self.filtered("id").commercial_partner_id
        visible = accounts._ams_accessible_accounts()
        today = fields.Date.context_today(self)
        year_start = today.replace(month=1, day=1)
        engine = self.env["account.manager.revenue"]
        last_year_start = year_start - relativedelta(years=1)
        by_year = engine._revenue(
            last_year_start, today, groupby=("partner", "year"), partner_ids=visible.ids
        )
        receivables = engine._receivables(visible.ids, today)
        # sudo: counts and totals of the accounts in ``visible`` only (the caller's own or
        # team accounts), whoever's quotations they are
        quotations = visible and {
            partner.id: (count, amount)
            for partner, count, amount in self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "child_of", visible.ids),
                    ("state", "in", ("draft", "sent")),
                    ("company_id", "in", self.env.companies.ids),
                ],
                ["partner_id"],
                ["__count", "amount_untaxed:sum"],
            )
        }
        quotation_totals = {}
        for partner in self.env["res.partner"].browse(quotations or ()):
            count, amount = quotations[partner.id]
            total = quotation_totals.setdefault(partner.commercial_partner_id.id, [0, 0.0])
            total[0] += count
            total[1] += amount
        currency = self.env.company.currency_id
        for partner in self:
            account = partner.commercial_partner_id
            partner.ams_currency_id = currency
            partner.account_figures_visible = account in visible
            partner.revenue_this_year = by_year.get((account.id, year_start), 0.0)
            partner.revenue_last_year = by_year.get((account.id, last_year_start), 0.0)
            open_amount, overdue = receivables.get(account.id, (0.0, 0.0))
            partner.receivable_amount = open_amount
            partner.overdue_amount = overdue
            count, amount = quotation_totals.get(account.id, (0, 0.0))
            partner.open_quotation_count = count
            partner.open_quotation_amount = amount

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

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "account_manager_id", "account_tier_id"]

    @api.model_create_multi
    def create(self, vals_list):
        partners = super(ResPartner, self.with_context(_ams_history_written=True)).create(vals_list)
        partners = partners.with_env(self.env)
        owned = partners.filtered(lambda p: p.account_manager_id and p._ams_is_account())
        if owned and not self.env.su and not self.env.user.has_group(DIRECTOR_GROUP):
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
        for user in owned.account_manager_id:
            accounts = owned.filtered(lambda p, u=user: p.account_manager_id == u)
            accounts._set_account_manager(user, day, reason="initial", force=True)
        partners.filtered("at_risk")._ams_flag_at_risk()
        return partners

    def write(self, vals):
        if not self.env.su and vals.keys() & MANAGEMENT_FIELDS:
            self._ams_check_management_access()
        newly_at_risk = self.filtered(lambda p: not p.at_risk) if vals.get("at_risk") else None
        if "at_risk" in vals and not vals["at_risk"]:
            vals = {**vals, "at_risk_since": False}
        if "account_manager_id" in vals and not self.env.context.get("_ams_history_written"):
            accounts = self.filtered(lambda p: p._ams_is_account())
            user = self.env["res.users"].browse(vals["account_manager_id"] or [])
            other_vals = {k: v for k, v in vals.items() if k != "account_manager_id"}
            result = super().write(other_vals) if other_vals else True
            accounts._set_account_manager(
                user,
                self._ams_effective_date(),
                reason=self.env.context.get("account_manager_change_reason", "manual"),
            )
            contacts = self - accounts
            if contacts:
                super(ResPartner, contacts).write({"account_manager_id": user.id})
        else:
            result = super().write(vals)
        if newly_at_risk:
            newly_at_risk._ams_flag_at_risk()
        return result

    # ------------------------------------------------------------------ actions

    def action_refresh_health(self):
        self.commercial_partner_id._compute_account_health()
        return True

    def action_open_reassign_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Re-assign Accounts"),
            "res_model": "account.manager.reassign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.commercial_partner_id.ids},
        }

    def action_view_account_plans(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_manager_suite.action_account_plan"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_print_account_status(self):
        return self.env.ref("account_manager_suite.action_report_account_status").report_action(
            self.commercial_partner_id
        )

    def _account_status_data(self):
        """What the account status report (PDF and XLSX) shows, for a whole portfolio in
        a fixed number of queries. Only accounts the user may see are included."""
        accounts = self.commercial_partner_id._ams_accessible_accounts()
        if not accounts:
            raise UserError(
                self.env._(
                    "The status of these accounts is for their account managers, their account "
                    "teams and sales directors."
                )
            )
        today = fields.Date.context_today(self)
        aging = self.env["account.manager.revenue"]._receivables_aging(accounts.ids, today)
        # sudo: the open plan actions of the accounts of the report, which the caller was
        # checked for just above
        actions = (
            self.env["account.plan.action"]
            .sudo()
            .search(
                [("plan_id.partner_id", "in", accounts.ids), ("state", "=", "open")],
                order="date_deadline",
            )
        )
        empty_aging = dict.fromkeys(("not_due", "1_30", "31_60", "61_90", "over_90"), 0.0)
        satisfaction_labels = dict(self._fields["satisfaction"]._description_selection(self.env))
        relationship_labels = dict(self._fields["relationship"]._description_selection(self.env))
        rows = []
        for account in accounts.sorted("name"):
            rows.append(
                {
                    "account": account.display_name,
                    "manager": account.account_manager_id.name or "",
                    "team": [
                        (member.user_id.name, dict(member._fields["role"].selection)[member.role])
                        for member in account.account_team_member_ids
                    ],
                    "tier": account.account_tier_id.name or "",
                    "health_score": account.health_score,
                    "health_state": dict(HEALTH_STATES).get(account.health_state, ""),
                    "health_reasons": (account.health_reasons or "").splitlines(),
                    "at_risk": dict(AT_RISK_REASONS).get(account.at_risk_reason, "")
                    if account.at_risk
                    else "",
                    "revenue_this_year": account.revenue_this_year,
                    "revenue_last_year": account.revenue_last_year,
                    "receivable": account.receivable_amount,
                    "overdue": account.overdue_amount,
                    "aging": aging.get(account.id, empty_aging),
                    "quotation_count": account.open_quotation_count,
                    "quotation_amount": account.open_quotation_amount,
                    "last_contact": account.last_contact_date,
                    "next_checkin": account.next_checkin_date,
                    "satisfaction": self.env._(
                        "%(satisfaction)s (%(score)s/5), relationship %(relationship)s",
                        satisfaction=satisfaction_labels[account.satisfaction],
                        score=account.satisfaction,
                        relationship=relationship_labels[account.relationship],
                    )
                    if account.satisfaction
                    else "",
                    "satisfaction_date": account.satisfaction_date,
                    "actions": [
                        (action.name, action.user_id.name, action.date_deadline)
                        for action in actions
                        if action.plan_id.partner_id == account
                    ],
                }
            )
        return {
            "title": self.env._("Account Status"),
            "date": today,
            "currency": self.env.company.currency_id,
            "rows": rows,
        }

    # ------------------------------------------------------------------ ownership

    def _ams_is_account(self):
        """An account is a commercial entity: a company or a person without a company."""
        self.ensure_one()
        return self.commercial_partner_id == self

    @api.model
    def _ams_effective_date(self):
        return self.env.context.get("account_manager_effective_date") or fields.Date.context_today(
            self
        )

    def _ams_accessible_accounts(self):
        """The accounts among ``self`` whose management data and figures the user may see:
        all for sales directors, else those they own or sit on the account team of."""
        if self.env.su or self.env.user.has_group(DIRECTOR_GROUP):
            return self
        uid = self.env.uid
        team = self.env["account.team.member"].sudo()
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

    def _set_account_manager(self, user, day, reason="manual", note=False, force=False):
        """Make ``user`` the owner of the accounts in ``self`` from ``day`` on.

        The only writer of the ownership history: it closes each account's current period
        the day before ``day`` (or replaces it when it starts on ``day``) and opens the
        new one, so periods never overlap nor leave gaps. Invoices dated from ``day`` on
        are re-attributed. ``user`` may be empty to end the ownership.

        :param force: skip the permission check (system assignments: hand-over rules)
        """
        accounts = self.filtered(lambda p: p._ams_is_account())
        if not accounts:
            return
        if user:
            self.env["res.users"]._ams_check_assignable(user)
        if not force and not self.env.su and not self.env.user.has_group(DIRECTOR_GROUP):
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
        Ownership = self.env["account.manager.ownership"].sudo()
        # Serialise concurrent owner changes of the same accounts.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id IN %s ORDER BY id FOR UPDATE",
                tuple(accounts.ids),
            )
        )
        latest = {}
        for period in Ownership.search(
            [("partner_id", "in", accounts.ids)], order="date_from desc"
        ):
            latest.setdefault(period.partner_id.id, period)
        to_create, changed = [], self.browse()
        for account in accounts:
            last = latest.get(account.id)
            if last and not last.date_to:
                if last.user_id == user:
                    continue
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
                if day == last.date_from:
                    if user:
                        last.write({"user_id": user.id, "reason": reason, "note": note})
                    else:
                        last.unlink()
                    changed |= account
                    continue
                last.date_to = day - timedelta(days=1)
            elif last and day <= last.date_to:
                raise ValidationError(
                    self.env._(
                        "%(account)s has ownership history until %(until)s: the effective "
                        "date must be after it.",
                        account=account.display_name,
                        until=last.date_to,
                    )
                )
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
        Ownership.create(to_create)
        if changed:
            changed.with_context(_ams_history_written=True).sudo().write(
                {"account_manager_id": user.id, "account_manager_since": user and day}
            )
            changed._ams_reattribute_invoices(day)

    def _ams_reattribute_invoices(self, day):
        # sudo: the owner changed (checked by _set_account_manager); the invoices' stored
        # account manager follows, whoever may read the invoices
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
        if moves:
            # their commissions move with them: the queue job recomputes both managers (the
            # queue notes the former one, so it is queued before the new one is computed)
            moves.filtered(lambda m: m.state == "posted")._ams_queue_commissions()
            self.env.add_to_compute(moves._fields["account_manager_id"], moves)
            moves.flush_recordset(["account_manager_id"])

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
            partner.sudo().activity_schedule(
                activity_type_id=activity_type.id,
                user_id=owner.id,
                date_deadline=partner.remediation_deadline or today + timedelta(days=7),
                summary=self.env._(
                    "Remediation plan: %(reason)s",
                    reason=dict(AT_RISK_REASONS).get(partner.at_risk_reason, ""),
                ),
                # the plan is plain text typed by the team: escaped into the Html note
                note=plaintext2html(partner.remediation_plan or ""),
            )

    # ------------------------------------------------------------------ check-ins

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
    def _cron_schedule_checkins(self):
        """Create a check-in activity for the owner of every account whose cadence has
        passed, unless an open check-in activity exists already (never twice)."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("account_manager_suite.mail_activity_type_checkin")
        accounts = self.search(
            [("account_manager_id", "!=", False), ("account_manager_id.active", "=", True)]
        ).filtered(lambda p: p._ams_is_account())
        accounts._refresh_last_contact()
        due = accounts.filtered(lambda p: p.next_checkin_date and p.next_checkin_date <= today)
        if not due:
            return 0
        # sudo (scheduled action): which accounts have an open check-in already, ids only
        pending = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", due.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        todo = due.filtered(lambda p: p.id not in pending)
        # sudo (scheduled action): the check-ins go to each account's own manager
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": account.id,
                    "activity_type_id": activity_type.id,
                    "user_id": account.account_manager_id.id,
                    "date_deadline": today,
                    "summary": self.env._(
                        "Check-in due: last contact %(last)s, cadence %(days)s days",
                        last=account.last_contact_date or self.env._("never"),
                        days=account.checkin_cadence_days,
                    ),
                }
                for account in todo
            ]
        )
        return len(todo)

    # ------------------------------------------------------------------ health

    @api.model
    def _cron_compute_health(self, batch_size=2000):
        accounts = self.search([("account_manager_id", "!=", False)]).filtered(
            lambda p: p._ams_is_account()
        )
        for start in range(0, len(accounts), batch_size):
            accounts[start : start + batch_size]._compute_account_health()

    def _compute_account_health(self):
        """Health score (0 to 100) of accounts from signals read from the books and the
        chatter, for the whole batch with a fixed number of queries.

        Each signal is a value between 0 (fine) and 1 (worst); the score is 100 minus
        the weighted share of the signals, with the company's weights. The reasons name
        each signal that cost points, with its figures.
        """
        accounts = self.filtered(lambda p: p._ams_is_account())
        if not accounts:
            return
        today = fields.Date.context_today(self)
        engine = self.env["account.manager.revenue"]
        year_ago = today - relativedelta(years=1) + timedelta(days=1)
        by_type = engine._revenue(
            year_ago, today, ("partner", "move_type"), partner_ids=accounts.ids
        )
        year_start = today.replace(month=1, day=1)
        ytd = engine._revenue(year_start, today, ("partner",), partner_ids=accounts.ids)
        ly = engine._revenue(
            year_start - relativedelta(years=1),
            today - relativedelta(years=1),
            ("partner",),
            partner_ids=accounts.ids,
        )
        receivables = engine._receivables(accounts.ids, today)
        # the latest assessment of the last 12 months
        # sudo: the health score is the system's; it is stored on the account, not shown
        assessments = (
            self.env["account.manager.assessment"].sudo()._latest_of(accounts.ids, year_ago)
        )
        relationships = dict(
            self.env["account.manager.assessment"]
            ._fields["relationship"]
            ._description_selection(self.env)
        )
        currency = self.env.company.currency_id
        labels = dict(self._ams_health_labels())
        for account in accounts:
            invoiced = by_type.get((account.id, "out_invoice"), 0.0)
            refunded = -by_type.get((account.id, "out_refund"), 0.0)
            revenue = invoiced - refunded
            open_amount, overdue = receivables.get(account.id, (0.0, 0.0))
            signals, details = {}, {}
            if open_amount > 0:
                signals["overdue"] = _clamp(overdue / open_amount)
                details["overdue"] = self.env._(
                    "%(overdue)s overdue of %(open)s open",
                    overdue=_money(overdue, currency),
                    open=_money(open_amount, currency),
                )
            if revenue > 0 and open_amount > 0:
                dso = open_amount / revenue * 365
                signals["dso"] = _clamp((dso - 30) / 60)
                details["dso"] = self.env._("%(days)s days", days=int(float_round(dso, 0)))
            elif open_amount > 0:
                signals["dso"] = 1.0
                details["dso"] = self.env._("open receivables without revenue in 12 months")
            if invoiced > 0 and refunded > 0:
                ratio = refunded / invoiced
                signals["credit_notes"] = _clamp(ratio / 0.2)
                details["credit_notes"] = self.env._(
                    "%(pct)s%% of invoiced revenue credited", pct=_pct(ratio)
                )
            last_year = ly.get((account.id,), 0.0)
            this_year = ytd.get((account.id,), 0.0)
            if last_year > 0 and this_year < last_year:
                change = (this_year - last_year) / last_year
                signals["trend"] = _clamp(-change / 0.5)
                details["trend"] = self.env._(
                    "%(pct)s%% below last year to date (%(now)s vs %(then)s)",
                    pct=_pct(-change),
                    now=_money(this_year, currency),
                    then=_money(last_year, currency),
                )
            if account.next_checkin_date and account.next_checkin_date < today:
                late = (today - account.next_checkin_date).days
                signals["checkin"] = _clamp(late / max(account.checkin_cadence_days, 1))
                details["checkin"] = self.env._("check-in %(days)s days late", days=late)
            if account.at_risk:
                signals["risk"] = 1.0
                details["risk"] = dict(AT_RISK_REASONS).get(account.at_risk_reason, "")
            assessment = assessments.get(account.id)
            if assessment:
                signals["satisfaction"] = (
                    SATISFACTION_GAP[assessment.satisfaction]
                    + RELATIONSHIP_GAP[assessment.relationship]
                ) / 2
                details["satisfaction"] = self.env._(
                    "satisfaction %(score)s/5, relationship %(relationship)s on %(day)s",
                    score=assessment.satisfaction,
                    relationship=relationships[assessment.relationship],
                    day=assessment.date,
                )
            weights = (account.company_id or self.env.company)._ams_health_weights()
            total = sum(weights.values())
            lost, reasons = 0.0, []
            for key, value in signals.items():
                points = 100.0 * weights[f"ams_health_weight_{key}"] * value / total
                if points > 0:
                    lost += points
                    reasons.append(
                        self.env._(
                            "%(label)s: %(detail)s (-%(points)s points)",
                            label=labels[key],
                            detail=details[key],
                            points=float_round(points, 1),
                        )
                    )
            score = int(float_round(100.0 - lost, 0))
            # sudo: computed fields of the score, written for whoever triggered it
            account.sudo().write(
                {
                    "health_score": score,
                    "health_state": "good"
                    if score >= 70
                    else "watch"
                    if score >= 40
                    else "critical",
                    "health_reasons": "\n".join(reasons)
                    or self.env._("No warning signal: receivables, revenue and contact are fine."),
                    "health_date": today,
                }
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


def _clamp(value):
    return min(1.0, max(0.0, value))


def _pct(ratio):
    return float_round(ratio * 100, 1)


def _money(amount, currency):
    return f"{currency.round(amount):,.2f} {currency.name}"
