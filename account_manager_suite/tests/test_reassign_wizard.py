"""The re-assignment wizard moves exactly what its preview shows."""

from datetime import date

from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import tagged

from .common import AccountManagerCommon


@tagged("post_install", "-at_install")
class TestReassignWizard(AccountManagerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alpha = cls.create_account("Alpha AG", manager=cls.anna, since=date(2025, 1, 1))
        cls.beta = cls.create_account("Beta GmbH", manager=cls.anna, since=date(2025, 1, 1))
        cls.gamma = cls.create_account("Gamma KG", manager=cls.budi, since=date(2025, 1, 1))
        cls.alpha_contact = cls.env["res.partner"].create(
            {"name": "Alma Alpha", "parent_id": cls.alpha.id}
        )
        # quotations: Anna's own (moves), a colleague's deal on Anna's account (stays),
        # a confirmed order (stays), a quotation of Budi's account (stays)
        cls.q_anna = cls.create_order(cls.alpha_contact, 100.0, cls.anna)
        cls.q_other = cls.create_order(cls.beta, 200.0, cls.clara)
        cls.q_other.account_manager_id = cls.clara
        cls.confirmed = cls.create_order(cls.beta, 300.0, cls.anna, confirm=True)
        cls.q_gamma = cls.create_order(cls.gamma, 400.0, cls.budi)
        # activities: Anna's on her account and quotation move, Clara's on Anna's stays
        cls.act_account = cls.alpha.activity_schedule(
            "mail.mail_activity_data_call", user_id=cls.anna.id, summary="Call Alpha"
        )
        cls.act_order = cls.q_anna.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.anna.id, summary="Follow up"
        )
        cls.act_clara = cls.beta.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.clara.id, summary="Clara's"
        )
        cls.alpha.message_subscribe(partner_ids=cls.anna.partner_id.ids)
        cls.q_anna.message_subscribe(partner_ids=cls.anna.partner_id.ids)

    def wizard(self, **vals):
        form = Form(self.env["account.manager.reassign.wizard"].with_user(self.director))
        form.from_user_id = self.anna
        form.to_user_id = vals.pop("to_user_id", self.clara)
        form.effective_date = vals.pop("effective_date", date(2026, 5, 1))
        for key, value in vals.items():
            setattr(form, key, value)
        return form.save()

    def test_preview_is_exactly_what_moves(self):
        wizard = self.wizard(note="Anna leaves")
        self.assertEqual(wizard.partner_ids, self.alpha | self.beta)
        self.assertEqual(wizard.preview_partner_ids, self.alpha | self.beta)
        self.assertEqual(wizard.preview_order_ids, self.q_anna)
        self.assertEqual(wizard.preview_activity_ids, self.act_account | self.act_order)
        previewed = (
            wizard.preview_partner_ids,
            wizard.preview_order_ids,
            wizard.preview_activity_ids,
        )
        wizard.action_apply()
        self.assertEqual((self.alpha | self.beta).account_manager_id, self.clara)
        self.assertEqual(self.gamma.account_manager_id, self.budi)
        moved_orders = self.env["sale.order"].search(
            [
                ("id", "in", (self.q_anna | self.q_other | self.confirmed | self.q_gamma).ids),
                ("account_manager_id", "=", self.clara.id),
                ("user_id", "=", self.clara.id),
            ]
        )
        self.assertEqual(moved_orders, previewed[1] | self.q_other)
        self.assertEqual(self.q_anna.user_id, self.clara)
        # confirmed after the effective date: Clara's by the history, Anna's as salesperson
        self.assertEqual(self.confirmed.account_manager_id, self.clara)
        self.assertEqual(self.confirmed.user_id, self.anna)
        self.assertEqual(previewed[2].user_id, self.clara)
        self.assertEqual(self.act_clara.user_id, self.clara)
        self.assertNotIn(self.anna.partner_id, self.alpha.message_partner_ids)
        self.assertIn(self.clara.partner_id, self.alpha.message_partner_ids)
        self.assertNotIn(self.anna.partner_id, self.q_anna.message_partner_ids)
        self.assertIn(self.clara.partner_id, self.q_anna.message_partner_ids)
        self.assertEqual(
            self.periods(self.alpha),
            [
                ("anna", date(2025, 1, 1), date(2026, 4, 30), "initial"),
                ("clara", date(2026, 5, 1), False, "reassignment"),
            ],
        )
        self.assertEqual(self.alpha.ownership_ids.sorted("date_from")[-1].note, "Anna leaves")

    def test_options_off_move_only_accounts(self):
        wizard = self.wizard(move_quotations=False, move_activities=False, move_followers=False)
        self.assertFalse(wizard.preview_order_ids)
        self.assertFalse(wizard.preview_activity_ids)
        wizard.action_apply()
        self.assertEqual(self.alpha.account_manager_id, self.clara)
        # the quotation keeps its salesperson; its account manager is the owner on its date
        self.assertEqual(self.q_anna.user_id, self.anna)
        self.assertEqual(self.q_anna.account_manager_id, self.clara)
        self.assertEqual(self.act_account.user_id, self.anna)
        self.assertIn(self.anna.partner_id, self.alpha.message_partner_ids)

    def test_bad_input_is_refused_and_nothing_moves(self):
        Wizard = self.env["account.manager.reassign.wizard"]
        with self.assertRefused(UserError, "Choose at least one account"):
            Wizard.create({"to_user_id": self.clara.id}).action_apply()
        self.clara.active = False
        with self.assertRefused(ValidationError, "Clara Wagner is archived"):
            Wizard.create(
                {"partner_ids": [(6, 0, self.alpha.ids)], "to_user_id": self.clara.id}
            ).action_apply()
        self.clara.active = True
        with self.assertRefused(ValidationError, "cannot be earlier"):
            Wizard.create(
                {
                    "partner_ids": [(6, 0, self.alpha.ids)],
                    "to_user_id": self.clara.id,
                    "effective_date": date(2024, 12, 31),
                }
            ).action_apply()
        with self.assertRefused(UserError, "already owned by Anna Becker"):
            Wizard.create(
                {"partner_ids": [(6, 0, self.alpha.ids)], "to_user_id": self.anna.id}
            ).action_apply()
        self.assertEqual(self.alpha.account_manager_id, self.anna)
        self.assertEqual(len(self.alpha.ownership_ids), 1)
        self.assertEqual(self.act_account.user_id, self.anna)
