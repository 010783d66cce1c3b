"""Going live: directors import the ownership history, quotas and plan assignments of
years past with Odoo's standard import (``load()``); past invoices are attributed."""

from datetime import date
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import HttpCase
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import AccountManagerCommon
from .common import BrowserTours

OWNERSHIP_FIELDS = ["partner_id/.id", "user_id/.id", "date_from", "date_to", "reason"]


@tagged("post_install", "-at_install")
class TestGoLiveImport(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ownership = cls.env["account.manager.ownership"]
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Customer {i:03d}", "is_company": True} for i in range(500)]
        )
        first, second, third = cls.customers[:3]
        # years of invoices before the module was installed
        cls.old_invoice = cls.create_invoice(first, date(2023, 3, 1), 900.0)
        cls.last_year = (
            cls.create_invoice(first, date(2025, 5, 10), 100.0)
            | cls.create_invoice(second, date(2025, 6, 20), 200.0)
            | cls.create_invoice(third, date(2025, 12, 1), 50.0, refund=True)
        )

    def rows(self, customers):
        """Anna from 2019 to 2023, Budi since 2024: two rows per customer."""
        rows = []
        for partner in customers:
            rows.append(
                [
                    str(partner.id),
                    str(self.anna.id),
                    "2019-01-01",
                    "2023-12-31",
                    "Initial Assignment",
                ]
            )
            rows.append([str(partner.id), str(self.budi.id), "2024-01-01", "", "Re-assignment"])
        return rows

    @freeze_time("2026-06-15")
    def test_a_thousand_rows_write_the_history_and_attribute_past_invoices(self):
        data = self.rows(self.customers)
        self.assertEqual(len(data), 1000)
        result = self.Ownership.with_user(self.director).load(OWNERSHIP_FIELDS, data)
        self.assertEqual(result["messages"], [])
        self.assertEqual(len(result["ids"]), 1000)
        self.assertEqual(
            self.Ownership.search_count([("partner_id", "in", self.customers.ids)]), 1000
        )
        first = self.customers[0]
        self.assertEqual(
            self.periods(first),
            [
                ("anna", date(2019, 1, 1), date(2023, 12, 31), "initial"),
                ("budi", date(2024, 1, 1), False, "reassignment"),
            ],
        )
        self.assertEqual(first.account_manager_id, self.budi)
        self.assertEqual(first.account_manager_since, date(2024, 1, 1))
        self.assertEqual(set(self.customers.account_manager_id), {self.budi})
        self.assertEqual(self.old_invoice.account_manager_id, self.anna)
        self.assertEqual(self.last_year.account_manager_id, self.budi)
        # last year's revenue shows on the accounts and in last year's quarterly results
        self.assertEqual(first.with_user(self.director).revenue_last_year, 100.0)
        self.assertEqual(self.customers[1].with_user(self.director).revenue_last_year, 200.0)
        wizard = (
            self.env["account.manager.quarterly.report.wizard"]
            .with_user(self.director)
            .create({"year": 2025, "quarter": "2"})
        )
        report = wizard.env["report.account_manager_suite.report_quarterly_results"]
        rows = report._report_data(wizard)["rows"]
        [budi] = [row for row in rows if row["user"] == "Budi Santoso"]
        self.assertEqual(budi["actual"], 300.0)
        anna_2023 = self.env["account.manager.revenue"]._revenue(
            date(2023, 1, 1), date(2023, 12, 31), ("user",), user_ids=self.anna.ids
        )
        self.assertEqual(anna_2023, {(self.anna.id,): 900.0})

    def test_an_overlapping_row_is_refused_with_its_number_and_nothing_written(self):
        data = self.rows(self.customers[:2])
        # row 4 starts before row 3 ends: Budi's period overlaps Anna's
        data[3][2] = "2023-06-01"
        result = self.Ownership.with_user(self.director).load(OWNERSHIP_FIELDS, data)
        self.assertFalse(result["ids"])
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertEqual(len(errors), 1, errors)
        self.assertRegex(
            errors[0]["message"],
            r"^Row 4: Ownership periods of Customer 001 overlap: Anna Becker owns it from "
            r"2019-01-01 to 2023-12-31, and Budi Santoso from 2023-06-01",
        )
        self.assertFalse(self.Ownership.search([("partner_id", "in", self.customers[:2].ids)]))
        self.assertFalse(self.customers[:2].account_manager_id)
        self.assertFalse(self.last_year[:2].account_manager_id)

    def test_a_gap_is_refused_with_its_row_number(self):
        data = self.rows(self.customers[:1])
        data[1][2] = "2024-02-01"
        result = self.Ownership.with_user(self.director).load(OWNERSHIP_FIELDS, data)
        self.assertFalse(result["ids"])
        [error] = [m for m in result["messages"] if m["type"] == "error"]
        self.assertRegex(
            error["message"],
            r"^Row 2: Ownership history of Customer 000 has a gap: Anna Becker owns it until "
            r"2023-12-31, Budi Santoso only from 2024-02-01",
        )
        self.assertFalse(self.customers[0].ownership_ids)

    def test_in_one_batch_rows_of_an_account_may_come_in_any_order(self):
        data = list(reversed(self.rows(self.customers[:3])))
        result = self.Ownership.with_user(self.director).load(OWNERSHIP_FIELDS, data)
        self.assertEqual(result["messages"], [])
        self.assertEqual(len(result["ids"]), 6)
        self.assertContiguous(self.customers[2])

    def test_only_directors_import_the_history(self):
        result = self.Ownership.with_user(self.anna).load(
            OWNERSHIP_FIELDS, self.rows(self.customers[:1])
        )
        self.assertFalse(result["ids"])
        self.assertRegex(
            result["messages"][0]["message"],
            "^Row 1: Only a Sales Director can import or create ownership periods",
        )
        self.assertFalse(self.customers[0].ownership_ids)

    def test_the_import_continues_an_existing_history(self):
        partner = self.create_account("Known AG", manager=self.anna, since=date(2020, 1, 1))
        result = self.Ownership.with_user(self.director).load(
            OWNERSHIP_FIELDS, [[str(partner.id), str(self.clara.id), "2022-07-01", "", "manual"]]
        )
        self.assertEqual(result["messages"], [])
        self.assertEqual(
            self.periods(partner),
            [
                ("anna", date(2020, 1, 1), date(2022, 6, 30), "initial"),
                ("clara", date(2022, 7, 1), False, "manual"),
            ],
        )

    def go_live_accounts(self, *owners):
        """Accounts a director created on the install day, each with its owner."""
        return (
            self.env["res.partner"]
            .with_user(self.director)
            .create(
                [
                    {"name": f"Go-live {i}", "is_company": True, "account_manager_id": user.id}
                    for i, user in enumerate(owners)
                ]
            )
        )

    @freeze_time("2026-06-15")
    def test_history_before_the_first_period_leads_into_it(self):
        """The accounts got their owner on the install day; the director then imports their
        history up to the day before: past invoices and orders are attributed."""
        moved, same, open_ended = self.go_live_accounts(self.budi, self.budi, self.clara)
        install_day = date(2026, 6, 15)
        self.assertEqual(self.periods(moved), [("budi", install_day, False, "initial")])
        old = self.create_invoice(moved, date(2023, 3, 1), 900.0)
        last_year = self.create_invoice(moved, date(2025, 5, 10), 100.0)
        kept = self.create_invoice(same, date(2025, 6, 20), 200.0)
        credit = self.create_invoice(open_ended, date(2025, 4, 2), 40.0, refund=True)
        order = self.create_order(moved, 300.0, self.bizdev, date_order=datetime(2025, 5, 2, 9))
        today = self.create_invoice(moved, install_day, 70.0)
        self.assertFalse((old | last_year | kept | credit).account_manager_id)
        self.assertFalse(order.account_manager_id)
        rows = [
            [str(moved.id), str(self.anna.id), "2019-01-01", "2023-12-31", "Initial Assignment"],
            [str(moved.id), str(self.clara.id), "2024-01-01", "2026-06-14", "Re-assignment"],
            # the same manager continuing: up to the day before, or without an end
            [str(same.id), str(self.budi.id), "2019-01-01", "2026-06-14", "Initial Assignment"],
            [str(open_ended.id), str(self.clara.id), "2020-01-01", "", "Initial Assignment"],
        ]
        result = self.Ownership.with_user(self.director).load(OWNERSHIP_FIELDS, rows)
        self.assertEqual(result["messages"], [])
        self.assertEqual(
            self.periods(moved),
            [
                ("anna", date(2019, 1, 1), date(2023, 12, 31), "initial"),
                ("clara", date(2024, 1, 1), date(2026, 6, 14), "reassignment"),
                ("budi", install_day, False, "initial"),
            ],
        )
        self.assertEqual(self.periods(same), [("budi", date(2019, 1, 1), False, "initial")])
        self.assertEqual(self.periods(open_ended), [("clara", date(2020, 1, 1), False, "initial")])
        self.assertEqual(
            [(p.partner_id, p.date_from) for p in self.Ownership.browse(result["ids"])],
            [
                (moved, date(2019, 1, 1)),
                (moved, date(2024, 1, 1)),
                (same, date(2019, 1, 1)),
                (open_ended, date(2020, 1, 1)),
            ],
        )
        self.assertEqual((moved | same).account_manager_id, self.budi)
        self.assertEqual(
            (moved | same | open_ended).mapped("account_manager_since"),
            [install_day, date(2019, 1, 1), date(2020, 1, 1)],
        )
        self.assertEqual(
            (old | last_year | kept | credit | today).mapped("account_manager_id"),
            self.anna | self.clara | self.budi | self.clara | self.budi,
        )
        self.assertEqual(order.account_manager_id, self.clara)
        # last year's revenue on the accounts and in last year's quarterly results
        self.assertEqual(
            (moved | same | open_ended).with_user(self.director).mapped("revenue_last_year"),
            [100.0, 200.0, -40.0],
        )
        wizard = (
            self.env["account.manager.quarterly.report.wizard"]
            .with_user(self.director)
            .create({"year": 2025, "quarter": "2"})
        )
        report = wizard.env["report.account_manager_suite.report_quarterly_results"]
        actual = {row["user"]: row["actual"] for row in report._report_data(wizard)["rows"]}
        self.assertEqual(actual["Clara Wagner"], 60.0)
        self.assertEqual(actual["Budi Santoso"], 200.0)
        self.assertNotIn("Anna Becker", actual)

    @freeze_time("2026-06-15")
    def test_history_before_the_first_period_refused_on_overlap_or_gap(self):
        anna, clara = str(self.anna.id), str(self.clara.id)
        cases = [
            # ends on the install day: overlaps the first period
            (
                [[anna, "2019-01-01", "2023-12-31"], [clara, "2024-01-01", "2026-06-15"]],
                r"^Row 2: Ownership periods of Go-live 0 overlap: Clara Wagner from 2024-01-01 "
                r"to 2026-06-15, and Budi Santoso owns it from 2026-06-15 \(in its history\)",
            ),
            # another manager without an end
            (
                [[clara, "2024-01-01", ""]],
                r"^Row 1: Ownership periods of Go-live 0 overlap: Clara Wagner from 2024-01-01 "
                r"to today, and Budi Santoso owns it from 2026-06-15",
            ),
            # ends four days early
            (
                [[clara, "2024-01-01", "2026-06-10"], [anna, "2019-01-01", "2023-12-31"]],
                r"^Row 1: Ownership history of Go-live 0 has a gap: Clara Wagner owns it until "
                r"2026-06-10, Budi Santoso only from 2026-06-15 \(in its history\)\. End the "
                r"imported history the day before \(2026-06-14\)",
            ),
            # a gap between two imported rows
            (
                [[anna, "2019-01-01", "2023-12-30"], [clara, "2024-01-01", "2026-06-14"]],
                r"^Row 2: Ownership history of Go-live 0 has a gap: Anna Becker owns it until "
                r"2023-12-30, Clara Wagner only from 2024-01-01",
            ),
        ]
        account = self.go_live_accounts(self.budi)
        invoice = self.create_invoice(account, date(2025, 5, 10), 100.0)
        for rows, pattern in cases:
            with self.subTest(pattern=pattern):
                data = [[str(account.id), user, start, end, "manual"] for user, start, end in rows]
                result = self.Ownership.with_user(self.director).load(OWNERSHIP_FIELDS, data)
                self.assertFalse(result["ids"])
                [error] = [m for m in result["messages"] if m["type"] == "error"]
                self.assertRegex(error["message"], pattern)
                self.assertEqual(
                    self.periods(account), [("budi", date(2026, 6, 15), False, "initial")]
                )
                self.assertFalse(invoice.account_manager_id)
                self.assertEqual(account.account_manager_since, date(2026, 6, 15))

    def test_an_import_template_is_offered(self):
        [template] = self.Ownership.get_import_templates()
        self.assertIn("Ownership History", template["label"])
        path = file_path(template["template"].lstrip("/"))
        with open(path, encoding="utf-8") as handle:
            header = handle.readline().strip()
        self.assertEqual(header, "Account,Account Manager,From,To,Reason")

    def test_quotas_and_plan_assignments_import_the_same_way(self):
        Quota = self.env["account.manager.quota"].with_user(self.director)
        fields = ["user_id/.id", "period_type", "date_from", "date_to", "target"]
        rows = [
            [str(self.anna.id), "quarter", "2025-01-01", "2025-03-31", "10000"],
            [str(self.anna.id), "quarter", "2025-04-01", "2025-06-30", "12000"],
        ]
        result = Quota.load(fields, rows)
        self.assertEqual(result["messages"], [])
        self.assertEqual(len(result["ids"]), 2)
        refused = Quota.load(
            fields,
            [
                [str(self.budi.id), "quarter", "2025-01-01", "2025-03-31", "10000"],
                [str(self.budi.id), "quarter", "2025-01-01", "2025-03-31", "11000"],
            ],
        )
        self.assertFalse(refused["ids"])
        [error] = [m for m in refused["messages"] if m["type"] == "error"]
        self.assertRegex(
            error["message"],
            r"^Row 2: Budi Santoso already has a quarter quota overlapping 2025-01-01 - "
            r"2025-03-31 \(Q1 2025 - Budi Santoso\)",
        )
        self.assertFalse(self.env["account.manager.quota"].search([("user_id", "=", self.budi.id)]))

        plan = self.env["account.manager.commission.plan"].create(
            {"name": "Go-live plan", "base_rate": 5.0}
        )
        Assignment = self.env["account.manager.commission.assignment"].with_user(self.director)
        fields = ["plan_id/.id", "user_id/.id", "date_from", "date_to"]
        result = Assignment.load(
            fields,
            [
                [str(plan.id), str(self.anna.id), "2024-01-01", "2024-12-31"],
                [str(plan.id), str(self.anna.id), "2025-01-01", ""],
            ],
        )
        self.assertEqual(result["messages"], [])
        refused = Assignment.load(
            fields,
            [
                [str(plan.id), str(self.budi.id), "2024-01-01", ""],
                [str(plan.id), str(self.budi.id), "2024-06-01", ""],
            ],
        )
        self.assertFalse(refused["ids"])
        [error] = [m for m in refused["messages"] if m["type"] == "error"]
        self.assertRegex(
            error["message"],
            r"^Row 2: Budi Santoso already has a commission plan on some of these dates "
            r"\(Go-live plan from 2024-01-01\)",
        )


@tagged("post_install", "-at_install")
class TestGoLiveImportScreen(BrowserTours, AccountManagerCommon, HttpCase):
    def test_a_director_imports_the_history_on_the_import_screen(self):
        partner = self.env["res.partner"].create({"name": "Tour Import AG", "is_company": True})
        invoice = self.create_invoice(partner, date(2022, 5, 1), 120.0)
        self.start_tour(
            "/odoo/action-account_manager_suite.action_account_manager_ownership",
            "account_manager_suite_ownership_import",
            login="director",
            timeout=300,
        )
        self.assertEqual(
            self.periods(partner),
            [
                ("anna", date(2019, 1, 1), date(2023, 12, 31), "initial"),
                ("budi", date(2024, 1, 1), False, "reassignment"),
            ],
        )
        self.assertEqual(invoice.account_manager_id, self.anna)
