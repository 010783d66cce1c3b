"""Every public action of a button, called as its user, and what it did: the record's
state, the action it returns (and the workbook behind an XLSX export, read back); the
at-risk constraint's two refusals, checked from another connection.

The fixtures are the settlement tests' (``settlement_common.py``): a 5 % plan for Anna and
Budi, Anna's Q1 invoices of 10,000 and 2,000 on Alpha AG, Budi's 4,000 on Beta KG, quotas
of 10,000 for Q1 (closed) and Q2 each."""

import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import GROUP_DIRECTOR
from .common import MODULE
from .settlement_common import Q1
from .settlement_common import SettlementCommon


@tagged("post_install", "-at_install")
class TestActions(SettlementCommon):
    def render_xlsx(self, action):
        """The workbook an XLSX report action downloads, as report_xlsx's route renders
        it: the action's report, context, records and data."""
        report = self.env["ir.actions.report"]._get_report_from_name(action["report_name"])
        content, kind = (
            report.with_user(self.director)
            .with_context(**action["context"])
            ._render_xlsx(action["report_name"], action["context"]["active_ids"], action["data"])
        )
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))

    # ------------------------------------------------------------------ account plans

    def test_a_manager_activates_her_plan_and_marks_an_action_done(self):
        account = self.create_account("Plan AG", self.anna, tier=self.tier_key)
        plan = self.env["account.manager.account.plan"].create(
            {
                "name": "Growth 2027",
                "partner_id": account.id,
                "date_start": date(2026, 10, 1),
                "action_ids": [
                    Command.create(
                        {"name": name, "user_id": self.anna.id, "date_deadline": deadline}
                    )
                    for name, deadline in (
                        ("Site visit", date(2026, 11, 30)),
                        ("Offer", date(2026, 12, 15)),
                    )
                ],
            }
        )
        self.assertEqual((plan.state, plan.open_action_count), ("draft", 2))
        plan.with_user(self.anna).action_activate()
        self.assertEqual(plan.state, "active")
        visit, offer = plan.action_ids.sorted("date_deadline")
        visit.with_user(self.anna).action_done()
        self.assertEqual((visit.state, offer.state), ("done", "open"))
        self.assertEqual((plan.state, plan.open_action_count), ("active", 1))

    # ------------------------------------------------------------------ XLSX exports

    def test_quarterly_results_export_downloads_the_workbook(self):
        wizard = (
            self.env["account.manager.quarterly.report.wizard"]
            .with_user(self.director)
            .create(
                {
                    "year": 2026,
                    "quarter": "1",
                    "user_ids": [Command.set((self.anna | self.budi).ids)],
                }
            )
        )
        action = wizard.action_export_xlsx()
        self.assertEqual(
            {key: action[key] for key in ("type", "report_type", "report_name")},
            {
                "type": "ir.actions.report",
                "report_type": "xlsx",
                "report_name": f"{MODULE}.quarterly_results_xlsx",
            },
        )
        self.assertEqual(action["context"]["active_ids"], wizard.ids)
        self.assertIs(action["close_on_report_download"], True)
        sheet = self.render_xlsx(action)["Summary"]
        self.assertEqual(sheet["A1"].value, "Quarterly Sales Results Q1 2026")
        # Anna's quarter: quota 10,000, actual 10,000 + 2,000 = 12,000 (Alpha AG)
        row = next(r for r in (5, 6) if sheet[f"A{r}"].value == "Anna Becker")
        self.assertEqual((sheet[f"C{row}"].value, sheet[f"D{row}"].value), (10000.0, 12000.0))

    @freeze_time("2026-06-30")
    def test_forecast_export_downloads_the_workbook(self):
        forecast = (
            self.env["account.manager.forecast"].with_user(self.director).create({"year": 2026})
        )
        action = forecast.action_export_xlsx()
        self.assertEqual(
            {key: action[key] for key in ("type", "report_type", "report_name")},
            {
                "type": "ir.actions.report",
                "report_type": "xlsx",
                "report_name": f"{MODULE}.annual_forecast_xlsx",
            },
        )
        self.assertEqual(action["context"]["active_ids"], forecast.ids)
        sheet = self.render_xlsx(action)["Forecast"]
        self.assertEqual(sheet["A3"].value, "Account Manager")
        # Anna's year: quotas 10,000 (Q1) + 10,000 (Q2) = 20,000; the ledger to date 12,000
        row = next(r for r in (4, 5) if sheet[f"A{r}"].value == "Anna Becker")
        self.assertEqual((sheet[f"C{row}"].value, sheet[f"D{row}"].value), (20000.0, 12000.0))

    # ------------------------------------------------------------------ settlements

    def test_open_bill_shows_the_settlements_vendor_bills(self):
        anna = self.settle(Q1, self.anna)
        budi = self.settle(Q1, self.budi)
        action = anna.with_user(self.accountant).action_open_bill()
        self.assertEqual(
            action,
            {
                "type": "ir.actions.act_window",
                "name": "Commission Bills",
                "res_model": "account.move",
                "context": {"default_move_type": "in_invoice"},
                "res_id": anna.bill_id.id,
                "views": [(False, "form")],
            },
        )
        # 5 % of Anna's 12,000
        bill = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(
            (bill.move_type, bill.state, bill.partner_id, bill.amount_total),
            ("in_invoice", "posted", self.anna.partner_id, 600.0),
        )
        both = (anna | budi).with_user(self.accountant).action_open_bill()
        self.assertEqual(both["views"], [(False, "list"), (False, "form")])
        self.assertNotIn("res_id", both)
        # and 5 % of Budi's 4,000
        bills = self.env["account.move"].search(both["domain"], order="amount_total")
        self.assertEqual(
            [(b.partner_id, b.amount_total) for b in bills],
            [(self.budi.partner_id, 200.0), (self.anna.partner_id, 600.0)],
        )

    # ------------------------------------------------------------------ accounts

    def test_reassign_opened_from_a_contact_moves_its_account(self):
        account = self.create_account("Reassign AG", self.anna, since=date(2025, 1, 1))
        contact = self.env["res.partner"].create({"name": "Rita Reassign", "parent_id": account.id})
        action = contact.with_user(self.director).action_open_reassign_wizard()
        self.assertEqual(
            action,
            {
                "type": "ir.actions.act_window",
                "name": "Re-assign Accounts",
                "res_model": "account.manager.reassign.wizard",
                "view_mode": "form",
                "target": "new",
                "context": {"default_partner_ids": account.ids},
            },
        )
        form = Form(
            self.env[action["res_model"]].with_user(self.director).with_context(**action["context"])
        )
        form.to_user_id = self.clara
        form.effective_date = date(2026, 5, 1)
        wizard = form.save()
        self.assertEqual(wizard.partner_ids, account)
        wizard.action_apply()
        self.assertEqual(
            self.periods(account),
            [
                ("anna", date(2025, 1, 1), date(2026, 4, 30), "initial"),
                ("clara", date(2026, 5, 1), False, "reassignment"),
            ],
        )

    @freeze_time("2026-06-30")
    def test_refresh_health_from_a_contact_scores_its_account(self):
        account = self.create_account("Refresh AG", self.anna, since=date(2026, 6, 15))
        account.write({"at_risk": True, "at_risk_reason": "competitor"})
        contact = self.env["res.partner"].create({"name": "Rita Refresh", "parent_id": account.id})
        self.create_invoice(account, date(2026, 6, 16), 1000.0, due=date(2026, 6, 20))
        self.assertFalse(account.health_date)
        self.assertIs(contact.with_user(self.anna).action_refresh_health(), True)
        # open 1,000, all of it overdue -> 1.0 x 20 = 20; DSO 1,000 / 1,000 x 365 = 365
        # days -> 1.0 x 15 = 15; at risk -> 15; check-in due 15 Jul (30 days from the
        # owner's start) -> not late; score 100 - 50 = 50 (watch: 40 to 69)
        self.assertEqual(
            (account.health_score, account.health_state, account.health_date),
            (50, "watch", date(2026, 6, 30)),
        )
        self.assertEqual(
            account.health_reasons.splitlines(),
            [
                "Overdue receivables: $\xa01,000.00 overdue of $\xa01,000.00 open (-20.0 points)",
                "Days sales outstanding: 365 days (-15.0 points)",
                "Flagged at risk: Considering a Competitor (-15.0 points)",
            ],
        )
        self.assertFalse(contact.health_date, "a contact is not scored: its account is")

    def test_at_risk_without_a_reason_is_refused(self):
        account = self.create_account("Risk AG", self.anna)
        with self.assertRefused(
            ValidationError, "Risk AG is flagged at risk without a Risk Reason"
        ):
            account.with_user(self.anna).write({"at_risk": True})
        with self.assertRefused(
            ValidationError, "Risk KG is flagged at risk without a Risk Reason"
        ):
            self.env["res.partner"].create({"name": "Risk KG", "is_company": True, "at_risk": True})
        self.assertEqual((account.at_risk, account.at_risk_since), (False, False))

    @freeze_time("2026-06-30")
    def test_remediation_deadline_before_the_flag_date_is_refused(self):
        account = self.create_account("Risk AG", self.anna)
        account.with_user(self.anna).write({"at_risk": True, "at_risk_reason": "delivery"})
        self.assertEqual(account.at_risk_since, date(2026, 6, 30))
        # the day of the flag is a deadline; the day before is not
        account.with_user(self.anna).remediation_deadline = date(2026, 6, 30)
        with self.assertRefused(
            ValidationError,
            r"The Remediation Deadline of Risk AG \(2026-06-29\) is before the account was "
            r"flagged at risk \(2026-06-30\)",
        ):
            account.with_user(self.anna).remediation_deadline = date(2026, 6, 29)
        # flagged when created: the flag's date is today, after the deadline typed
        with self.assertRefused(ValidationError, r"Risk KG \(2026-06-01\) is before"):
            self.env["res.partner"].create(
                {
                    "name": "Risk KG",
                    "is_company": True,
                    "at_risk": True,
                    "at_risk_reason": "payment",
                    "remediation_deadline": date(2026, 6, 1),
                }
            )
        self.assertEqual(account.remediation_deadline, date(2026, 6, 30))

    # ------------------------------------------------------------------ adjustments

    def test_a_director_other_than_its_author_refuses_an_adjustment(self):
        Adjustment = self.env["account.manager.commission.adjustment"]
        vals = {"user_id": self.anna.id, "date": date(2026, 5, 10), "amount": 150.0}
        adjustment = Adjustment.with_user(self.accountant).create({**vals, "reason": "Missed"})
        for user in (self.accountant, self.anna):
            with self.assertRefused(AccessError, "Only a Sales Director"):
                adjustment.with_user(user).action_refuse()
        self.assertIs(adjustment.with_user(self.director).action_refuse(), True)
        self.assertEqual(
            (adjustment.state, adjustment.approved_by_id, adjustment.line_id),
            ("refused", self.director, self.env["account.manager.commission.line"]),
        )
        self.assertEqual(
            [html2plaintext(m.body) for m in adjustment.message_ids if m.body],
            ["Refused by Diana Director."],
        )
        with self.assertRefused(UserError, "is decided already"):
            adjustment.with_user(self.director).action_refuse()
        # a director's own adjustment: another director refuses it
        own = Adjustment.with_user(self.director).create({**vals, "reason": "Bonus"})
        with self.assertRefused(AccessError, "is your own"):
            own.with_user(self.director).action_refuse()
        self.assertEqual(own.state, "draft")
        other = new_test_user(self.env, "director2", groups=GROUP_DIRECTOR, name="Dora Director")
        own.with_user(other).action_refuse()
        self.assertEqual((own.state, own.approved_by_id), ("refused", other))
        self.assertFalse(
            self.env["account.manager.commission.line"].search([("rule_type", "=", "adjustment")])
        )

    # ------------------------------------------------------------------ quota plans

    def test_view_quotas_lists_the_plans_quotas(self):
        plan = (
            self.env["account.manager.quota.plan"]
            .with_user(self.director)
            .create(
                {
                    "name": "2027",
                    "year": 2027,
                    "line_ids": [
                        Command.create({"user_id": self.anna.id, "annual_target": 4000.0})
                    ],
                }
            )
        )
        plan.action_generate_quotas()
        action = plan.action_view_quotas()
        self.assertEqual(
            (action["type"], action["res_model"], action["domain"], action["context"]),
            ("ir.actions.act_window", "account.manager.quota", [("plan_id", "in", plan.ids)], {}),
        )
        # 4,000 a year, evenly: 1,000 a quarter
        quotas = self.env["account.manager.quota"].search(action["domain"], order="date_from")
        self.assertEqual(
            [(q.user_id, q.date_from, q.target) for q in quotas],
            [(self.anna, date(2027, month, 1), 1000.0) for month in (1, 4, 7, 10)],
        )
