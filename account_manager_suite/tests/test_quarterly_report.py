"""Quarterly sales results: the same figures in HTML, PDF and XLSX."""

import io
import re
import shutil
from datetime import date
from decimal import Decimal

import openpyxl

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MODULE
from .common import AccountManagerCommon
from .common import amounts_written


@tagged("post_install", "-at_install")
class TestQuarterlyReport(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "DACH"})
        cls.team.member_ids = cls.anna | cls.budi
        old = cls.create_account("Alt GmbH", cls.anna, since=date(2024, 1, 1))
        new = cls.create_account("Neu AG")
        new._set_account_manager(cls.anna, date(2026, 2, 1), reason="handover", force=True)
        other = cls.create_account("Budi KG", cls.budi, since=date(2024, 1, 1))
        cls.create_invoice(old, date(2026, 4, 10), 6000.0)
        cls.create_invoice(new, date(2026, 5, 10), 3000.0)
        cls.create_invoice(old, date(2026, 2, 10), 6000.0)  # previous quarter
        cls.create_invoice(old, date(2025, 5, 10), 7500.0)  # same quarter last year
        cls.create_invoice(other, date(2026, 6, 1), 2000.0)
        for user, target in ((cls.anna, 10000.0), (cls.budi, 4000.0)):
            cls.env["account.manager.quota"].create(
                {
                    "user_id": user.id,
                    "target": target,
                    "period_type": "quarter",
                    "date_from": date(2026, 4, 1),
                    "date_to": date(2026, 6, 30),
                }
            )
        # what the customers said: Anna's 4 and 5 in the quarter (not the 1 before it),
        # Budi's 2
        cls.env["account.manager.assessment"].create(
            [
                {"partner_id": partner.id, "date": day, "satisfaction": score,
                 "relationship": "good"}
                for partner, day, score in (
                    (old, date(2026, 3, 1), "1"),
                    (old, date(2026, 4, 15), "4"),
                    (new, date(2026, 6, 10), "5"),
                    (other, date(2026, 5, 20), "2"),
                )
            ]
        )  # fmt: skip
        cls.wizard = cls.env["account.manager.quarterly.report.wizard"].create(
            {"year": 2026, "quarter": "2", "team_id": cls.team.id}
        )

    def report_data(self, wizard):
        values = self.env["report.account_manager_suite.report_quarterly_results"]
        return values._get_report_values(wizard.ids)["reports"][wizard.id]

    def test_data_provider(self):
        data = self.report_data(self.wizard)
        anna, budi = data["rows"]
        self.assertEqual(
            {
                k: anna[k]
                for k in (
                    "user",
                    "team",
                    "quota",
                    "actual",
                    "attainment",
                    "previous",
                    "change_previous",
                    "last_year",
                    "change_last_year",
                    "new_business",
                    "existing",
                )
            },
            {
                "user": "Anna Becker",
                "team": "DACH",
                "quota": 10000.0,
                "actual": 9000.0,
                "attainment": 0.9,
                "previous": 6000.0,
                "change_previous": 0.5,
                "last_year": 7500.0,
                "change_last_year": 0.2,
                "new_business": 3000.0,
                "existing": 6000.0,
            },
        )
        self.assertEqual(anna["top"], [("Alt GmbH", 6000.0), ("Neu AG", 3000.0)])
        self.assertEqual((budi["actual"], budi["attainment"]), (2000.0, 0.5))
        self.assertEqual(
            data["teams"],
            [
                {
                    "team": "DACH",
                    "quota": 14000.0,
                    "actual": 11000.0,
                    "attainment": 11000.0 / 14000.0,
                }
            ],
        )
        self.assertEqual((data["total_quota"], data["total_actual"]), (14000.0, 11000.0))
        # the accounts owned at the quarter's end, the customers' average satisfaction
        self.assertEqual((anna["accounts"], anna["satisfaction"]), (2, 4.5))
        self.assertEqual((budi["accounts"], budi["satisfaction"]), (1, 2.0))
        self.assertEqual(data["total_accounts"], 3)
        self.assertAlmostEqual(data["total_satisfaction"], 11 / 3)  # of the 3 assessments

    def test_pdf_and_html_show_the_figures(self):
        report = self.env.ref("account_manager_suite.action_report_quarterly_results")
        html = report._render_qweb_html(report.report_name, self.wizard.ids)[0].decode()
        for text in (
            "Quarterly Sales Results Q2 2026",
            "Anna Becker",
            "Alt GmbH",
        ):
            self.assertIn(text, html)
        # the satisfaction of Anna, Budi and the total, as numbers (2.0 is not 12.0)
        self.assertEqual(
            amounts_written(html, places=1, after="/ 5"),
            [Decimal("4.5"), Decimal("2.0"), Decimal("3.7")],
        )
        # amounts compared as numbers: 400.00 is not found in 1,400.00
        self.assertAmounts(html, [10000.0, 9000.0, 90.0, 50.0, 20.0, 3000.0, 78.6])
        self.assertTrue(shutil.which("wkhtmltopdf"), "wkhtmltopdf is required (make setup)")
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, self.wizard.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        # fifteen columns: the page is A4 landscape (842 x 595 points)
        box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
        self.assertGreater(float(box.group(1)), float(box.group(2)))

    def test_titles_and_labels_in_the_users_language(self):
        report = self.env.ref("account_manager_suite.action_report_quarterly_results_xlsx")
        html_report = self.env.ref("account_manager_suite.action_report_quarterly_results")
        expected = {
            "de_DE": ("Übersicht", "Quartalsergebnisse Vertrieb Q2 2026", "Zielerreichung"),
            "id_ID": ("Ringkasan", "Hasil Penjualan Triwulanan TW2 2026", "Pencapaian"),
        }
        for lang, (sheet_name, title, attainment) in expected.items():
            self.env["res.lang"]._activate_lang(lang)
            self.env["ir.module.module"]._load_module_terms([MODULE], [lang], overwrite=True)
            self.director.lang = lang
            as_director = report.with_user(self.director).with_context(lang=lang)
            content, _kind = as_director._render_xlsx(report.report_name, self.wizard.ids, {})
            book = openpyxl.load_workbook(io.BytesIO(content))
            self.assertEqual(book.sheetnames[0], sheet_name)
            sheet = book[sheet_name]
            self.assertEqual(sheet["A1"].value, title)
            self.assertEqual(sheet.cell(4, 5).value, attainment)
            html = (
                html_report.with_user(self.director)
                .with_context(lang=lang)
                ._render_qweb_html(html_report.report_name, self.wizard.ids)[0]
                .decode()
            )
            self.assertIn(title, html)
            self.assertIn(attainment, html)

    def test_xlsx_has_formulas_formats_and_agrees_with_the_pdf(self):
        report = self.env.ref("account_manager_suite.action_report_quarterly_results_xlsx")
        content, kind = report._render_xlsx(report.report_name, self.wizard.ids, {})
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames, ["Summary", "Anna Becker", "Budi Santoso"])
        sheet = book["Summary"]
        self.assertEqual(sheet["A1"].value, "Quarterly Sales Results Q2 2026")
        self.assertEqual(
            [sheet.cell(4, c).value for c in (1, 3, 4, 5)],
            ["Account Manager", "Quota", "Actual", "Attainment"],
        )
        self.assertEqual(
            (sheet["A5"].value, sheet["C5"].value, sheet["D5"].value),
            ("Anna Becker", 10000.0, 9000.0),
        )
        self.assertEqual(sheet["E5"].value, "=IF(C5=0,0,D5/C5)")
        self.assertEqual(sheet["E5"].number_format, "0.0%")
        self.assertIn("#,##0.00", sheet["C5"].number_format)
        self.assertEqual(sheet["D7"].value, "=SUM(D5:D6)")
        self.assertEqual(sheet.freeze_panes, "B5")
        self.assertEqual(sheet.auto_filter.ref, "A4:O6")
        self.assertEqual(
            [sheet.cell(4, c).value for c in (13, 14, 15)], ["Accounts", "Satisfaction", "Status"]
        )
        self.assertEqual((sheet["M5"].value, sheet["N5"].value, sheet["N6"].value), (2, 4.5, 2.0))
        self.assertEqual(sheet["N5"].number_format, '0.0" / 5"')
        self.assertEqual(sheet["M7"].value, "=SUM(M5:M6)")
        self.assertAlmostEqual(sheet["N7"].value, 11 / 3)
        self.assertEqual(len(sheet._charts), 1)
        # cached values of the formulas: what Excel shows, the same as the PDF
        values = openpyxl.load_workbook(io.BytesIO(content), data_only=True)["Summary"]
        self.assertAlmostEqual(values["E5"].value, 0.9)
        self.assertEqual((values["C7"].value, values["D7"].value), (14000.0, 11000.0))
        self.assertEqual(values["M7"].value, 3)
        self.assertEqual(book["Anna Becker"]["A4"].value, "Alt GmbH")
        self.assertEqual(book["Anna Becker"]["B6"].value, "=SUM(B4:B5)")

    def test_change_against_a_period_without_revenue_reads_a_dash(self):
        # Budi had no revenue in the quarter before nor in the same quarter last year
        budi = self.report_data(self.wizard)["rows"][1]
        self.assertEqual(
            (budi["user"], budi["previous"], budi["last_year"]), ("Budi Santoso", 0.0, 0.0)
        )
        self.assertEqual((budi["change_previous"], budi["change_last_year"]), (None, None))
        report = self.env.ref("account_manager_suite.action_report_quarterly_results")
        html = report._render_qweb_html(report.report_name, self.wizard.ids)[0].decode()
        budi_row = html[html.index("Budi Santoso") : html.index("o_ams_total")]
        self.assertEqual(re.findall(r">\s*(—|[+-][\d.]+ %)\s*<", budi_row), ["—", "—"])
        self.assertNotIn("+0.0 %", html)
        xlsx = self.env.ref("account_manager_suite.action_report_quarterly_results_xlsx")
        content, _kind = xlsx._render_xlsx(xlsx.report_name, self.wizard.ids, {})
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Summary"]
        self.assertEqual(sheet["G6"].value, '=IF(F6=0,"—",(D6-F6)/F6)')
        self.assertEqual(sheet["I6"].value, '=IF(H6=0,"—",(D6-H6)/H6)')
        self.assertEqual(sheet["G5"].value, '=IF(F5=0,"—",(D5-F5)/F5)')
        cached = openpyxl.load_workbook(io.BytesIO(content), data_only=True)["Summary"]
        self.assertEqual((cached["G6"].value, cached["I6"].value), ("—", "—"))
        self.assertEqual((cached["G5"].value, cached["I5"].value), (0.5, 0.2))

    def test_empty_quarter_says_so_and_bad_year_is_refused(self):
        empty = self.env["account.manager.quarterly.report.wizard"].create(
            {"year": 2020, "quarter": "1"}
        )
        self.assertTrue(self.report_data(empty)["empty"])
        report = self.env.ref("account_manager_suite.action_report_quarterly_results")
        html = report._render_qweb_html(report.report_name, empty.ids)[0].decode()
        self.assertIn("No quota and no revenue in this quarter", html)
        with self.assertRefused(ValidationError, "not a valid report year"):
            self.env["account.manager.quarterly.report.wizard"].create({"year": 20, "quarter": "1"})

    def test_launched_from_selected_quotas(self):
        quotas = self.env["account.manager.quota"].search([("date_from", "=", date(2026, 4, 1))])
        wizard = (
            self.env["account.manager.quarterly.report.wizard"]
            .with_context(active_model="account.manager.quota", active_ids=quotas.ids)
            .create({})
        )
        self.assertEqual((wizard.year, wizard.quarter), (2026, "2"))
        self.assertEqual(wizard.user_ids, self.anna | self.budi)
        self.assertEqual(len(self.report_data(wizard)["rows"]), 2)
