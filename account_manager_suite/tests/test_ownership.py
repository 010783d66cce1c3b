"""Ownership: hand-over by assignment rules, history periods, manual changes."""

from datetime import date
from datetime import datetime
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestHandOver(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["account.manager.assignment.rule"]
        cls.kickoff = cls.env.ref("account_manager_suite.mail_activity_type_kickoff")

    def confirm_first_order(self, name, **partner_vals):
        partner = self.create_account(name, **partner_vals)
        order = self.create_order(partner, 1000.0)
        with freeze_time("2026-03-10 09:00:00"):
            order.action_confirm()
        return partner, order

    def test_fixed_rule_hands_over_logs_and_schedules_kickoff(self):
        self.env.company.ams_kickoff_delay_days = 5
        self.Rule.create(
            {
                "name": "Key accounts",
                "method": "fixed",
                "user_id": self.clara.id,
                "tier_ids": [self.tier_key.id],
            }
        )
        self.Rule.create(
            {"name": "Everyone else", "method": "fixed", "user_id": self.anna.id, "sequence": 20}
        )
        partner, order = self.confirm_first_order(
            "Müller GmbH", tier=self.tier_key, user_id=self.bizdev.id
        )
        self.assertEqual(partner.account_manager_id, self.clara)
        self.assertEqual(order.account_manager_id, self.clara)
        self.assertEqual(self.periods(partner), [("clara", date(2026, 3, 10), False, "handover")])
        self.assertEqual(partner.ownership_ids.note, "Key accounts")
        self.assertEqual(partner.account_manager_since, date(2026, 3, 10))
        message = partner.message_ids.filtered(lambda m: "Hand-over" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn("Ben Hunter won this customer", message.body)
        self.assertIn("Clara Wagner is its account manager", message.body)
        activity = partner.activity_ids.filtered(lambda a: a.activity_type_id == self.kickoff)
        self.assertEqual(activity.user_id, self.clara)
        self.assertEqual(activity.date_deadline, date(2026, 3, 15))
        # a contact of the company shows the company's manager
        contact = self.env["res.partner"].create({"name": "Hans Müller", "parent_id": partner.id})
        self.assertEqual(contact.account_manager_id, self.clara)

    def test_a_plain_salesperson_confirming_hands_over(self):
        self.Rule.create({"name": "All", "method": "fixed", "user_id": self.anna.id})
        self.assertFalse(self.bizdev.has_group("base.group_partner_manager"))
        partner = self.create_account("Bizdev Won AG")
        order = self.create_order(partner, 500.0, self.bizdev)
        order.with_user(self.bizdev).action_confirm()
        self.assertEqual(partner.account_manager_id, self.anna)
        self.assertEqual(order.account_manager_id, self.anna)
        self.assertTrue(partner.activity_ids.filtered(lambda a: a.user_id == self.anna))

    def test_round_robin_takes_turns(self):
        rule = self.Rule.create(
            {
                "name": "Turns",
                "method": "round_robin",
                "user_ids": [(6, 0, (self.anna | self.budi | self.clara).ids)],
            }
        )
        owners = [self.confirm_first_order(f"RR {i}")[0].account_manager_id for i in range(4)]
        self.assertEqual(owners, [self.anna, self.budi, self.clara, self.anna])
        self.assertEqual(rule.last_user_id, self.anna)

    def test_least_loaded_picks_the_manager_with_fewest_accounts(self):
        for i in range(2):
            account = self.create_account(f"Anna {i}", manager=self.anna)
        # contacts share their company's manager but are not accounts: they carry no load
        self.env["res.partner"].create(
            [{"name": f"Contact {i}", "parent_id": account.id} for i in range(3)]
        )
        self.create_account("Budi 0", manager=self.budi)
        self.Rule.create(
            {
                "name": "Load",
                "method": "least_loaded",
                "user_ids": [(6, 0, (self.anna | self.budi | self.clara).ids)],
            }
        )
        owners = [self.confirm_first_order(f"LL {i}")[0].account_manager_id for i in range(3)]
        # clara has 0, then budi and clara have 1 each (lowest id wins the tie)
        tie = min(self.budi, self.clara, key=lambda u: u.id)
        self.assertEqual(owners[0], self.clara)
        self.assertEqual(owners[1], tie)
        self.assertEqual(set(owners), {self.clara, self.budi})

    def test_rules_match_country_and_team(self):
        team = self.env["crm.team"].create({"name": "Asia Pacific"})
        self.Rule.create(
            {
                "name": "Indonesia",
                "method": "fixed",
                "user_id": self.budi.id,
                "country_ids": [self.indonesia.id],
                "sequence": 1,
            }
        )
        self.Rule.create(
            {
                "name": "APAC team",
                "method": "fixed",
                "user_id": self.clara.id,
                "team_id": team.id,
                "sequence": 2,
            }
        )
        self.Rule.create(
            {"name": "Rest", "method": "fixed", "user_id": self.anna.id, "sequence": 3}
        )
        jakarta, _order = self.confirm_first_order("PT Maju", country_id=self.indonesia.id)
        partner = self.create_account("Sydney Pty")
        order = self.create_order(partner, 10.0, team_id=team.id)
        order.action_confirm()
        berlin, _order = self.confirm_first_order("Berlin AG", country_id=self.germany.id)
        self.assertEqual(jakarta.account_manager_id, self.budi)
        self.assertEqual(partner.account_manager_id, self.clara)
        self.assertEqual(berlin.account_manager_id, self.anna)

    def test_no_rule_leaves_a_note_and_owned_accounts_stay(self):
        partner, _order = self.confirm_first_order("Nobody's GmbH")
        self.assertFalse(partner.account_manager_id)
        self.assertFalse(partner.ownership_ids)
        self.assertTrue(
            partner.message_ids.filtered(lambda m: "No account assignment rule" in (m.body or ""))
        )
        self.Rule.create({"name": "All", "method": "fixed", "user_id": self.anna.id})
        owned = self.create_account("Owned AG", manager=self.budi)
        self.create_order(owned, 50.0, confirm=True)
        self.assertEqual(owned.account_manager_id, self.budi)
        self.assertEqual(len(owned.ownership_ids), 1)

    def test_rule_with_archived_manager_is_passed_over(self):
        self.Rule.create({"name": "Clara", "method": "fixed", "user_id": self.clara.id})
        self.Rule.create(
            {"name": "Anna", "method": "fixed", "user_id": self.anna.id, "sequence": 20}
        )
        self.clara.active = False
        partner, order = self.confirm_first_order("Still Sells GmbH")
        self.assertEqual(order.state, "sale")
        self.assertEqual(partner.account_manager_id, self.anna)

    def test_rule_refuses_missing_candidates_and_archived_users(self):
        with self.assertRefused(ValidationError, "fill in Account Manager"):
            self.Rule.create({"name": "Fixed", "method": "fixed"})
        with self.assertRefused(ValidationError, "no candidates"):
            self.Rule.create({"name": "Turns", "method": "round_robin"})
        self.clara.active = False
        with self.assertRefused(ValidationError, "archived"):
            self.Rule.create({"name": "Gone", "method": "fixed", "user_id": self.clara.id})
        self.assertFalse(self.Rule.search([("name", "in", ("Fixed", "Turns", "Gone"))]))


@tagged("post_install", "-at_install")
class TestOwnershipHistory(AccountManagerCommon):
    def test_changes_write_contiguous_periods(self):
        partner = self.create_account("Contiguous KG", manager=self.anna, since=date(2025, 1, 1))
        partner.with_context(account_manager_effective_date=date(2025, 4, 1)).with_user(
            self.director
        ).account_manager_id = self.budi
        wizard = self.env["account.manager.reassign.wizard"].create(
            {
                "partner_ids": [(6, 0, partner.ids)],
                "to_user_id": self.clara.id,
                "effective_date": date(2025, 9, 15),
                "note": "Budi on leave",
            }
        )
        wizard.action_apply()
        self.assertEqual(
            self.periods(partner),
            [
                ("anna", date(2025, 1, 1), date(2025, 3, 31), "initial"),
                ("budi", date(2025, 4, 1), date(2025, 9, 14), "manual"),
                ("clara", date(2025, 9, 15), False, "reassignment"),
            ],
        )
        self.assertContiguous(partner)
        self.assertEqual(partner.ownership_ids.sorted("date_from")[1].changed_by_id, self.director)
        # a change on the first day of the current period replaces it: still contiguous
        partner.with_context(
            account_manager_effective_date=date(2025, 9, 15)
        ).account_manager_id = self.anna
        self.assertEqual(self.periods(partner)[-1], ("anna", date(2025, 9, 15), False, "manual"))
        self.assertContiguous(partner)
        self.assertEqual(len(partner.ownership_ids), 3)

    def test_bad_dates_are_refused_and_nothing_is_written(self):
        partner = self.create_account("Dates GmbH", manager=self.anna, since=date(2025, 6, 1))
        before = self.periods(partner)
        with self.assertRefused(ValidationError, "cannot be earlier"):
            partner.with_context(
                account_manager_effective_date=date(2025, 5, 31)
            ).account_manager_id = self.budi
        self.assertEqual(self.periods(partner), before)
        self.assertEqual(partner.account_manager_id, self.anna)
        # Periods are written by the ownership service only; its guards hold even for sudo.
        Ownership = self.env["account.manager.ownership"].sudo()
        with self.assertRefused(ValidationError, "end date .* is before the start date"):
            Ownership.create(
                {
                    "partner_id": partner.id,
                    "user_id": self.budi.id,
                    "date_from": date(2024, 5, 1),
                    "date_to": date(2024, 4, 1),
                }
            )
        with self.assertRefused(ValidationError, "overlap"):
            Ownership.create(
                {
                    "partner_id": partner.id,
                    "user_id": self.budi.id,
                    "date_from": date(2025, 1, 1),
                    "date_to": date(2025, 6, 1),
                }
            )
        self.assertEqual(self.periods(partner), before)

    def test_archived_and_portal_users_cannot_own_accounts(self):
        partner = self.create_account("Archive AG", manager=self.anna)
        self.budi.active = False
        with self.assertRefused(ValidationError, "Budi Santoso is archived"):
            partner.account_manager_id = self.budi
        with self.assertRefused(ValidationError, "portal or public user"):
            partner.account_manager_id = self.portal
        self.assertEqual(partner.account_manager_id, self.anna)
        self.assertEqual(len(partner.ownership_ids), 1)

    def test_only_directors_change_an_owner(self):
        partner = self.create_account("Guarded SE", manager=self.anna)
        with self.assertRefused(AccessError, "Only a Sales Director"):
            partner.with_user(self.budi).account_manager_id = self.budi
        self.assertEqual(partner.account_manager_id, self.anna)
        free = self.create_account("Free SE")
        # unowned: the hand-over rules or a director assign it, nobody takes it (issue 14)
        with self.assertRefused(AccessError, "Only a Sales Director"):
            free.with_user(self.budi).account_manager_id = self.budi
        self.assertFalse(self.periods(free))
        free.with_user(self.director).account_manager_id = self.budi
        self.assertEqual(self.periods(free)[0][0], "budi")

    def test_clearing_the_manager_ends_the_period(self):
        partner = self.create_account("Ending Ltd", manager=self.anna, since=date(2025, 1, 1))
        partner.with_context(
            account_manager_effective_date=date(2025, 7, 1)
        ).account_manager_id = False
        self.assertEqual(
            self.periods(partner), [("anna", date(2025, 1, 1), date(2025, 6, 30), "initial")]
        )
        self.assertFalse(partner.account_manager_since)

    def test_created_with_manager_opens_a_period(self):
        with freeze_time("2026-02-02"):
            partner = self.env["res.partner"].create(
                {
                    "name": "Born Owned",
                    "is_company": True,
                    "account_manager_id": self.anna.id,
                    "child_ids": [(0, 0, {"name": "Contact"})],
                }
            )
        self.assertEqual(self.periods(partner), [("anna", date(2026, 2, 2), False, "initial")])
        self.assertEqual(partner.child_ids.account_manager_id, self.anna)
        self.assertFalse(partner.child_ids.ownership_ids)


@tagged("post_install", "-at_install")
class TestSaleOrderManager(AccountManagerCommon):
    def test_order_takes_owner_at_order_date_and_only_directors_change_it(self):
        partner = self.create_account("Order GmbH", manager=self.anna, since=date(2025, 1, 1))
        partner._set_account_manager(self.budi, date(2025, 7, 1), force=True)
        old = self.create_order(partner, 100.0, date_order=datetime(2025, 3, 1, 10, 0))
        new = self.create_order(partner, 100.0, self.budi, date_order=datetime(2025, 8, 1, 10, 0))
        self.assertEqual(old.account_manager_id, self.anna)
        self.assertEqual(new.account_manager_id, self.budi)
        with self.assertRefused(AccessError, "Only a Sales Director"):
            new.with_user(self.budi).write({"account_manager_id": self.clara.id})
        self.assertEqual(new.account_manager_id, self.budi)
        # the web client sends the computed value back: that is fine
        new.with_user(self.budi).write({"account_manager_id": self.budi.id, "note": "ok"})
        new.with_user(self.director).account_manager_id = self.clara
        self.assertEqual(new.account_manager_id, self.clara)
        self.assertFalse(new.with_user(self.budi).can_edit_account_manager)
        self.assertTrue(new.with_user(self.director).can_edit_account_manager)

    def test_invoice_manager_follows_history_by_invoice_date(self):
        partner = self.create_account("Invoice GmbH", manager=self.anna, since=date(2025, 1, 1))
        partner._set_account_manager(self.budi, date(2025, 7, 1), force=True)
        march = self.create_invoice(partner, date(2025, 3, 1), 100.0)
        august = self.create_invoice(partner, date(2025, 8, 1), 100.0)
        refund = self.create_invoice(partner, date(2025, 8, 2), 10.0, refund=True)
        self.assertEqual(march.account_manager_id, self.anna)
        self.assertEqual((august | refund).account_manager_id, self.budi)
        found = self.env["account.move"].search([("account_manager_id", "=", self.budi.id)])
        self.assertEqual(found, august | refund)
        lines = self.env["account.move.line"].search(
            [
                ("account_manager_id", "=", self.budi.id),
                ("account_id.account_type", "=", "asset_receivable"),
            ]
        )
        self.assertEqual(lines.move_id, august | refund)
        # a backdated re-assignment re-attributes the invoices dated after it
        partner._set_account_manager(self.clara, date(2025, 8, 2), force=True)
        self.assertEqual(august.account_manager_id, self.budi)
        self.assertEqual(refund.account_manager_id, self.clara)
        self.assertEqual(march.account_manager_id, self.anna)

    def test_vendor_bills_have_no_account_manager(self):
        partner = self.create_account("Supplier", manager=self.anna)
        bill = self.init_invoice(
            "in_invoice",
            partner=partner,
            amounts=[100.0],
            invoice_date=date.today() - timedelta(days=1),
        )
        self.assertFalse(bill.account_manager_id)
