"""The quarterly report of a German and an Indonesian company: each printed by its own
account manager, in their language and the company's currency, numbers formatted as the
language writes them."""

import re
from datetime import date
from decimal import Decimal

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import GROUP_MANAGER
from .common import MODULE
from .common import AccountManagerCommon
from .common import amounts_written


@tagged("post_install", "-at_install")
class TestReportLanguages(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in ("de_DE", "id_ID"):
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms([MODULE], ["de_DE", "id_ID"], overwrite=True)
        cls.companies = {}
        # login, language, company name, currency, quota, invoiced, satisfaction
        for login, lang, name, currency, quota, amounts, score in (
            ("hans", "de_DE", "Nordwind GmbH", "EUR", 10000.0, (6000.0, 3451.25), "4"),
            (
                "siti",
                "id_ID",
                "PT Nordwind",
                "IDR",
                150000000.0,
                (90000000.0, 45250000.0),
                "5",
            ),
        ):
            # Odoo's generic chart (the German and Indonesian charts are not installed in
            # the test databases); the currency makes the company German or Indonesian
            data = cls.setup_other_company(
                name=name, currency_id=cls.env.ref(f"base.{currency}").id
            )
            company = data["company"]
            user = new_test_user(
                cls.env,
                login,
                groups=GROUP_MANAGER,
                name=login.title(),
                company_id=company.id,
                company_ids=[company.id],
                lang=lang,
            )
            env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
            account = env["res.partner"].create(
                {"name": f"Kunde {name}", "is_company": True, "company_id": company.id}
            )
            account._set_account_manager(user, date(2025, 1, 1), reason="initial", force=True)
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": account.id,
                        "invoice_date": day,
                        "invoice_date_due": day,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Wartung",
                                    "quantity": 1,
                                    "price_unit": amount,
                                    "tax_ids": [Command.clear()],
                                    "account_id": data["default_account_revenue"].id,
                                }
                            )
                        ],
                    }
                    for day, amount in zip(
                        (date(2026, 4, 10), date(2026, 5, 20)), amounts, strict=True
                    )
                ]
            )
            invoices.action_post()
            env["account.manager.quota"].create(
                {
                    "user_id": user.id,
                    "company_id": company.id,
                    "target": quota,
                    "period_type": "quarter",
                    "date_from": date(2026, 4, 1),
                    "date_to": date(2026, 6, 30),
                }
            )
            env["account.manager.assessment"].create(
                {
                    "partner_id": account.id,
                    "date": date(2026, 5, 2),
                    "satisfaction": score,
                    "relationship": "good",
                }
            )
            cls.companies[lang] = (company, user)

    def _html(self, lang):
        company, user = self.companies[lang]
        wizard = (
            self.env["account.manager.quarterly.report.wizard"]
            .with_user(user)
            .with_company(company)
            .with_context(lang=user.lang)
            .create({"year": 2026, "quarter": "2", "user_ids": [Command.set(user.ids)]})
        )
        report = self.env.ref(f"{MODULE}.action_report_quarterly_results")
        html = (
            report.with_user(user)
            .with_company(company)
            .with_context(lang=user.lang)
            ._render_qweb_html(report.report_name, wizard.ids)[0]
            .decode()
        )
        # the text as read: no markup (the monetary widget wraps the amount in a span),
        # the widget's no-break space between amount and symbol as a space
        text = re.sub(r"<[^>]+>", "", html).replace("\xa0", " ").replace("&nbsp;", " ")
        return re.sub(r"[ \t]+", " ", text)

    def test_german_manager_prints_in_german_and_euros(self):
        html = self._html("de_DE")
        for text in (
            "Quartalsergebnisse Vertrieb Q2 2026",  # the title
            "Vertriebsteam",  # the column headings
            "Zielerreichung",
            "Bestandskunden",
            "01.04.2026",  # the quarter, as German dates are written
        ):
            self.assertIn(text, html)
        # the figures as German writes them, compared as numbers (whole tokens: 10.000,00 is
        # not found in 110.000,00): German separators, the euro after the amount; every
        # euro amount of the report is the quota, the quarter's revenue or zero
        self.assertEqual(
            set(amounts_written(html, ".", ",", after="€")),
            {Decimal("10000.00"), Decimal("9451.25"), Decimal("0.00")},
        )
        # attainment with a decimal comma, the customers' satisfaction
        self.assertEqual(
            amounts_written(html, ".", ",", places=1, after="%"), [Decimal("94.5")] * 3
        )
        self.assertEqual(
            amounts_written(html, ".", ",", places=1, after="/ 5"), [Decimal("4.0")] * 2
        )
        for english in ("Quarterly Sales Results", "9,451.25", "94.5 %", "€ 9"):
            self.assertNotIn(english, html)

    def test_indonesian_manager_prints_in_indonesian_and_rupiah(self):
        html = self._html("id_ID")
        for text in (
            "Hasil Penjualan Triwulanan TW2 2026",
            "Tim Penjualan",
            "Pencapaian",
            "Pelanggan Lama",
        ):
            self.assertIn(text, html)
        # the figures as Indonesian writes them, compared as numbers: Indonesian
        # separators, Rp before the amount; every rupiah amount of the report is the
        # quota, the quarter's revenue or zero; attainment and satisfaction with a comma
        self.assertEqual(
            set(amounts_written(html, ".", ",", before="Rp")),
            {Decimal("150000000.00"), Decimal("135250000.00"), Decimal("0.00")},
        )
        self.assertEqual(
            amounts_written(html, ".", ",", places=1, after="%"), [Decimal("90.2")] * 3
        )
        self.assertEqual(
            amounts_written(html, ".", ",", places=1, after="/ 5"), [Decimal("5.0")] * 2
        )
        for other in ("Quarterly Sales Results", "Quartalsergebnisse", "135,250,000", "€"):
            self.assertNotIn(other, html)

    @freeze_time("2026-06-15")
    def test_my_quarter_in_the_managers_language_and_currency(self):
        """My Quarter as the web client opens it for each manager: the action, the view's
        labels in their language, the top accounts with the amounts as their language
        writes them in their company's currency."""
        for lang, words, written, amounts in (
            (
                "de_DE",
                ("Mein Quartal", "Top-Kundenkonten", "Zielerreichung", "Aktualisieren"),
                {"after": "€"},
                {Decimal("9451.25")},
            ),
            (
                "id_ID",
                ("Kuartal Saya", "Akun Teratas", "Pencapaian", "Segarkan"),
                {"before": "Rp"},
                {Decimal("135250000.00")},
            ),
        ):
            with self.subTest(lang=lang):
                company, user = self.companies[lang]
                Quota = (
                    self.env["account.manager.quota"]
                    .with_user(user)
                    .with_company(company)
                    .with_context(lang=lang)
                )
                action = Quota.action_open_my_quarter()
                quota = Quota.browse(action["res_id"])
                self.assertEqual(quota.user_id, user)
                views = quota.get_views([(action["views"][0][0], "form")])
                arch = views["views"]["form"]["arch"]
                for word in words:
                    self.assertIn(word, arch + action["name"])
                quota._refresh_attainment()
                html = quota.top_accounts_html.replace("\xa0", " ").replace("&nbsp;", " ")
                self.assertIn(f"Kunde {company.name}", html)
                self.assertEqual(set(amounts_written(html, ".", ",", **written)), amounts)
