from collections import defaultdict
from datetime import date

from odoo import api
from odoo import models
from odoo.tools import date_utils

from ..const import acts_as_director
from ..const import sees_every_manager
from ..models.account_manager_performance_event import PERFORMANCE_STATES


class ReportQuarterlyResults(models.AbstractModel):
    """The figures of the quarterly sales results, the one provider of the PDF (this
    model's template) and the workbook (``quarterly_results_xlsx``): the attribution
    engine's revenue, the quotas, the commission lines, the portfolios and the customers'
    satisfaction, with a fixed number of queries whatever the number of managers."""

    _name = "report.account_manager_suite.report_quarterly_results"
    _description = "Quarterly Sales Results (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        wizards = self.env["account.manager.quarterly.report.wizard"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": wizards._name,
            "docs": wizards,
            "reports": {wizard.id: self._report_data(wizard) for wizard in wizards},
        }

    @api.model
    def _readers_managers(self, users):
        """The managers the reader may see: an account manager's report is their own,
        whatever the wizard was sent. The sudo() reads of this report are limited to them."""
        me = self.env.user
        if sees_every_manager(self.env):
            return users
        return me

    @api.model
    def _quarter(self, wizard, shift_quarters=0):
        """First and last day of the wizard's quarter, shifted by ``shift_quarters``."""
        # a day of the quarter (the first of its last month), shifted; get_quarter bounds it
        day = date_utils.add(
            date(wizard.year, 3 * int(wizard.quarter), 1), months=3 * shift_quarters
        )
        return date_utils.get_quarter(day)

    @api.model
    def _report_data(self, wizard):
        """The figures of the report of one wizard."""
        wizard.ensure_one()
        company = wizard.company_id or self.env.company
        start, end = self._quarter(wizard)
        users = self._readers_managers(wizard.user_ids | wizard.team_id.member_ids)
        current, before, year_ago = self._revenue(wizard, users, company)
        quotas = self._quotas(users, start, company)
        per_user = self._per_user(current, end)
        ids = set(per_user) | set(quotas)
        if users:
            ids &= set(users.ids)
        satisfaction = self._satisfaction(users, start, end, company)
        figures = {
            "quotas": quotas,
            "per_user": per_user,
            "before": before,
            "year_ago": year_ago,
            "commissions": self._commissions(start, company),
            "accounts": self._portfolio_sizes(users, end, company),
            "satisfaction": satisfaction,
            "names": self._top_names(per_user),
        }
        # sudo: the names and teams of the managers the reader may see (_readers_managers)
        managers = self.env["res.users"].sudo().browse(sorted(ids)).sorted("name")
        rows = [self._row(user, figures) for user in managers]
        total_quota = sum(row["quota"] for row in rows)
        total_actual = sum(row["actual"] for row in rows)
        return {
            "title": self.env._(
                "Quarterly Sales Results Q%(quarter)s %(year)s",
                quarter=wizard.quarter,
                year=wizard.year,
            ),
            "date_from": start,
            "date_to": end,
            "currency": company.currency_id,
            "rows": rows,
            "teams": self._teams(rows),
            "total_quota": total_quota,
            "total_actual": total_actual,
            "total_attainment": total_actual / total_quota if total_quota else 0.0,
            "total_accounts": sum(row["accounts"] for row in rows),
            "total_satisfaction": self._average_satisfaction(satisfaction, managers),
            "empty": not rows,
        }

    # ------------------------------------------------------------------ the figures

    @api.model
    def _revenue(self, wizard, users, company):
        """The quarter by manager and account, the quarter before and the same quarter last
        year by manager, in one pass of the engine."""
        periods = [self._quarter(wizard), self._quarter(wizard, -1), self._quarter(wizard, -4)]
        current, before, year_ago = {}, defaultdict(float), defaultdict(float)
        # sudo: the engine's revenue of the managers the reader may see (_readers_managers)
        for (period, user_id, partner_id), amount in (
            self.env["account.manager.revenue"]
            .sudo()
            ._revenue(
                None,
                None,
                ("period", "user", "first_period_partner"),
                user_ids=users.ids or None,
                company_ids=company.ids,
                periods=periods,
            )
            .items()
        ):
            if period == 0:
                current[(user_id, partner_id)] = amount
            else:
                (before if period == 1 else year_ago)[user_id] += amount
        return current, before, year_ago

    @api.model
    def _quotas(self, users, start, company):
        # sudo: the quotas of the managers the reader may see (_readers_managers)
        quotas = (
            self.env["account.manager.quota"]
            .sudo()
            .search(
                [
                    ("date_from", "=", start),
                    ("period_type", "=", "quarter"),
                    ("company_id", "=", company.id),
                    *([("user_id", "in", users.ids)] if users else []),
                ]
            )
        )
        return {quota.user_id.id: quota for quota in quotas}

    @api.model
    def _commissions(self, start, company):
        # sudo: the quarter's commission by manager; the report shows the rows of the
        # managers the reader may see only (_readers_managers)
        return dict(
            self.env["account.manager.commission.line"]
            .sudo()
            ._read_group(
                [("date_from", "=", start), ("company_id", "=", company.id)],
                ["user_id"],
                ["amount:sum"],
            )
        )

    @api.model
    def _portfolio_sizes(self, users, end, company):
        """The number of accounts each manager owns at the quarter's end."""
        # sudo: the portfolios of the managers the reader may see (_readers_managers)
        Ownership = self.env["account.manager.ownership"].sudo()
        return dict(
            Ownership._read_group(
                [
                    *Ownership._domain_on(end),
                    ("company_id", "in", [company.id, False]),
                    *([("user_id", "in", users.ids)] if users else []),
                ],
                ["user_id"],
                ["__count"],
            )
        )

    @api.model
    def _satisfaction(self, users, start, end, company):
        """The customers' average satisfaction assessed in the quarter, and the number of
        assessments, by manager."""
        domain = [
            ("date", ">=", start),
            ("date", "<=", end),
            ("company_id", "=", company.id),
            *([("account_manager_id", "in", users.ids)] if users else []),
        ]
        # sudo: the satisfaction of the accounts of the managers the reader may see
        return {
            user: (average, count)
            for user, average, count in self.env["account.manager.assessment"]
            .sudo()
            ._read_group(domain, ["account_manager_id"], ["satisfaction_score:avg", "__count"])
        }

    @api.model
    def _per_user(self, current, end):
        """Actual, new business (accounts handed over in the last 12 months) and the top
        five accounts of each manager."""
        new_since = date_utils.subtract(end, months=12)
        handover = self.env["account.manager.commission.line"]._handover_dates(
            {partner_id for _uid, partner_id in current}, after=new_since
        )
        per_user = defaultdict(lambda: {"actual": 0.0, "new": 0.0, "accounts": []})
        for (user_id, partner_id), amount in current.items():
            if not user_id:
                continue
            row = per_user[user_id]
            row["actual"] += amount
            if handover.get(partner_id) and handover[partner_id] > new_since:
                row["new"] += amount
            row["accounts"].append((partner_id, amount))
        for row in per_user.values():
            row["accounts"] = sorted(row["accounts"], key=lambda a: -a[1])[:5]
        return per_user

    @api.model
    def _top_names(self, per_user):
        """The names of the top accounts only, in one query."""
        partner_ids = [pid for row in per_user.values() for pid, _amount in row["accounts"]]
        # sudo: the names of the top accounts of the managers the reader may see
        return {
            partner.id: partner.complete_name
            for partner in self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([("id", "in", partner_ids)], ["complete_name"])
        }

    @api.model
    def _row(self, user, figures):
        """One manager's line of the report. A change against a period without revenue is
        None: there is no percentage of nothing (the report prints a dash)."""
        row = figures["per_user"][user.id]
        quota = figures["quotas"].get(user.id)
        target = quota.target if quota else 0.0
        actual = row["actual"]
        previous = figures["before"].get(user.id, 0.0)
        last_year = figures["year_ago"].get(user.id, 0.0)
        satisfaction = figures["satisfaction"].get(user)
        return {
            "user": user.name,
            "team": (quota.team_id if quota else user.sale_team_id).name or "",
            "quota": target,
            "actual": actual,
            "attainment": actual / target if target else 0.0,
            "previous": previous,
            "change_previous": _change(actual, previous),
            "last_year": last_year,
            "change_last_year": _change(actual, last_year),
            "new_business": row["new"],
            "existing": actual - row["new"],
            "commission": figures["commissions"].get(user, 0.0),
            "accounts": figures["accounts"].get(user, 0),
            "satisfaction": satisfaction[0] if satisfaction else None,
            # personnel data: directors see every status, others their own only
            # sudo: the status, read only where the condition below allows it
            "status": dict(PERFORMANCE_STATES).get(user.sudo().ams_performance_state, "")
            if user == self.env.user or acts_as_director(self.env)
            else "",
            "top": [(figures["names"][pid], amount) for pid, amount in row["accounts"]],
        }

    @api.model
    def _teams(self, rows):
        teams = defaultdict(lambda: {"quota": 0.0, "actual": 0.0})
        for row in rows:
            teams[row["team"]]["quota"] += row["quota"]
            teams[row["team"]]["actual"] += row["actual"]
        return [
            {
                **values,
                "team": team,
                "attainment": values["actual"] / values["quota"] if values["quota"] else 0.0,
            }
            for team, values in sorted(teams.items())
        ]

    @api.model
    def _average_satisfaction(self, satisfaction, managers):
        """The average of every assessment of the managers shown, not of their averages."""
        shown = [user for user in satisfaction if user in managers]
        assessments = sum(satisfaction[user][1] for user in shown)
        if not assessments:
            return None
        return sum(satisfaction[user][0] * satisfaction[user][1] for user in shown) / assessments


def _change(actual, before):
    """The relative change from ``before`` to ``actual``; None without ``before``."""
    return (actual - before) / before if before else None
