"""The engine's summary of the ledger (account.manager.revenue.day), kept by the database:
after every kind of change of the ledger it adds up to what the ledger's revenue lines
add up to, key by key, and the engine's figures are the ledger's."""

from datetime import date

from odoo import SUPERUSER_ID
from odoo import Command
from odoo import api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase
from odoo.tests import get_db_name
from odoo.tests import tagged

from .common import AccountManagerCommon

# The revenue of the ledger by the summary's key, written here without the module's code.
LEDGER = """
    SELECT aml.company_id, aml.company_currency_id, am.commercial_partner_id,
           am.account_manager_id, am.invoice_date, am.move_type, SUM(-aml.balance)
      FROM account_move_line aml JOIN account_move am ON am.id = aml.move_id
     WHERE aml.parent_state = 'posted' AND aml.display_type = 'product'
       AND am.move_type IN ('out_invoice', 'out_refund')
  GROUP BY 1, 2, 3, 4, 5, 6
"""
SUMMARY = """
    SELECT company_id, company_currency_id, partner_id, user_id, invoice_date, move_type,
           SUM(amount)
      FROM account_manager_revenue_day
  GROUP BY 1, 2, 3, 4, 5, 6
"""


@tagged("post_install", "-at_install")
class TestRevenueSummary(AccountManagerCommon):
    def _by_key(self, query):
        self.env.flush_all()
        self.env.cr.execute(query)
        return {tuple(row[:-1]): round(float(row[-1]), 6) for row in self.env.cr.fetchall()
                if round(float(row[-1]), 6)}  # fmt: skip

    def assertSummaryIsLedger(self, step):
        self.assertEqual(self._by_key(SUMMARY), self._by_key(LEDGER), f"after {step}")

    def revenue(self, partner, date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)):
        return self.env["account.manager.revenue"]._revenue(
            date_from, date_to, ("user",), partner_ids=partner.ids
        )

    def test_the_summary_follows_every_change_of_the_ledger(self):
        account = self.create_account("Summe AG", manager=self.anna)
        other = self.create_account("Andere GmbH", manager=self.budi)
        self.assertSummaryIsLedger("the accounts")
        invoice = self.create_invoice(account, date(2025, 3, 1), 1000.0)
        self.create_invoice(account, date(2025, 3, 1), 250.0)
        self.assertSummaryIsLedger("posting")
        self.assertEqual(self.revenue(account), {(self.anna.id,): 1250.0})

        refund = self.create_invoice(account, date(2025, 3, 20), 100.0, refund=True)
        draft = self.create_invoice(other, date(2025, 4, 1), 900.0, post=False)
        self.assertSummaryIsLedger("a credit note and a draft")
        self.assertEqual(self.revenue(account), {(self.anna.id,): 1150.0})
        self.assertEqual(self.revenue(other), {})

        # reset to draft, a line changed, another added, the date moved, posted again
        invoice.button_draft()
        self.assertSummaryIsLedger("reset to draft")
        self.assertEqual(self.revenue(account), {(self.anna.id,): 150.0})
        invoice.write(
            {
                "invoice_date": date(2025, 5, 2),
                "invoice_line_ids": [
                    Command.update(invoice.invoice_line_ids.id, {"price_unit": 1200.0}),
                    Command.create({"name": "Travel", "quantity": 2, "price_unit": 40.0,
                                    "tax_ids": [Command.clear()],
                                    "account_id": self.revenue_account.id}),
                ],
            }
        )  # fmt: skip
        invoice.action_post()
        self.assertSummaryIsLedger("posted again")
        self.assertEqual(self.revenue(account), {(self.anna.id,): 1430.0})

        # a back-dated change of owner moves the invoices, not the total
        account._set_account_manager(self.budi, date(2025, 3, 10), force=True)
        self.assertSummaryIsLedger("the owner changed")
        self.assertEqual(self.revenue(account), {(self.anna.id,): 250.0, (self.budi.id,): 1180.0})

        # a contact's invoice, then the contact moves to another company (the posted
        # invoice stays its company's, in Odoo's ledger and in the summary)
        contact = self.env["res.partner"].create({"name": "Eva", "parent_id": account.id})
        self.create_invoice(contact, date(2025, 6, 1), 70.0)
        contact.parent_id = other
        self.assertSummaryIsLedger("the contact moved")

        # the draft deleted, the credit note cancelled after a reset
        draft.unlink()
        refund.button_draft()
        refund.button_cancel()
        self.assertSummaryIsLedger("a draft deleted, a credit note cancelled")
        self.assertEqual(self.revenue(account), {(self.anna.id,): 250.0, (self.budi.id,): 1350.0})

        # what writes the ledger in SQL is followed too: a balance (5 more revenue), a
        # deleted line, a deleted invoice
        self.env.cr.execute(
            "UPDATE account_move_line SET balance = balance - 5 WHERE id = %s",
            [invoice.invoice_line_ids[:1].id],
        )
        self.assertSummaryIsLedger("a balance changed in SQL")
        travel = invoice.invoice_line_ids.filtered(lambda line: line.name == "Travel")
        self.env.cr.execute("DELETE FROM account_move_line WHERE id = %s", [travel.id])
        self.assertSummaryIsLedger("a posted line deleted in SQL")
        self.assertEqual(self.revenue(account), {(self.anna.id,): 250.0, (self.budi.id,): 1275.0})
        self.env.cr.execute("DELETE FROM account_move WHERE id = %s", [invoice.id])
        self.env.invalidate_all()
        self.assertSummaryIsLedger("a posted invoice deleted in SQL")
        self.assertEqual(self.revenue(account), {(self.anna.id,): 250.0, (self.budi.id,): 70.0})

    def test_compaction_and_rebuild_keep_the_figures(self):
        account = self.create_account("Verdichtet KG", manager=self.clara)
        for day, amount in ((1, 100.0), (1, 20.0), (2, 3.0)):
            self.create_invoice(account, date(2025, 2, day), amount)
        cancelled = self.create_invoice(account, date(2025, 2, 3), 40.0)
        self.env.flush_all()
        cancelled.button_draft()
        Day = self.env["account.manager.revenue.day"]

        def rows():
            self.env.flush_all()
            self.env.cr.execute(
                "SELECT invoice_date, amount FROM account_manager_revenue_day "
                "WHERE partner_id = %s ORDER BY invoice_date, amount",
                [account.id],
            )
            return [(day, float(amount)) for day, amount in self.env.cr.fetchall()]

        self.assertEqual(len(rows()), 5, "a row for each posting and for the reset")
        self.run_scheduled_action("ir_cron_compact_revenue_summary")
        self.assertEqual(rows(), [(date(2025, 2, 1), 120.0), (date(2025, 2, 2), 3.0)])
        self.assertSummaryIsLedger("the compaction")
        Day._rebuild()
        self.assertEqual(rows(), [(date(2025, 2, 1), 120.0), (date(2025, 2, 2), 3.0)])
        self.assertSummaryIsLedger("the rebuild")
        self.assertEqual(self.revenue(account), {(self.clara.id,): 123.0})

    def test_posting_many_invoices_adds_a_row_a_statement(self):
        """The triggers are statement-level: twenty invoices of one customer and day
        posted at once add one summary row, not twenty."""
        account = self.create_account("Viele AG", manager=self.anna)
        moves = self.env["account.move"].concat(
            *(self.create_invoice(account, date(2025, 7, 1), 10.0 + i, post=False)
              for i in range(20))
        )  # fmt: skip
        moves.action_post()
        self.assertSummaryIsLedger("posting in a batch")
        self.env.cr.execute(
            "SELECT COUNT(*) FROM account_manager_revenue_day WHERE partner_id = %s", [account.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], 1)
        self.assertEqual(self.revenue(account), {(self.anna.id,): 390.0})

    def test_an_update_builds_the_summary_of_the_ledger_it_finds(self):
        """A database of a version before the summary: on update the module finds invoices
        and no summary; it builds it, and its triggers follow the ledger from then on."""
        account = self.create_account("Vorher GmbH", manager=self.budi)
        Day = self.env["account.manager.revenue.day"]
        Day._drop_triggers()
        self.env.cr.execute("DELETE FROM account_manager_revenue_day")
        self.create_invoice(account, date(2025, 9, 1), 300.0)
        self.env.flush_all()
        self.assertEqual(self.revenue(account), {}, "no summary, no triggers: nothing read")
        Day.init()
        self.assertSummaryIsLedger("the update")
        self.assertEqual(self.revenue(account), {(self.budi.id,): 300.0})
        self.create_invoice(account, date(2025, 9, 2), 45.0)
        self.assertSummaryIsLedger("posting after the update")
        self.assertEqual(self.revenue(account), {(self.budi.id,): 345.0})


