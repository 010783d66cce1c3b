from collections import defaultdict
from datetime import date

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

_FIGURES = (
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


class AccountManagerForecast(models.TransientModel):
    """Annual forecast per account manager and team for a year.

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

    _name = "account.manager.forecast"
    _inherit = ["account.manager.input.mixin"]
    _description = "Annual Forecast"

    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    team_id = fields.Many2one("crm.team", string="Sales Team")
    user_ids = fields.Many2many(
        "res.users", string="Account Managers", help="Empty: every manager with a quota or revenue."
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("account.manager.forecast.line", "forecast_id", readonly=True)

    @api.constrains("year")
    def _check_year(self):
        for forecast in self:
            if not 2000 <= forecast.year <= 2100:
                raise ValidationError(
                    self.env._(
                        "Year %(year)s is not a valid year for a forecast.", year=forecast.year
                    )
                )

    @api.readonly
    def onchange(self, values, field_names, fields_spec):
        # The forecast's computation (see _onchange_compute_lines) reads the books and
        # writes nothing: let Odoo serve it from a replica (db_replica_host).
        return super().onchange(values, field_names, fields_spec)

    @api.onchange("year", "team_id", "user_ids", "company_id")
    def _onchange_compute_lines(self):
        """The forecast shows as soon as it opens, and follows the year, team and
        managers chosen (the PDF and XLSX compute the same rows again)."""
        self.line_ids = self._line_commands()

    def _line_commands(self):
        """The forecast lines of the year, team and managers chosen, as commands that
        replace the lines there are (none for a year out of range)."""
        if not 2000 <= (self.year or 0) <= 2100:
            return [Command.clear()]
        rows = self._forecast_rows(
            self.year, self._selected_users(), self.company_id or self.env.company
        )
        return [Command.clear()] + [Command.create(row) for row in rows]

    def action_compute(self):
        self.ensure_one()
        self.line_ids = self._line_commands()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_print_pdf(self):
        return self.env.ref("account_manager_suite.action_report_annual_forecast").report_action(
            self
        )

    def action_export_xlsx(self):
        return self.env.ref(
            "account_manager_suite.action_report_annual_forecast_xlsx"
        ).report_action(self)

    def _report_data(self):
        """What the PDF and the XLSX show: the rows of ``_forecast_rows`` with names, and
        the totals per sales team."""
        self.ensure_one()
        company = self.company_id or self.env.company
        rows = self._forecast_rows(self.year, self._selected_users(), company)
        users = self.env["res.users"].sudo().browse([row["user_id"] for row in rows])
        names = {user.id: user.name for user in users}
        teams = {team.id: team.name for team in users.sale_team_id}
        for row in rows:
            row["user"] = names[row["user_id"]]
            row["team"] = teams.get(row["team_id"], "")
        totals = {key: sum(row[key] for row in rows) for key in _FIGURES}
        by_team = {}
        for row in rows:
            team = by_team.setdefault(row["team"], dict.fromkeys(_FIGURES, 0.0))
            for key in _FIGURES:
                team[key] += row[key]
        return {
            "title": self.env._("Annual Forecast %(year)s", year=self.year),
            "currency": company.currency_id,
            "rows": sorted(rows, key=lambda row: (row["team"], row["user"])),
            "teams": sorted(by_team.items()),
            "totals": totals,
            "empty": not rows,
        }

    def _selected_users(self):
        users = self.user_ids
        if self.team_id:
            users |= self.team_id.member_ids
        return users or None

    @api.model
    def _forecast_rows(self, year, users=None, company=None, today=None):
        """Forecast figures per manager (one dict each, with ``user_id`` and ``team_id``),
        from a fixed number of engine queries whatever the number of managers."""
        company = company or self.env.company
        today = today or fields.Date.context_today(self)
        start, end = date(year, 1, 1), date(year, 12, 31)
        engine = self.env["account.manager.revenue"].sudo()
        user_ids = users.ids if users is not None else None
        to_date = min(today, end)
        actual = (
            engine._revenue(start, to_date, ("user",), user_ids=user_ids, company_ids=company.ids)
            if to_date >= start
            else {}
        )
        book = engine._order_revenue(
            None, end, ("user",), amount="to_invoice", user_ids=user_ids, company_ids=company.ids
        )
        pipeline = engine._order_revenue(
            None,
            end,
            ("user", "state"),
            states=("draft", "sent"),
            user_ids=user_ids,
            company_ids=company.ids,
        )
        opportunities = engine._opportunity_pipeline(
            end, user_ids=user_ids, company_ids=company.ids, today=today
        )
        probability = {
            "draft": company.ams_probability_draft / 100.0,
            "sent": company.ams_probability_sent / 100.0,
        }
        quotas = defaultdict(dict)
        quota_domain = [
            ("company_id", "=", company.id),
            ("date_from", ">=", start),
            ("date_to", "<=", end),
        ]
        if user_ids is not None:
            quota_domain.append(("user_id", "in", user_ids))
        for user, period_type, target in (
            self.env["account.manager.quota"]
            .sudo()
            ._read_group(quota_domain, ["user_id", "period_type"], ["target:sum"])
        ):
            quotas[user.id][period_type] = target
        ids = {key[0] for key in (*actual, *book, *pipeline, *opportunities) if key[0]} | set(
            quotas
        )
        if user_ids is not None:
            ids &= set(user_ids)
        currency = company.currency_id
        if today < start:
            elapsed_share = 0.0
        elif today > end:
            elapsed_share = 1.0
        else:
            elapsed_share = ((today - start).days + 1) / ((end - start).days + 1)
        rows = []
        for user in self.env["res.users"].sudo().browse(sorted(ids)):
            by_type = quotas.get(user.id, {})
            # one granularity: a yearly quota if set, else quarters, else months
            quota = next((by_type[t] for t in ("year", "quarter", "month") if t in by_type), 0.0)
            done = actual.get((user.id,), 0.0)
            open_book = book.get((user.id,), 0.0)
            leads, leads_weighted = opportunities.get((user.id,), (0.0, 0.0))
            total_pipeline = leads + sum(pipeline.get((user.id, s), 0.0) for s in ("draft", "sent"))
            weighted = leads_weighted + sum(
                pipeline.get((user.id, s), 0.0) * probability[s] for s in probability
            )
            run_rate = done / elapsed_share if elapsed_share else 0.0
            worst = done + open_book
            expected = worst + weighted
            values = {
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
            rows.append(
                {
                    "user_id": user.id,
                    "team_id": user.sale_team_id.id,
                    **{key: currency.round(value) for key, value in values.items()},
                }
            )
        return rows
