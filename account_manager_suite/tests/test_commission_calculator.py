"""The calculator behind the commission lines, with the database: period totals whatever
the split into invoices, explanations, the statement's band table, the what-if of a
quotation and the integrators' hooks."""

import re
from datetime import date
from decimal import Decimal
from unittest.mock import patch

from freezegun import freeze_time
from lxml import html as lxml_html

from odoo import Command
from odoo.tests import tagged

from .. import calculator
from ..models import bulk_copy
from .common import AccountManagerCommon

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
TIERS = [(0, 50, 2.0), (50, 100, 5.0), (100, 0, 8.0)]
NUMBER = re.compile(r"-?\d[\d,]*\.\d+|-?\d+")


def number(text):
    """The number in a rendered cell (``1,234.50 €`` -> 1234.5)."""
    found = NUMBER.search(text.replace("\xa0", " "))
    return float(found.group().replace(",", "")) if found else None


@tagged("post_install", "-at_install")
class TestCommissionCalculator(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Line = cls.env["account.manager.commission.line"]
        cls.Settlement = cls.env["account.manager.commission.settlement"]
        cls.alpha = cls.create_account("Alpha AG", cls.anna, since=date(2025, 1, 1))
        cls.beta = cls.create_account("Beta KG", cls.budi, since=date(2025, 1, 1))
        cls.env.company.write(
            {
                "ams_commission_expense_account_id": cls.company_data["default_account_expense"].id,
                "ams_commission_accrual_account_id": cls.env["account.account"]
                .create(
                    {
                        "name": "Accrued commissions",
                        "code": "2191AMS",
                        "account_type": "liability_current",
                    }
                )
                .id,
                "ams_commission_journal_id": cls.company_data["default_journal_misc"].id,
            }
        )
        cls.quotas = cls.env["account.manager.quota"]
        for user in (cls.anna, cls.budi):
            cls.quotas |= cls.quotas.create(
                {
                    "user_id": user.id,
                    "target": 10000.0,
                    "period_type": "quarter",
                    "date_from": Q1[0],
                    "date_to": Q1[1],
                }
            )

    def plan(self, users=None, tiers=(), base_rate=5.0, **vals):
        return self.create_plan("Plan", base_rate, users or self.anna, tiers=tiers, **vals)

    def period_lines(self, user):
        return self.Line.search([("user_id", "=", user.id), ("date_from", "=", Q1[0])])

    def test_one_invoice_or_many_give_the_same_period_total(self):
        """7,777.77 on marginal tiers: 5,000 x 2% + 2,777.77 x 5% = 238.8885 -> 238.89,
        booked as one invoice (Anna) or as seven of 1,111.11 (Budi). Rounded per line at
        the blended rate, the seven lines would make 7 x 34.13 = 238.91."""
        self.plan(self.anna | self.budi, tier_mode="marginal", tiers=TIERS)
        self.create_invoice(self.alpha, date(2026, 2, 1), 7777.77)
        invoices = [self.create_invoice(self.beta, date(2026, 2, 1), 1111.11) for _i in range(7)]
        one = self.Line._compute_period(self.anna, *Q1)
        many = self.Line._compute_period(self.budi, *Q1)
        self.assertEqual(round(sum(one.mapped("amount")), 2), 238.89)
        self.assertEqual(round(sum(many.mapped("amount")), 2), 238.89)
        # 34.1269... each: the five cents left go to the lowest invoice lines
        self.assertEqual(
            [line.amount for line in many.sorted(lambda line: line.move_line_id.id)],
            [34.13] * 5 + [34.12] * 2,
        )
        self.assertEqual(
            many.sorted(lambda line: line.move_line_id.id).move_id.ids,
            [invoice.id for invoice in invoices],
        )
        self.assertEqual(set(many.mapped("rule_type")), {"tier"})
        # the same input gives the same lines
        before = sorted((line.move_line_id.id, line.amount) for line in many)
        again = self.Line._compute_period(self.budi, *Q1)
        self.assertEqual(sorted((line.move_line_id.id, line.amount) for line in again), before)

    def _lines_of_every_rule(self):
        """Anna's Q1 lines on a plan where each rule applies to one invoice: 3,000 on the
        retroactive tiers, 2,000 to a key account, 1,000 of new business, 1,500 of a
        product in a child of Services, and a bonus. Returns the lines and Services."""
        services = self.env["product.category"].create({"name": "Services"})
        consulting = self.env["product.category"].create(
            {"name": "Consulting", "parent_id": services.id}
        )
        audit = self.env["product.product"].create({"name": "Audit", "categ_id": consulting.id})
        self.plan(
            tier_mode="retroactive",
            tiers=TIERS,
            new_business_months=6,
            new_business_rate=10.0,
            override_ids=[
                Command.create({"categ_id": services.id, "rate": 20.0}),
                Command.create({"tier_id": self.tier_key.id, "rate": 7.0}),
            ],
            bonus_ids=[Command.create({"threshold": 50.0, "amount": 100.0})],
            cap_amount=900.0,
        )
        key = self.create_account("Key SE", self.anna, tier=self.tier_key)
        newcomer = self.create_account("Neu GmbH")
        newcomer._set_account_manager(self.anna, date(2026, 1, 15), reason="handover", force=True)
        self.create_invoice(self.alpha, date(2026, 2, 1), 3000.0)
        self.create_invoice(key, date(2026, 2, 1), 2000.0)
        self.create_invoice(newcomer, date(2026, 2, 1), 1000.0)
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.alpha.id,
                "invoice_date": date(2026, 2, 2),
                "invoice_date_due": date(2026, 2, 2),
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": audit.id, "price_unit": 1500.0, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        move.action_post()
        return self.Line._compute_period(self.anna, *Q1), services

    def test_each_line_explains_the_rule_that_applied(self):
        lines, services = self._lines_of_every_rule()
        by_rule = {line.rule_type: line for line in lines}
        # 7,500 of 10,000: the tier from 50% at 5%
        self.assertEqual(
            {rule: line.amount for rule, line in by_rule.items()},
            # 3,000 x 5%, 2,000 x 7%, 1,000 x 10%, 1,500 x 20%, the bonus; 790 is below the cap
            {
                "tier": 150.0,
                "customer_tier": 140.0,
                "new_business": 100.0,
                "category": 300.0,
                "bonus": 100.0,
            },
        )
        for line in lines:
            self.assertEqual(line.explanation["rule"], line.rule_type)
        self.assertEqual(by_rule["category"].explanation["why"]["category"], "Services")
        self.assertTrue(by_rule["category"].explanation["why"]["inherited"])
        self.assertEqual(
            by_rule["customer_tier"].explanation["why"]["customer_tier"],
            self.tier_key.display_name,
        )
        self.assertEqual(by_rule["new_business"].explanation["why"]["until"], "2026-07-15")
        self.assertEqual(
            (by_rule["tier"].explanation["mode"], by_rule["tier"].explanation["tier_from"]),
            ("retroactive", "50"),
        )
        self.assertEqual(by_rule["tier"].explanation["attainment"], "75")
        self.assertEqual(by_rule["bonus"].explanation["threshold"], "50")
        # over RPC, as the manager reads them: structured and in words
        read = {
            vals["rule_type"]: vals
            for vals in self.Line.with_user(self.anna).search_read(
                [("id", "in", lines.ids)], ["rule_type", "explanation", "explanation_text"]
            )
        }
        self.assertEqual(read["category"]["explanation"]["why"]["category_id"], services.id)
        self.assertIn(
            "Product category override of Services: 20%", read["category"]["explanation_text"]
        )
        self.assertIn(
            f"Customer tier override of {self.tier_key.display_name}: 7%",
            read["customer_tier"]["explanation_text"],
        )
        self.assertIn("until 2026-07-15", read["new_business"]["explanation_text"])
        self.assertIn("Retroactive tiers: 75.00% attainment", read["tier"]["explanation_text"])
        self.assertIn("threshold of 50%", read["bonus"]["explanation_text"])
        self.assertEqual(self.Line._fields["rate"].string, "Effective Rate (%)")

    def test_the_cap_explains_its_cut(self):
        self.plan(cap_amount=100.0)
        self.create_invoice(self.alpha, date(2026, 2, 1), 3000.0)
        cap = self.Line._compute_period(self.anna, *Q1).filtered(
            lambda line: line.rule_type == "cap"
        )
        self.assertEqual(cap.amount, -50.0)
        self.assertEqual(cap.explanation["cap"], "100")
        self.assertEqual(cap.explanation["before_cap"], "150.00")
        # the amounts as Odoo writes them (format_amount): the currency's symbol and position,
        # a minus that does not wrap
        self.assertEqual(
            cap.explanation_text,
            "Cap of $\xa0100.00 per period: the period's commission of $\xa0150.00 is cut by "
            "$\xa0-\ufeff50.00.",
        )

    def settle(self, user):
        self.quotas.filtered(lambda q: q.user_id == user).action_close()
        settlement = self.Settlement._propose(*Q1).filtered(lambda s: s.user_id == user)
        settlement.with_user(self.director).action_approve()
        settlement.with_user(self.accountant).action_create_bill()
        return settlement

    def test_statement_shows_the_band_table_adding_up_to_the_tier_commission(self):
        self.plan(tier_mode="marginal", tiers=TIERS)
        for amount in (5000.0, 4999.99, 2000.01, -500.0, 500.0):
            self.create_invoice(self.alpha, date(2026, 2, 1), abs(amount), refund=amount < 0)
        settlement = self.settle(self.anna)
        tier_total = sum(
            settlement.line_ids.filtered(lambda line: line.rule_type == "tier").mapped("amount")
        )
        self.assertEqual(round(tier_total, 2), 510.0)
        report = self.env.ref("account_manager_suite.action_report_commission_statement")
        page = lxml_html.fromstring(report._render_qweb_html(report.report_name, settlement.ids)[0])
        bands = [
            tuple(number(cell.text_content()) for cell in row.findall("td"))
            for row in page.xpath(
                "//table[contains(@class, 'o_ams_bands')]//tr[contains(@class, 'o_ams_band')]"
            )
        ]
        # band from, base inside it, rate, amount: 5,000 x 2%, 5,000 x 5%, 2,000 x 8%
        self.assertEqual(
            bands,
            [(0.0, 5000.0, 2.0, 100.0), (50.0, 5000.0, 5.0, 250.0), (100.0, 2000.0, 8.0, 160.0)],
        )
        shown_total = number(
            page.xpath("//*[contains(@class, 'o_ams_tier_total')]")[0].text_content()
        )
        self.assertEqual(shown_total, 510.0)
        self.assertEqual(sum(band[3] for band in bands), shown_total)
        total = number(
            page.xpath("//td[contains(concat(' ', @class, ' '), ' o_ams_total ')]")[
                0
            ].text_content()
        )
        self.assertEqual(total, settlement.amount_total)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, settlement.ids
        )
        self.assertEqual((kind, pdf[:4]), ("pdf", b"%PDF"))

    def test_what_if_of_a_quotation_equals_the_commission_once_invoiced(self):
        """Retroactive tiers and a bonus at 100%: 9,600 invoiced (96%) earn 480.00; a
        quotation of 800 would reach 104%: 10,400 x 8% + 250 = 1,082.00, + 602.00."""
        self.plan(
            tier_mode="retroactive",
            tiers=TIERS,
            bonus_ids=[Command.create({"threshold": 100.0, "amount": 250.0})],
        )
        with freeze_time("2026-02-15"):
            self.create_invoice(self.alpha, date(2026, 1, 10), 9600.0)
            self.Line._cron_recompute_changed_invoices()
            self.assertEqual(sum(self.period_lines(self.anna).mapped("amount")), 480.0)
            order = self.create_order(self.alpha, 800.0)
            self.assertEqual(order.account_manager_id, self.anna)
            as_anna = order.with_user(self.anna)
            self.assertEqual(as_anna.ams_commission_estimate, 602.0)
            self.assertIn(
                "commission; attainment 96% → 104%; rate 5% → 8%", as_anna.ams_commission_whatif
            )
            # My Quarter: 400 to the next tier and to the bonus; 1,000 more earn 618.00
            quota = self.quotas.filtered(lambda q: q.user_id == self.anna).with_user(self.anna)
            self.assertEqual(
                (
                    quota.commission_to_next_tier,
                    quota.commission_next_tier_rate,
                    quota.commission_to_next_bonus,
                    quota.commission_next_bonus,
                    quota.commission_per_step,
                ),
                (400.0, 8.0, 400.0, 250.0, 618.0),
            )
            self.assertIn(order.name, quota.commission_quotations)
            estimate = as_anna.ams_commission_estimate
            order.action_confirm()
            invoice = order._create_invoices()
            invoice.action_post()
            self.assertEqual(invoice.invoice_date, date(2026, 2, 15))
            self.Line._cron_recompute_changed_invoices()
            after = sum(self.period_lines(self.anna).mapped("amount"))
        self.assertEqual(round(after, 2), 1082.0)
        self.assertEqual(round(after - 480.0, 2), estimate)

    def test_hooks_change_the_lines_and_the_bill(self):
        self.plan()
        self.create_invoice(self.alpha, date(2026, 2, 1), 1000.0)

        def half_rate(row, context):
            if row.partner_id == self.alpha.id:
                return calculator.data.Decision("base", Decimal("2.5"), {"hook": True})
            return None

        LineModel = type(self.Line)
        original = LineModel._prepare_rate_rules
        with patch.object(
            LineModel,
            "_prepare_rate_rules",
            lambda self, plan: (half_rate, *original(self, plan)),
        ):
            lines = self.Line._compute_period(self.anna, *Q1)
        self.assertEqual([(line.rate, line.amount) for line in lines], [(2.5, 25.0)])
        self.assertTrue(lines.explanation["why"]["hook"])
        SettlementModel = type(self.Settlement)
        original_line = SettlementModel._prepare_bill_line_vals

        def tagged_line(self, rule, amount, sign, expense):
            return {**original_line(self, rule, amount, sign, expense), "name": f"HOOK {rule}"}

        # the settlement computes the period again, with the plan's own rules: 5%
        with patch.object(SettlementModel, "_prepare_bill_line_vals", tagged_line):
            settlement = self.settle(self.anna)
        self.assertEqual(settlement.bill_id.invoice_line_ids.mapped("name"), ["HOOK base"])
        self.assertEqual(settlement.bill_id.amount_total, 50.0)

    def test_hook_values_of_other_stored_fields_are_written(self):
        """A stored field of the line that the bulk writer has no column for
        (``dispute_note``), and one it writes a value of its own to (``disputed``), set
        by ``_prepare_commission_line_vals``: written, on the lines whose values carry
        them only; a key that is not a stored field is refused, naming it."""
        self.plan(bonus_ids=[Command.create({"threshold": 10.0, "amount": 50.0})])
        self.create_invoice(self.alpha, date(2026, 2, 1), 1000.0)
        cent = self.create_invoice(self.alpha, date(2026, 2, 2), 0.01)
        LineModel = type(self.Line)
        original = LineModel._prepare_commission_line_vals

        def held_below_a_cent(self, line, common):
            vals = original(self, line, common)
            if line.row is not None and line.row.ref == cent.id:
                vals.update(disputed=True, dispute_note="Below a cent: check the invoice")
            return vals

        with (
            patch.object(LineModel, "_prepare_commission_line_vals", held_below_a_cent),
            patch.object(bulk_copy, "copy_new_rows", wraps=bulk_copy.copy_new_rows) as copies,
        ):
            lines = self.Line._compute_period(self.anna, *Q1)
        # 5 % of 1,000.01 is 50.0005: 50.00 on the 1,000.00 and 0.00 on the cent; the bonus
        # on the period's 1,000.01 (10 % of the 10,000.00 quota reached)
        self.assertEqual(
            sorted(
                (line.rule_type, line.base_amount, line.amount, line.disputed, line.dispute_note)
                for line in lines
            ),
            [
                ("base", 0.01, 0.0, True, "Below a cent: check the invoice"),
                ("base", 1000.0, 50.0, False, False),
                ("bonus", 1000.01, 50.0, False, False),
            ],
        )
        self.assertEqual(lines.filtered("disputed").move_id, cent)
        # the first line's values had no extra key: the note starts a statement of its own
        self.assertEqual(copies.call_count, 2)
        self.assertEqual(copies.call_args_list[0].args[2][-1], "write_date")
        self.assertEqual(copies.call_args_list[1].args[2][-1], "dispute_note")
        # zero amounts and rates are 0.0 in the table, as the ORM writes them, not NULL
        self.env.cr.execute(
            "SELECT amount, rate FROM account_manager_commission_line WHERE id IN %s "
            "ORDER BY amount, rate",
            [tuple(lines.ids)],
        )
        self.assertEqual(self.env.cr.fetchall(), [(0.0, 5.0), (50.0, 0.0), (50.0, 5.0)])
        # other values converted as create converts them: an amount rounded in the
        # currency of the company the values name, a date from its text, a rule checked
        company = {"company_id": self.env.company.id}
        self.assertEqual(bulk_copy.column_text(self.Line, "amount")(12.345, company), "12.35")
        self.assertEqual(bulk_copy.column_text(self.Line, "date")("2026-02-01", {}), "2026-02-01")
        with self.assertRaisesRegex(ValueError, r"account\.manager\.commission\.line\.rule_type"):
            bulk_copy.column_text(self.Line, "rule_type")("commission", {})
        for key in ("explanation_text", "no_such_field", "id"):
            with (
                patch.object(
                    LineModel,
                    "_prepare_commission_line_vals",
                    lambda self, line, common, key=key: {**original(self, line, common), key: 1},
                ),
                self.assertRaisesRegex(ValueError, rf"account\.manager\.commission\.line.*{key}"),
            ):
                self.Line._compute_period(self.anna, *Q1)
