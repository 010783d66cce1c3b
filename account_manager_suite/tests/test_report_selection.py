"""Reports over a selection print as one PDF with the wkhtmltopdf that Debian ships (an
unpatched Qt, which fails on a PDF of several records' layouts): the pages read back."""

import io
import shutil
from datetime import date

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from .common import MODULE
from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestReportSelection(AccountManagerCommon):
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

    def _pdf_pages(self, xmlid, records, user):
        self.assertTrue(shutil.which("wkhtmltopdf"), "wkhtmltopdf is required (make setup)")
        report = self.env.ref(f"{MODULE}.{xmlid}").with_user(user)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, records.ids
        )
        self.assertEqual(kind, "pdf")
        reader = PdfFileReader(io.BytesIO(pdf))
        return [" ".join(page.extract_text().split()) for page in reader.pages]

    def test_account_status_of_ten_accounts_in_one_pdf(self):
        pages = self._pdf_pages("action_report_account_status", self.accounts, self.anna)
        # one account per page (or more), in the order of the selection
        starts = [
            next(i for i, text in enumerate(pages) if f"Account Status: {account.name}" in text)
            for account in self.accounts
        ]
        self.assertEqual(len(pages), 10)
        self.assertEqual(starts, list(range(10)))
        self.assertIn("1,009.00", pages[9])  # the last account's receivable

    def test_account_plans_of_a_selection_in_one_pdf(self):
        pages = self._pdf_pages("action_report_account_plan", self.plans, self.anna)
        text = " ".join(pages)
        for plan in self.plans:
            self.assertIn(plan.name, text)
        self.assertEqual(len(pages), 3)
