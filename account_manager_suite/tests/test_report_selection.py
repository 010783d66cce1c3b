"""Reports over a selection print as one PDF with the wkhtmltopdf that Debian ships (an
unpatched Qt, which fails on a PDF of several records' layouts): the pages read back."""

import io
import shutil
from datetime import date

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from .common import MODULE
from .common import AccountManagerCommon
from .settlement_common import Q1
from .settlement_common import SettlementCommon


class PdfPages:
    def _pdf_pages(self, xmlid, records, user):
        """The text of each page of the PDF of ``records`` printed by ``user``."""
        self.assertTrue(shutil.which("wkhtmltopdf"), "wkhtmltopdf is required (make setup)")
        report = self.env.ref(f"{MODULE}.{xmlid}").with_user(user)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, records.ids
        )
        self.assertEqual(kind, "pdf")
        reader = PdfFileReader(io.BytesIO(pdf))
        return [" ".join(page.extract_text().split()) for page in reader.pages]


@tagged("post_install", "-at_install")
class TestReportSelection(PdfPages, AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accounts = cls.env["res.partner"]
        for index in range(10):
            account = cls.create_account(f"Kunde {index:02d} GmbH", cls.anna)
            cls.create_invoice(account, date(2026, 5, 4), 1000.0 + index)
            cls.accounts |= account
        cls.plans = cls.env["account.manager.account.plan"].create(
            [
                {"name": f"Plan {account.name}", "partner_id": account.id}
                for account in cls.accounts[:3]
            ]
        )

    def test_account_status_of_ten_accounts_in_one_pdf(self):
        pages = self._pdf_pages("action_report_account_status", self.accounts, self.anna)
        # one account per page (or more), in the order of the selection
        starts = [
            next(i for i, text in enumerate(pages) if f"Account Status: {account.name}" in text)
            for account in self.accounts
        ]
        self.assertEqual(len(pages), 10)
        self.assertEqual(starts, list(range(10)))
        self.assertAmounts(pages[9], [1009.0])  # the last account's receivable

    def test_account_plans_of_a_selection_in_one_pdf(self):
        pages = self._pdf_pages("action_report_account_plan", self.plans, self.anna)
        text = " ".join(pages)
        for plan in self.plans:
            self.assertIn(plan.name, text)
        self.assertEqual(len(pages), 3)


@tagged("post_install", "-at_install")
class TestStatementSelection(PdfPages, SettlementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a third manager beside Anna (12,000 in Q1) and Budi (4,000)
        cls.create_plan("5% Clara", 5.0, cls.clara)
        gamma = cls.create_account("Gamma GmbH", cls.clara, since=date(2025, 1, 1))
        cls.create_invoice(gamma, date(2026, 3, 20), 3000.0)
        cls.env["account.manager.quota"].create(
            {
                "user_id": cls.clara.id,
                "target": 10000.0,
                "period_type": "quarter",
                "date_from": Q1[0],
                "date_to": Q1[1],
            }
        ).action_close()

    def test_commission_statements_of_a_selection_in_one_pdf(self):
        settlements = self.Settlement._propose(*Q1)
        by_manager = {settlement.user_id: settlement for settlement in settlements}
        # printed in the order of the selection, not the settlements' own
        selection = by_manager[self.budi] | by_manager[self.clara] | by_manager[self.anna]
        pages = self._pdf_pages("action_report_commission_statement", selection, self.director)
        self.assertEqual(len(pages), 3)
        self.assertEqual(
            [
                [name for name in ("Budi Santoso", "Clara Wagner", "Anna Becker") if name in page]
                for page in pages
            ],
            [["Budi Santoso"], ["Clara Wagner"], ["Anna Becker"]],
        )
        # each page its own manager's commission: 5 % of 4,000, 3,000 and 12,000
        for page, commission in zip(pages, (200.0, 150.0, 600.0), strict=True):
            self.assertAmounts(page, [commission])
