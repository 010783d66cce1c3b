from collections import defaultdict
from datetime import date

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import date_utils

from ..const import sees_every_manager

FIGURES = (
    "quota",
    "actual",
    "order_book",
    "pipeline",
    "pipeline_weighted",
    "run_rate",
    "worst",
    "expected",
    "best",
    "gap",
)


class ReportAnnualForecast(models.AbstractModel):
    """The figures of the annual forecast, the one provider of the forecast's lines, its
    PDF (this model's template) and its workbook (``annual_forecast_xlsx``).

    - actual: posted revenue of the year to date (the ledger, through the engine);
    - order book: confirmed sales orders not invoiced yet;
    - pipeline: open quotations, weighted by the company's probability per state, and,
      where CRM is installed, open opportunities (without a quotation yet) of the
      managers' accounts expected to close this year, weighted by their own probability;
    - run-rate: the actual extrapolated to the end of the year;
    - worst = actual + order book; expected = worst + weighted pipeline;
      best = the higher of the run-rate and actual + order book + the whole pipeline;
    - gap = annual quota - expected.
    """

    _name = "report.account_manager_suite.report_annual_forecast"
    _description = "Annual Forecast (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        forecasts = self.env["account.manager.forecast"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": forecasts._name,
            "docs": forecasts,
            "reports": {forecast.id: self._report_data(forecast) for forecast in forecasts},
        }

    @api.model
    def _report_data(self, forecast):
        """What the PDF and the XLSX show: the rows of ``_forecast_rows`` with names, and
        the totals per sales team."""
        forecast.ensure_one()
        company = forecast.company_id or self.env.company
        rows = self._forecast_rows(forecast.year, forecast._selected_users(), company)
        # sudo: names and teams of the managers of the rows (limited in _forecast_rows)
        users = self.env["res.users"].sudo().browse([row["user_id"] for row in rows])
        names = {user.id: user.name for user in users}
        teams = {team.id: team.name for team in users.sale_team_id}
        for row in rows:
            row["user"] = names[row["user_id"]]
            row["team"] = teams.get(row["team_id"], "")
        by_team = {}
        for row in rows:
            team = by_team.setdefault(row["team"], dict.fromkeys(FIGURES, 0.0))
            for key in FIGURES:
                team[key] += row[key]
        return {
            "title": self.env._("Annual Forecast %(year)s", year=forecast.year),
            "currency": company.currency_id,
            "rows": sorted(rows, key=lambda row: (row["team"], row["user"])),
            "teams": sorted(by_team.items()),
            "totals": {key: sum(row[key] for row in rows) for key in FIGURES},
            "empty": not rows,
        }

    @api.model
    def _forecast_rows(self, year, users=None, company=None, today=None):
        """Forecast figures per manager (one dict each, with ``user_id`` and ``team_id``),
        from a fixed number of engine queries whatever the number of managers."""
        company = company or self.env.company
        today = today or fields.Date.context_today(self)
        me = self.env.user
        if not sees_every_manager(self.env):
            # the sudo() reads below are limited to the managers of the forecast: an
            # account manager's forecast is their own, whatever the wizard was sent
            users = me
        user_ids = users.ids if users is not None else None
        sources = self._sources(year, user_ids, company, today)
        quotas = self._quotas(year, user_ids, company)
        ids = {key[0] for source in sources.values() for key in source if key[0]} | set(quotas)
        if user_ids is not None:
            ids &= set(user_ids)
        start, end = self._year(year)
        if today < start:
            elapsed_share = 0.0
        elif today > end:
            elapsed_share = 1.0
        else:
            elapsed_share = ((today - start).days + 1) / ((end - start).days + 1)
        probability = {
            "draft": company.ams_probability_draft / 100.0,
            "sent": company.ams_probability_sent / 100.0,
        }
        currency = company.currency_id
        rows = []
        # sudo: the managers of the rows, limited to those the reader may see (above)
        for user in self.env["res.users"].sudo().browse(sorted(ids)):
            values = self._figures(user.id, sources, quotas, probability, elapsed_share)
            rows.append(
                {
                    "user_id": user.id,
                    "team_id": user.sale_team_id.id,
                    **{key: currency.round(value) for key, value in values.items()},
                }
            )
        return rows

    @api.model
    def _year(self, year):
        """First and last day of the forecast's year: the calendar year, as the quotas'
        and the quota plans' years."""
        day = date(year, 1, 1)
        return date_utils.start_of(day, "year"), date_utils.end_of(day, "year")

    @api.model
    def _sources(self, year, user_ids, company, today):
        """The year's actual to date, order book, quotations and opportunities, by manager,
        from the attribution engine."""
        start, end = self._year(year)
        # sudo: revenue and quotas of the managers chosen in _forecast_rows
        engine = self.env["account.manager.revenue"].sudo()
        to_date = min(today, end)
        scope = {"user_ids": user_ids, "company_ids": company.ids}
        return {
            "actual": engine._revenue(start, to_date, ("user",), **scope)
            if to_date >= start
            else {},
            "book": engine._order_revenue(None, end, ("user",), amount="to_invoice", **scope),
            "pipeline": engine._order_revenue(
                None, end, ("user", "state"), states=("draft", "sent"), **scope
            ),
            "opportunities": engine._opportunity_pipeline(end, today=today, **scope),
        }

    @api.model
    def _quotas(self, year, user_ids, company):
        """The quota targets of the year by manager and granularity."""
        quotas = defaultdict(dict)
        start, end = self._year(year)
        domain = [
            ("company_id", "=", company.id),
            ("date_from", ">=", start),
            ("date_to", "<=", end),
        ]
        if user_ids is not None:
            domain.append(("user_id", "in", user_ids))
        # sudo: the quota targets of the forecast's managers (limited in _forecast_rows)
        for user, period_type, target in (
            self.env["account.manager.quota"]
            .sudo()
            ._read_group(domain, ["user_id", "period_type"], ["target:sum"])
        ):
            quotas[user.id][period_type] = target
        return quotas

    @api.model
    def _figures(self, user_id, sources, quotas, probability, elapsed_share):
        """One manager's forecast from the sources (see the class's docstring)."""
        by_type = quotas.get(user_id, {})
        # one granularity: a yearly quota if set, else quarters, else months
        quota = next((by_type[t] for t in ("year", "quarter", "month") if t in by_type), 0.0)
        done = sources["actual"].get((user_id,), 0.0)
        open_book = sources["book"].get((user_id,), 0.0)
        pipeline = sources["pipeline"]
        leads, leads_weighted = sources["opportunities"].get((user_id,), (0.0, 0.0))
        total_pipeline = leads + sum(pipeline.get((user_id, s), 0.0) for s in ("draft", "sent"))
        weighted = leads_weighted + sum(
            pipeline.get((user_id, s), 0.0) * probability[s] for s in probability
        )
        run_rate = done / elapsed_share if elapsed_share else 0.0
        worst = done + open_book
        expected = worst + weighted
        return {
            "quota": quota,
            "actual": done,
            "order_book": open_book,
            "pipeline": total_pipeline,
            "pipeline_weighted": weighted,
            "run_rate": run_rate,
            "worst": worst,
            "expected": expected,
            "best": max(run_rate, worst + total_pipeline),
            "gap": quota - expected,
        }
