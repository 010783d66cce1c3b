from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL
from odoo.tools import float_round
from odoo.tools import format_amount

from .account_manager_quota import _FIGURE_FIELDS
from .cron_batch import run_batch


class AccountManagerQuota(models.Model):
    """The quota's figures: actual, attainment, projection and top accounts, read from the
    attribution engine while the period is open (frozen once it is closed), and the hourly
    job that keeps them current."""

    _inherit = "account.manager.quota"  # pylint: disable=consider-merging-classes-inherited

    actual_amount = fields.Monetary(string="Actual", readonly=True, copy=False)
    attainment = fields.Float(
        string="Attainment (%)", readonly=True, copy=False, aggregator="avg", digits=(16, 1)
    )
    remaining_amount = fields.Monetary(string="Remaining", readonly=True, copy=False)
    projected_amount = fields.Monetary(
        string="Run-rate Projection",
        readonly=True,
        copy=False,
        help="Actual extrapolated to the end of the period at the pace so far.",
    )
    projected_attainment = fields.Float(
        string="Projected Attainment (%)", readonly=True, copy=False, aggregator="avg"
    )
    over_attainment_amount = fields.Monetary(
        string="Over-attainment",
        readonly=True,
        copy=False,
        help="Actual above target; frozen when the period is closed. Drives quota bonuses.",
    )
    refreshed_at = fields.Datetime(string="Figures Of", readonly=True, copy=False)
    top_accounts_html = fields.Html(string="Top Accounts", compute="_compute_top_accounts_html")

    @api.depends("user_id", "date_from", "date_to", "company_id")
    @api.depends_context("uid")
    def _compute_top_accounts_html(self):
        quotas = self._readable_figures().filtered(
            lambda q: q.user_id and q.date_from and q.date_to
        )
        (self - quotas).top_accounts_html = False
        engine = self.env["account.manager.revenue"]
        by_company = defaultdict(lambda: self.browse())
        for quota in quotas:
            by_company[quota.company_id] |= quota
        for company, batch in by_company.items():
            currency = company.currency_id
            # one query for the batch: revenue per manager, account and month
            revenue = engine._revenue(
                min(batch.mapped("date_from")),
                max(batch.mapped("date_to")),
                ("user", "partner", "month"),
                user_ids=batch.user_id.ids,
                company_ids=company.ids,
            )
            for quota in batch:
                per_account = defaultdict(float)
                for (user_id, partner_id, month), amount in revenue.items():
                    if user_id == quota.user_id.id and quota.date_from <= month <= quota.date_to:
                        per_account[partner_id] += amount
                top = sorted(per_account.items(), key=lambda item: -item[1])[:5]
                partners = self.env["res.partner"].browse([pid for pid, _amount in top])
                # QWeb escapes the names (typed by colleagues, or by the customer on the
                # portal): never build this fragment by string formatting
                quota.top_accounts_html = self.env["ir.qweb"]._render(
                    "account_manager_suite.quota_top_accounts",
                    {
                        "rows": [
                            (partner.display_name, format_amount(self.env, amount, currency))
                            for partner, (_pid, amount) in zip(partners, top, strict=True)
                        ]
                    },
                )

    def _refresh_attainment(self):
        """Refresh the figures of open quotas from the attribution engine: one query per
        company and basis, whatever the number of quotas, managers and invoices."""
        quotas = self.filtered(lambda q: q.state == "open")
        if not quotas:
            return
        self.flush_model()
        # sudo: the revenue of these quotas' own managers and periods, stored as the
        # quotas' figures (reading ``state`` above checked the caller may read the quotas)
        engine = self.env["account.manager.revenue"].sudo()
        groups = defaultdict(lambda: self.browse())
        for quota in quotas:
            groups[(quota.company_id, quota.basis)] |= quota
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        for (company, basis), batch in groups.items():
            date_from = min(batch.mapped("date_from"))
            date_to = max(batch.mapped("date_to"))
            read = engine._revenue if basis == "invoiced" else engine._order_revenue
            by_month = read(
                date_from,
                date_to,
                ("user", "month"),
                user_ids=batch.user_id.ids,
                company_ids=company.ids,
            )
            months_of = _months_of_users(by_month)
            rows = []
            for quota in batch:
                actual = sum(
                    amount
                    for month, amount in months_of[quota.user_id.id]
                    if quota.date_from <= month <= quota.date_to
                )
                values = quota._attainment_values(actual, today)
                rows.append(SQL("(%s, %s, %s, %s, %s, %s, %s)", quota.id, *values.values()))
            # One statement for the batch: these stored figures are a snapshot written only
            # here, without business logic to trigger.
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE account_manager_quota q
                       SET actual_amount = v.actual, attainment = v.attainment,
                           remaining_amount = v.remaining, projected_amount = v.projected,
                           projected_attainment = v.projected_attainment,
                           over_attainment_amount = v.over, refreshed_at = %(now)s,
                           write_date = %(now)s, write_uid = %(uid)s
                      FROM (VALUES %(rows)s) AS v(id, actual, attainment, remaining, projected,
                                                  projected_attainment, over)
                     WHERE q.id = v.id
                    """,
                    now=now,
                    uid=self.env.uid,
                    rows=SQL(", ").join(rows),
                )
            )
        quotas.invalidate_recordset([*_FIGURE_FIELDS, "refreshed_at", "write_date", "write_uid"])

    def _attainment_values(self, actual, today):
        self.ensure_one()
        currency = self.currency_id
        actual = currency.round(actual)
        if today < self.date_from:
            projected = 0.0
        elif today > self.date_to:
            projected = actual
        else:
            elapsed = (today - self.date_from).days + 1
            total = (self.date_to - self.date_from).days + 1
            projected = currency.round(actual * total / elapsed)
        target = self.target or 1.0
        # keys in the order of _FIGURE_FIELDS: _refresh_attainment writes them positionally
        return {
            "actual_amount": actual,
            "attainment": float_round(100.0 * actual / target, 2),
            "remaining_amount": max(currency.round(self.target - actual), 0.0),
            "projected_amount": projected,
            "projected_attainment": float_round(100.0 * projected / target, 2),
            "over_attainment_amount": max(currency.round(actual - self.target), 0.0),
        }

    @api.model
    def _cron_refresh_open_quotas(self, batch_size=1000):
        """The figures of the running quotas, ``batch_size`` quotas per transaction: those
        not refreshed since the job last ran (the scheduler gives the time in the context's
        ``lastcall`` and runs the job again while some remain)."""
        today = fields.Date.context_today(self)
        since = self.env.context.get("lastcall") or fields.Datetime.now()
        pending = [
            ("state", "=", "open"),
            ("date_from", "<=", today),
            "|",
            ("refreshed_at", "=", False),
            ("refreshed_at", "<", since),
        ]
        run_batch(self, pending, batch_size, lambda quotas: quotas._refresh_attainment())


def _months_of_users(by_month):
    """``{(user_id, month): amount}`` as ``{user_id: [(month, amount)]}``."""
    months_of = defaultdict(list)
    for (user_id, month), amount in by_month.items():
        months_of[user_id].append((month, amount))
    return months_of
