from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from ..models.account_manager_commission_settlement import ACCOUNTANT_GROUP
from ..models.account_manager_performance_event import PERFORMANCE_STATES
from ..models.res_partner import DIRECTOR_GROUP

QUARTERS = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]


class AccountManagerQuarterlyReportWizard(models.TransientModel):
    """Quarterly sales results for senior management, as PDF or XLSX.

    ``_report_data`` is the one data provider of both formats: they show the same
    figures, read from the attribution engine, the quotas and the commission lines.
    """

    _name = "account.manager.quarterly.report.wizard"
    _inherit = ["account.manager.input.mixin"]
    _description = "Quarterly Sales Results"

    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    quarter = fields.Selection(
        QUARTERS,
        required=True,
        default=lambda self: str((fields.Date.context_today(self).month - 1) // 3 + 1),
    )
    team_id = fields.Many2one("crm.team", string="Sales Team")
    user_ids = fields.Many2many(
        "res.users",
        string="Account Managers",
        help="Empty: every manager with a quota or revenue in the quarter.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    @api.model
    def default_get(self, fields_list):
        """Opened from selected quotas: their quarter and managers."""
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "account.manager.quota":
            quotas = self.env["account.manager.quota"].browse(
                self.env.context.get("active_ids", [])
            )
            if quotas:
                start = min(quotas.mapped("date_from"))
                values.update(
                    {
                        "year": start.year,
                        "quarter": str((start.month - 1) // 3 + 1),
                        "user_ids": [(6, 0, quotas.user_id.ids)],
                    }
                )
        return values

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not 2000 <= wizard.year <= 2100:
                raise ValidationError(
                    self.env._(
                        "Year %(year)s is not a valid report year: enter a year such as %(now)s.",
                        year=wizard.year,
                        now=fields.Date.context_today(self).year,
                    )
                )

    def action_print_pdf(self):
        return self._report_action("account_manager_suite.action_report_quarterly_results")

    def action_export_xlsx(self):
        return self._report_action("account_manager_suite.action_report_quarterly_results_xlsx")

    def _report_action(self, xmlid):
        # the wizard's dialog closes once the file is downloaded
        return {**self.env.ref(xmlid).report_action(self), "close_on_report_download": True}

    def _period(self, shift_quarters=0):
        start = date(self.year, 3 * int(self.quarter) - 2, 1) + relativedelta(
            months=3 * shift_quarters
        )
        return start, start + relativedelta(months=3, days=-1)

    def _report_data(self):
        """The figures of the report, with a fixed number of queries."""
        self.ensure_one()
        company = self.company_id or self.env.company
        # sudo (engine, quotas, lines, ownership, assessments, names below): limited to
        # ``users``, which is the caller alone unless they are a director or accountant
        engine = self.env["account.manager.revenue"].sudo()
        start, end = self._period()
        previous = self._period(-1)
        last_year = self._period(-4)
        users = self.user_ids | self.team_id.member_ids
        me = self.env.user
        is_director = self.env.su or me.has_group(DIRECTOR_GROUP)
        if not (is_director or me.has_group(ACCOUNTANT_GROUP)):
            # the sudo() reads below are limited to the managers of the report: an account
            # manager's report is their own, whatever the wizard was sent
            users = me
        user_ids = users.ids or None
        # the quarter by account, the one before and the same quarter last year by manager,
        # in one pass
        current, before, year_ago = {}, defaultdict(float), defaultdict(float)
        for (period, user_id, partner_id), amount in engine._revenue(
            None,
            None,
            ("period", "user", "first_period_partner"),
            user_ids=user_ids,
            company_ids=company.ids,
            periods=[(start, end), previous, last_year],
        ).items():
            if period == 0:
                current[(user_id, partner_id)] = amount
            else:
                (before if period == 1 else year_ago)[(user_id,)] += amount
        quotas = {
            quota.user_id.id: quota
            for quota in self.env["account.manager.quota"]
            .sudo()
            .search(
                [
                    ("date_from", "=", start),
                    ("period_type", "=", "quarter"),
                    ("company_id", "=", company.id),
                    *([("user_id", "in", users.ids)] if users else []),
                ]
            )
        }
        commissions = dict(
            self.env["account.manager.commission.line"]
            .sudo()
            ._read_group(
                [("date_from", "=", start), ("company_id", "=", company.id)],
                ["user_id"],
                ["amount:sum"],
            )
        )
        # the qualitative side and the size of each portfolio: accounts owned at the
        # quarter's end, and the customers' average satisfaction assessed in the quarter
        user_domain = [("user_id", "in", users.ids)] if users else []
        Ownership = self.env["account.manager.ownership"].sudo()
        accounts = dict(
            Ownership._read_group(
                [
                    *Ownership._domain_on(end),
                    ("company_id", "in", [company.id, False]),
                    *user_domain,
                ],
                ["user_id"],
                ["__count"],
            )
        )
        assessed = [
            ("date", ">=", start),
            ("date", "<=", end),
            ("company_id", "=", company.id),
            *([("account_manager_id", "in", users.ids)] if users else []),
        ]
        Assessment = self.env["account.manager.assessment"].sudo()
        satisfaction = {
            user: (average, count)
            for user, average, count in Assessment._read_group(
                assessed, ["account_manager_id"], ["satisfaction_score:avg", "__count"]
            )
        }
        handover = self.env["account.manager.commission.line"]._handover_dates(
            {partner_id for _uid, partner_id in current}
        )
        new_since = end - relativedelta(months=12)
        per_user = defaultdict(lambda: {"actual": 0.0, "new": 0.0, "accounts": []})
        for (user_id, partner_id), amount in current.items():
            if not user_id:
                continue
            row = per_user[user_id]
            row["actual"] += amount
            if handover.get(partner_id) and handover[partner_id] > new_since:
                row["new"] += amount
            row["accounts"].append((partner_id, amount))
        ids = set(per_user) | set(quotas)
        if users:
            ids &= set(users.ids)
        for row in per_user.values():
            row["accounts"] = sorted(row["accounts"], key=lambda a: -a[1])[:5]
        # the names of the top accounts only, in one query
        names = {
            partner.id: partner.complete_name
            for partner in self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("id", "in", [pid for row in per_user.values() for pid, _a in row["accounts"]])],
                ["complete_name"],
            )
        }
        states = dict(PERFORMANCE_STATES)
        rows = []
        for user in self.env["res.users"].sudo().browse(sorted(ids)).sorted("name"):
            row = per_user[user.id]
            quota = quotas.get(user.id)
            target = quota.target if quota else 0.0
            actual = row["actual"]
            prev = before.get((user.id,), 0.0)
            ly = year_ago.get((user.id,), 0.0)
            rows.append(
                {
                    "user": user.name,
                    "team": (quota.team_id if quota else user.sale_team_id).name or "",
                    "quota": target,
                    "actual": actual,
                    "attainment": actual / target if target else 0.0,
                    "previous": prev,
                    "change_previous": (actual - prev) / prev if prev else 0.0,
                    "last_year": ly,
                    "change_last_year": (actual - ly) / ly if ly else 0.0,
                    "new_business": row["new"],
                    "existing": actual - row["new"],
                    "commission": commissions.get(user, 0.0),
                    "accounts": accounts.get(user, 0),
                    "satisfaction": satisfaction[user][0] if user in satisfaction else None,
                    # personnel data: directors see every status, others their own only
                    "status": states.get(user.ams_performance_state, "")
                    if is_director or user == me
                    else "",
                    "top": [(names[pid], amount) for pid, amount in row["accounts"]],
                }
            )
        teams = defaultdict(lambda: {"quota": 0.0, "actual": 0.0})
        for row in rows:
            teams[row["team"]]["quota"] += row["quota"]
            teams[row["team"]]["actual"] += row["actual"]
        # the average of every assessment of the managers shown, not of their averages
        shown = {row_user for row_user in satisfaction if row_user.id in ids}
        assessments = sum(satisfaction[u][1] for u in shown)
        total_satisfaction = (
            sum(satisfaction[u][0] * satisfaction[u][1] for u in shown) / assessments
            if assessments
            else None
        )
        total_quota = sum(row["quota"] for row in rows)
        total_actual = sum(row["actual"] for row in rows)
        return {
            "title": self.env._(
                "Quarterly Sales Results Q%(quarter)s %(year)s",
                quarter=self.quarter,
                year=self.year,
            ),
            "date_from": start,
            "date_to": end,
            "currency": company.currency_id,
            "rows": rows,
            "teams": [
                {
                    **values,
                    "team": team,
                    "attainment": values["actual"] / values["quota"] if values["quota"] else 0.0,
                }
                for team, values in sorted(teams.items())
            ],
            "total_quota": total_quota,
            "total_actual": total_actual,
            "total_attainment": total_actual / total_quota if total_quota else 0.0,
            "total_accounts": sum(row["accounts"] for row in rows),
            "total_satisfaction": total_satisfaction,
            "empty": not rows,
        }