@tagged("post_install", "-at_install")
class TestRevenueSummaryConcurrency(BaseCase):
    """Two transactions changing the revenue of one customer and day at once, on committed
    data with real cursors: the summary's rows are appended, so neither waits for the
    other (a shared row would lock the second until the first commits)."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            customer = env["res.partner"].create({"name": "Gleichzeitig AG", "is_company": True})
            account = env["account.account"].search([("account_type", "=", "income")], limit=1)
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "invoice_date": date(2024, 5, 6),
                        "invoice_line_ids": [
                            Command.create({"name": "Beratung", "quantity": 1,
                                            "price_unit": price, "tax_ids": [Command.clear()],
                                            "account_id": account.id})
                        ],
                    }
                    for price in (100.0, 200.0)
                ]
            )  # fmt: skip
            invoices.action_post()
            self.customer_id = customer.id
            self.line_ids = invoices.invoice_line_ids.ids
            self.invoice_ids = invoices.ids
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            invoices = env["account.move"].browse(self.invoice_ids)
            invoices.button_draft()
            invoices.with_context(force_delete=True).unlink()
            cr.execute(
                "DELETE FROM account_manager_revenue_day WHERE partner_id = %s", [self.customer_id]
            )
            env["res.partner"].browse(self.customer_id).unlink()

    def test_two_transactions_write_one_customers_day_without_waiting(self):
        first, second = self.registry.cursor(), self.registry.cursor()
        try:
            for cr, line_id in ((first, self.line_ids[0]), (second, self.line_ids[1])):
                # a second that waits for the first's row lock fails at once
                cr.execute("SET LOCAL lock_timeout = '1s'")
                cr.execute(
                    "UPDATE account_move_line SET balance = balance - 10 WHERE id = %s",
                    [line_id],
                )
            first.commit()
            second.commit()
        finally:
            first.close()
            second.close()
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT SUM(amount) FROM account_manager_revenue_day WHERE partner_id = %s",
                [self.customer_id],
            )
            self.assertEqual(cr.fetchone()[0], 320)
