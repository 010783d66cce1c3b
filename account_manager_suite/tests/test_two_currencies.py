"""Two companies, a German one in EUR and an Indonesian one in IDR, and a manager working
in both: the partner's figures, health reasons, My Quarter, the account status, the
quarterly results, the annual forecast and the revenue analysis in one named currency,
converted where the data is in another; quotas, plans and reviews per company."""

from datetime import date
from datetime import datetime
from decimal import Decimal

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools import format_amount

from .common import GROUP_DIRECTOR
from .common import GROUP_MANAGER
from .common import AccountManagerCommon
from .common import amounts_written


@tagged("post_install", "-at_install")
class TestTwoCurrencies(AccountManagerCommon):
    """A German company in EUR and an Indonesian one in IDR; one manager works in both."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        eur = cls._enable_currency("EUR")
        return super().setup_independent_company(currency_id=eur.id, **kwargs)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.company.currency_id
        assert cls.eur.name == "EUR"
        cls.idr = cls.env.ref("base.IDR")
        cls.idr.action_unarchive()
        cls.idr.rate_ids.unlink()
        # shared rates (both companies read them): 1 EUR = 17,000 IDR in 2025, 18,000 in 2026
        cls.env["res.currency.rate"].create(
            [
                {"currency_id": cls.idr.id, "name": day, "rate": rate, "company_id": False}
                for day, rate in (("2025-01-01", 17000.0), ("2026-01-01", 18000.0))
            ]
        )
        cls.eur.rate_ids.unlink()
        cls.company_a = cls.env.company
        cls.company_data_b = cls.setup_other_company(name="PT Contoh", currency_id=cls.idr.id)
        cls.company_b = cls.company_data_b["company"]
        both = {"company_id": cls.company_a.id, "company_ids": [cls.company_a.id, cls.company_b.id]}
        cls.siti = new_test_user(cls.env, "siti", groups=GROUP_MANAGER, name="Siti Rahma", **both)
        cls.dewi = new_test_user(
            cls.env, "dewi", groups=GROUP_DIRECTOR, name="Dewi Director", **both
        )
        cls.customer = cls.create_account("Global Trading", cls.siti, since=date(2025, 1, 1))
        cls.create_invoice(cls.customer, date(2026, 3, 10), 1000.0)
        cls.invoice_b(date(2026, 4, 10), 18_000_000.0)
        cls.invoice_b(date(2025, 5, 5), 1_700_000.0)
        cls.env["sale.order"].with_company(cls.company_b).create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company_b.id,
                "date_order": datetime(2026, 6, 1, 9, 0),
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product_a.id,
                            "product_uom_qty": 1,
                            "price_unit": 3_600_000.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )

    @classmethod
    def invoice_b(cls, invoice_date, amount, currency=None):
        """An invoice of the Indonesian company, in rupiah or in ``currency``."""
        move = (
            cls.env["account.move"]
            .with_company(cls.company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "invoice_date": invoice_date,
                    "invoice_date_due": invoice_date,
                    "invoice_payment_term_id": False,
                    **({"currency_id": currency.id} if currency else {}),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Konsultasi",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                                "account_id": cls.company_data_b["default_account_revenue"].id,
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def as_siti(self, *companies):
        return self.customer.with_user(self.siti).with_context(
            allowed_company_ids=[company.id for company in companies]
        )

    @freeze_time("2026-06-15")
    def test_partner_figures_in_one_named_currency(self):
        self.assertEqual(
            self.idr._convert(18_000_000.0, self.eur, self.company_a, date(2026, 4, 10)), 1000.0
        )
        both = self.as_siti(self.company_a, self.company_b)
        self.assertEqual(both.ams_currency_id, self.eur)
        self.assertEqual(both.revenue_this_year, 2000.0)
        self.assertEqual(both.revenue_last_year, 100.0)
        self.assertEqual(both.receivable_amount, 2100.0)
        self.assertEqual(both.overdue_amount, 2100.0)
        self.assertEqual(both.open_quotation_count, 1)
        self.assertEqual(both.open_quotation_amount, 200.0)
        # working in the Indonesian company, both companies: everything in rupiah
        in_b = self.as_siti(self.company_b, self.company_a)
        self.assertEqual(in_b.ams_currency_id, self.idr)
        self.assertEqual(in_b.revenue_this_year, 36_000_000.0)
        self.assertEqual(in_b.revenue_last_year, 1_700_000.0)
        self.assertEqual(in_b.receivable_amount, 37_700_000.0)
        self.assertEqual(in_b.open_quotation_amount, 3_600_000.0)
        # one company: its own currency, its own figures
        only_b = self.as_siti(self.company_b)
        self.assertEqual(only_b.ams_currency_id, self.idr)
        self.assertEqual(only_b.revenue_this_year, 18_000_000.0)
        only_a = self.as_siti(self.company_a)
        self.assertEqual(only_a.ams_currency_id, self.eur)
        self.assertEqual(only_a.revenue_this_year, 1000.0)
        self.assertEqual(only_a.open_quotation_amount, 0.0)
        both = self.as_siti(self.company_a, self.company_b)
        status = both.env["report.account_manager_suite.report_account_status"]._status_data(both)
        self.assertEqual(status["currency"], self.eur)
        self.assertEqual(status["rows"][0]["revenue_this_year"], 2000.0)
        # more than 90 days late: March's 1,000 EUR and last May's 100 EUR; 66 days: April's
        self.assertEqual(status["rows"][0]["aging"]["over_90"], 1100.0)
        self.assertEqual(status["rows"][0]["aging"]["61_90"], 1000.0)

    @freeze_time("2026-06-15")
    def test_health_reasons_in_one_named_currency(self):
        self.as_siti(self.company_a, self.company_b).sudo()._compute_account_health()
        eur = format_amount(self.env, 2100.0, self.eur)  # 2,100.00 €
        self.assertIn(f"{eur} overdue of {eur} open", self.customer.health_reasons)
        self.as_siti(self.company_b, self.company_a).sudo()._compute_account_health()
        idr = format_amount(self.env, 37_700_000.0, self.idr)  # Rp 37,700,000.00
        self.assertIn(f"{idr} overdue of {idr} open", self.customer.health_reasons)

    @freeze_time("2026-06-15")
    def test_my_quarter_and_revenue_analysis(self):
        Quota = self.env["account.manager.quota"]
        q2 = {"period_type": "quarter", "date_from": date(2026, 4, 1), "date_to": date(2026, 6, 30)}
        Quota.create(
            {"user_id": self.siti.id, "target": 100.0, "company_id": self.company_a.id, **q2}
        )
        # the same manager may have a quota in each company
        quota_b = Quota.create(
            {"user_id": self.siti.id, "target": 36_000_000.0, "company_id": self.company_b.id, **q2}
        )
        action = (
            Quota.with_user(self.siti)
            .with_context(allowed_company_ids=[self.company_b.id, self.company_a.id])
            .action_open_my_quarter()
        )
        self.assertEqual(action["res_id"], quota_b.id)
        self.assertEqual(quota_b.currency_id, self.idr)
        self.assertEqual(quota_b.actual_amount, 18_000_000.0)
        self.assertEqual(quota_b.attainment, 50.0)
        self.assertAmounts(quota_b.top_accounts_html, [18_000_000.0])
        Report = self.env["account.manager.revenue.report"]
        for companies, currency, total in (
            ((self.company_a, self.company_b), self.eur, 2100.0),
            ((self.company_b, self.company_a), self.idr, 37_700_000.0),
            ((self.company_b,), self.idr, 19_700_000.0),
        ):
            report = Report.with_context(allowed_company_ids=[c.id for c in companies])
            [(currency_found, amount)] = report._read_group(
                [("partner_id", "=", self.customer.id)], ["currency_id"], ["amount:sum"]
            )
            self.assertEqual((currency_found, amount), (currency, total))

    def test_a_manager_has_one_plan_at_a_time_in_each_company(self):
        Plan = self.env["account.manager.commission.plan"]
        plan_a = Plan.create({"name": "Plan DE", "base_rate": 3.0, "company_id": self.company_a.id})
        plan_b = Plan.create({"name": "Plan ID", "base_rate": 4.0, "company_id": self.company_b.id})
        Assignment = self.env["account.manager.commission.assignment"]
        Assignment.create(
            {"plan_id": plan_a.id, "user_id": self.siti.id, "date_from": "2026-01-01"}
        )
        Assignment.create(
            {"plan_id": plan_b.id, "user_id": self.siti.id, "date_from": "2026-01-01"}
        )
        other = Plan.create(
            {"name": "Plan DE 2", "base_rate": 5.0, "company_id": self.company_a.id}
        )
        with self.assertRefused(
            ValidationError,
            r"Siti Rahma already has a commission plan on some of these dates \(Plan DE from "
            r"2026-01-01\)",
        ):
            Assignment.create(
                {"plan_id": other.id, "user_id": self.siti.id, "date_from": "2026-03-01"}
            )
        self.assertEqual(len(Assignment.search([("user_id", "=", self.siti.id)])), 2)

    def test_review_uses_the_closed_quotas_company_settings(self):
        self.company_a.write({"ams_probation_threshold": 100.0, "ams_probation_periods": 2})
        self.company_b.write({"ams_probation_threshold": 80.0, "ams_probation_periods": 1})
        quota = self.env["account.manager.quota"].create(
            {
                "user_id": self.siti.id,
                "target": 30_000_000.0,
                "company_id": self.company_b.id,
                "period_type": "quarter",
                "date_from": date(2026, 4, 1),
                "date_to": date(2026, 6, 30),
            }
        )
        self.assertEqual(quota.attainment, 60.0)
        # Dewi works in the German company and closes the Indonesian quarter
        quota.with_user(self.dewi).with_context(
            allowed_company_ids=[self.company_a.id, self.company_b.id]
        ).action_close()
        self.assertEqual(self.siti.ams_performance_state, "probation")
        event = self.siti.ams_performance_event_ids
        self.assertEqual(event.company_id, self.company_b)
        self.assertIn("threshold 80.0%", event.reason)
        self.assertAmounts(event.reason, [18_000_000.0, 30_000_000.0, 60.0, 80.0])

    def rupiah_quarter(self):
        """The Indonesian company's Q2 2026 beside the fixtures' 18,000,000: an invoice of
        100 EUR (Rp 1,800,000.00 at 18,000), Siti's quota of 36,000,000 and her commission
        at 4 % (792,000.00). Returns the quarter's first and last day."""
        self.invoice_b(date(2026, 5, 5), 100.0, currency=self.eur)
        start, end = date(2026, 4, 1), date(2026, 6, 30)
        self.env["account.manager.quota"].create(
            {
                "user_id": self.siti.id,
                "target": 36_000_000.0,
                "company_id": self.company_b.id,
                "period_type": "quarter",
                "date_from": start,
                "date_to": end,
            }
        )
        plan = self.env["account.manager.commission.plan"].create(
            {"name": "Plan ID", "base_rate": 4.0, "company_id": self.company_b.id}
        )
        self.env["account.manager.commission.assignment"].create(
            {"plan_id": plan.id, "user_id": self.siti.id, "date_from": "2026-01-01"}
        )
        lines = (
            self.env["account.manager.commission.line"]
            .with_company(self.company_b)
            ._compute_period(self.siti, start, end, company=self.company_b)
        )
        self.assertEqual(sum(lines.mapped("amount")), 792_000.0)
        return start, end

    def printed_by_dewi(self, report_name, model):
        """The HTML of report ``report_name`` of the Indonesian company for 2026, printed
        by Dewi, whose current company is the German one (EUR); none of it in euros."""
        working_in_a = {"allowed_company_ids": [self.company_a.id, self.company_b.id]}
        values = {"year": 2026, "company_id": self.company_b.id}
        if model == "account.manager.quarterly.report.wizard":
            values["quarter"] = "2"
        records = self.env[model].with_user(self.dewi).with_context(**working_in_a).create(values)
        report = self.env.ref(f"account_manager_suite.action_report_{report_name}")
        html = (
            report.with_user(self.dewi)
            .with_context(**working_in_a)
            ._render_qweb_html(report.report_name, records.ids)[0]
            .decode()
        )
        self.assertNotIn("€", html)
        return html

    def assertAnalysisAgrees(self, start, end, amount):
        """The revenue analysis of the Indonesian company alone: ``amount`` rupiah of
        Siti's between ``start`` and ``end``."""
        analysis = (
            self.env["account.manager.revenue.report"]
            .with_user(self.dewi)
            .with_context(allowed_company_ids=[self.company_b.id])
        )
        self.assertEqual(
            analysis._read_group(
                [("date", ">=", start), ("date", "<=", end)],
                ["user_id", "currency_id"],
                ["amount:sum"],
            ),
            [(self.siti, self.idr, amount)],
        )

    @freeze_time("2026-06-15")
    def test_quarterly_results_of_the_idr_company_in_rupiah(self):
        start, end = self.rupiah_quarter()
        html = self.printed_by_dewi("quarterly_results", "account.manager.quarterly.report.wizard")
        # every amount written in rupiah (Rp 19,800,000.00), as numbers: the quarter is
        # 18,000,000 + 1,800,000
        amounts = [float(amount) for amount in amounts_written(html, before="Rp")]
        self.assertEqual(
            amounts,
            [
                # Siti: quota, actual, new business, existing customers, commission
                36_000_000.0, 19_800_000.0, 0.0, 19_800_000.0, 792_000.0,
                36_000_000.0, 19_800_000.0,  # the total
                36_000_000.0, 19_800_000.0,  # her sales team
                19_800_000.0,  # her top account
            ],
        )  # fmt: skip
        # attainment; against last year's quarter of 1,700,000 (none the quarter before)
        self.assertEqual(
            amounts_written(html, places=1, after="%"),
            [Decimal("55.0"), Decimal("1064.7"), Decimal("55.0"), Decimal("55.0")],
        )
        self.assertAnalysisAgrees(start, end, amounts[1])

    @freeze_time("2026-06-15")
    def test_annual_forecast_of_the_idr_company_in_rupiah(self):
        self.rupiah_quarter()
        html = self.printed_by_dewi("annual_forecast", "account.manager.forecast")
        # the year to 15 June (166 of 365 days): quota, actual, order book, weighted
        # pipeline (20 % of the 3,600,000 quotation), run-rate, worst, expected, best, gap;
        # Siti's row, her team's and the total
        row = [
            36_000_000.0, 19_800_000.0, 0.0, 720_000.0, 43_536_144.58,
            19_800_000.0, 20_520_000.0, 43_536_144.58, 15_480_000.0,
        ]  # fmt: skip
        amounts = [float(amount) for amount in amounts_written(html, before="Rp")]
        self.assertEqual(amounts, row * 3)
        self.assertAnalysisAgrees(date(2026, 1, 1), date(2026, 6, 15), amounts[1])
